"""The benchmark suite keeps working: a generated tree is valid and reproducible, and a
run reports every figure. Nothing here is about time; the figures are only checked to
be there and to be numbers."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conflictdata.core import paths, vocab
from conflictdata.reader.yamlreader import read
from conflictdata.validation.validate import validate_tree

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "bench.py"
N = 300  # enough files (records and registries) for the validator's parallel path

pytestmark = pytest.mark.slow


def _bench():
    spec = importlib.util.spec_from_file_location("bench", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "tree"
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "generate",
            "--records",
            str(N),
            "--out",
            str(out),
            "--seed",
            "7",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return out


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "records").rglob("*"))
        if p.is_file()
    }


def test_generated_tree_validates_with_no_problems(generated):
    report = validate_tree(generated)
    assert report.problems == []
    assert report.files == len(_tree(generated))


def test_generated_tree_has_n_records_over_the_four_kinds_at_their_paths(generated):
    records = [rel for rel in _tree(generated) if rel.split("/")[1] in vocab.KIND_BY_FOLDER]
    assert len(records) == N
    for kind in vocab.KINDS:
        assert sum(rel.split("/")[1] == kind.folder for rel in records) == N // len(vocab.KINDS)
    for rel in records:
        data = read((generated / rel).read_bytes())
        assert rel == "records/" + paths.record_relpath(data["id"])


def test_generated_records_link_each_other_both_ways_and_answer_other_records(generated):
    links, answers, claims = {}, 0, 0
    for path in (generated / "records").rglob("*.yaml"):
        if path.relative_to(generated / "records").parts[0] not in vocab.KIND_BY_FOLDER:
            continue
        data = read(path.read_bytes())
        assert all(c["quote"] for c in data["claims"])
        claims += len(data["claims"])
        links[data["id"]] = {link["record"]: link["relation"] for link in data.get("related", [])}
        answers += sum("#" in (c.get("responds_to") or "") for c in data["claims"])
    linked = [(a, b, r) for a, out in links.items() for b, r in out.items()]
    assert linked and answers
    assert claims >= 2 * len(links)  # several claims per record, as in the real records
    for a, b, relation in linked:
        assert links[b][a] == vocab.INVERSE_RELATIONS[relation]


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(generated, tmp_path):
    bench = _bench()
    bench.generate(N, tmp_path / "again", seed=7)
    bench.generate(N, tmp_path / "other", seed=8)
    assert _tree(tmp_path / "again") == _tree(generated)
    assert _tree(tmp_path / "other") != _tree(generated)


def test_generate_refuses_a_folder_that_already_holds_records(generated):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "generate", "--records", "4", "--out", str(generated)],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "exists" in done.stderr
    assert "Traceback" not in done.stderr


def test_run_prints_a_table_and_a_json_line_with_every_figure(generated):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "run", "--records", str(N), "--dir", str(generated)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert any(line.startswith("floor") for line in lines)
    fig = json.loads(lines[-1])
    assert fig["records"] == N
    for key in (
        "floor_wall_s",
        "floor_cpu_s",
        "validate_wall_s",
        "validate_cpu_s",
        "validate_peak_mb",
        "validate_vs_floor",
        "single_wall_s",
        "single_floor_wall_s",
        "single_vs_floor",
        "check_jsonschema_wall_s",
        "check_jsonschema_vs_validate",
    ):
        assert isinstance(fig[key], float) and fig[key] > 0, key
    assert set(fig["targets"]) == set(_bench().TARGETS)
    # Steps that need build and load() either report figures or say plainly why not.
    for step, keys in {
        "build": ("build_wall_s", "build_vs_validate"),
        "load": (
            "load_open_wall_s",
            "load_pandas_events_wall_s",
            "load_pandas_claims_wall_s",
            "load_iterate_wall_s",
            "iterate_before_wall_s",
            "iterate_vs_before",
            "json_wall_s",
            "load_vs_json",
        ),
        "frictionless": ("frictionless_wall_s", "frictionless_vs_validate"),
    }.items():
        if step in fig["notes"] and "not available" in fig["notes"][step]:
            assert not any(k in fig for k in keys), step
        else:
            assert all(isinstance(fig[k], float) and fig[k] > 0 for k in keys), (step, fig["notes"])
    # The run leaves the tree as it found it (the changed record is put back).
    assert validate_tree(generated).problems == []


def _renumber(value, mapping: dict[str, str]):
    """Claim IDs and references to them, renumbered by ``mapping``."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "claims" and isinstance(item, list) and item and isinstance(item[0], str):
                out[key] = [mapping.get(c, c) for c in item]
            elif key in ("id", "responds_to") and isinstance(item, str) and item in mapping:
                out[key] = mapping[item]
            else:
                out[key] = _renumber(item, mapping)
        return out
    if isinstance(value, list):
        return [_renumber(v, mapping) for v in value]
    return value


def test_claim_ids_with_gaps_are_valid_and_the_generator_keeps_them_unique(tmp_path):
    """Claim IDs may have gaps (c1, c3, c4, ...): validate accepts them, and a tree
    generated from such records holds no duplicate claim ID (the trial: an added
    confirming claim numbered by counting collided with an existing one)."""
    import shutil

    from seeds import dump

    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "records", repo / "records")
    for path in sorted((repo / "records").glob("*/20*/*/*.yaml")):
        data = read(path.read_bytes())
        ids = [c["id"] for c in data["claims"]]
        mapping = {c: f"c{int(c[1:]) + (1 if c != 'c1' else 0)}" for c in ids}  # c1, c3, c4...
        header = path.read_text(encoding="utf-8").splitlines()[0]
        path.write_text(header + "\n" + dump(_renumber(data, mapping)), encoding="utf-8")
    assert validate_tree(repo).problems == []
    out = tmp_path / "generated"
    _bench().generate(60, out, seed=3, repo=repo)
    report = validate_tree(out)
    assert report.problems == [], "\n".join(p.text() for p in report.problems[:10])


def test_run_leaves_out_skipped_steps_and_writes_figures_as_it_goes(generated, tmp_path):
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "run",
            "--records",
            str(N),
            "--dir",
            str(generated),
            "--skip",
            "single,check-jsonschema,frictionless,load_iterate",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    fig = json.loads(done.stdout.strip().splitlines()[-1])
    assert json.loads(out.read_text()) == fig
    for step in ("single", "check-jsonschema", "frictionless", "load_iterate"):
        assert fig["notes"][step] == "skipped"
    assert "single_wall_s" not in fig and "check_jsonschema_wall_s" not in fig
    assert "load_iterate_wall_s" not in fig and "frictionless_wall_s" not in fig
    assert fig["build_peak_vs_validate"] > 0 and fig["load_open_wall_s"] > 0
