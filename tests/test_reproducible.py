"""Reproducible builds: the same records give byte-identical files, whatever the process,
hash seed or number of workers; changing one record changes only the rows that depend
on it."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conflictdata.publish import build
from seeds import ROOT, SEEDS, dump, make_tree, seed, write


def built_files(root: Path) -> dict[str, bytes]:
    files = {"datapackage.json": (root / "datapackage.json").read_bytes()}
    for p in sorted((root / "data").iterdir()):
        files[f"data/{p.name}"] = p.read_bytes()
    return files


def cli_build(root: Path, *, hash_seed: str, jobs: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "conflictdata.cli",
            "build",
            "--root",
            str(root),
            "--out",
            str(root),
            "--jobs",
            jobs,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.mark.parametrize("records", ["seed tree", "committed records"])
def test_two_builds_are_byte_identical(tmp_path, records):
    source = make_tree(tmp_path / "src") / "records" if records == "seed tree" else ROOT / "records"
    roots = []
    for name, hash_seed, jobs in (("a", "1", "1"), ("b", "4242", "2")):
        root = tmp_path / name
        shutil.copytree(source, root / "records")
        done = cli_build(root, hash_seed=hash_seed, jobs=jobs)
        assert done.returncode == 0, done.stdout + done.stderr
        roots.append(root)
    first, second = (built_files(r) for r in roots)
    assert first.keys() == second.keys()
    for rel in first:
        assert first[rel] == second[rel], f"{rel} differs between two builds of the same records"
    assert len(first) > 3


def test_rebuilding_writes_nothing(tmp_path):
    root = make_tree(tmp_path)
    assert cli_build(root, hash_seed="0", jobs="1").returncode == 0
    before = {rel: (root / rel).stat().st_mtime_ns for rel in built_files(root)}
    done = cli_build(root, hash_seed="7", jobs="1")
    assert done.returncode == 0 and "; 0 changed" in done.stderr
    assert {rel: (root / rel).stat().st_mtime_ns for rel in built_files(root)} == before


# --- One change, only its rows --------------------------------------------------------------


def _produce(root: Path) -> dict[str, bytes]:
    report, outputs = build.produce(root, jobs=1)
    assert outputs is not None, "\n".join(p.text() for p in report.problems)
    return outputs


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def _owner(row: dict) -> str:
    for key in ("record_id", "actor_id", "source_id", "id"):
        if row.get(key):
            return row[key]
    raise AssertionError(f"a row without an owner: {row}")


def changed_rows(before: dict[str, bytes], after: dict[str, bytes]) -> dict[str, set[str]]:
    """Table -> the owners (record, actor or source IDs) of rows added, removed or changed."""
    out: dict[str, set[str]] = {}
    assert before.keys() == after.keys()
    for rel in before:
        if not rel.endswith(".csv") or before[rel] == after[rel]:
            continue
        old = {tuple(r.items()) for r in _rows(before[rel])}
        new = {tuple(r.items()) for r in _rows(after[rel])}
        out[rel] = {_owner(dict(r)) for r in old ^ new}
    return out


def changed_json_lines(before: bytes, after: bytes) -> list[str]:
    old, new = before.decode().splitlines(), after.decode().splitlines()
    return sorted(set(old) ^ set(new))


@pytest.fixture
def baseline(tmp_path):
    root = make_tree(tmp_path)
    return root, _produce(root)


def test_changing_one_record_changes_only_its_rows(baseline):
    root, before = baseline
    data = seed("arrest")
    data["title"] = "A changed title, with a comma"
    data["detained"]["best"] = 7
    data["claims"][0]["quote"] = data["claims"][0]["quote"] + " (changed)"
    write(root, SEEDS["arrest"], dump(data))
    after = _produce(root)
    changes = changed_rows(before, after)
    assert set(changes) == {
        "data/records.csv",
        "data/arrests.csv",
        "data/claims.csv",
        "data/events.csv",  # title and detained count
    }
    assert all(owners == {"ARR-2015-00001"} for owners in changes.values())
    # the descriptor changes only in the sizes and hashes it records of those files
    assert build.same_release_file(
        "datapackage.json", after["datapackage.json"], before["datapackage.json"]
    )
    lines = changed_json_lines(before["data/records.json"], after["data/records.json"])
    assert len(lines) == 2 and all('"id":"ARR-2015-00001"' in ln for ln in lines)


def test_changing_one_actor_changes_only_its_rows(baseline):
    root, before = baseline
    data = seed("actors/o/osama-khayat.yaml")
    data["aliases"] = ["Usama Khayat"]
    write(root, "actors/o/osama-khayat.yaml", dump(data))
    after = _produce(root)
    assert changed_rows(before, after) == {"data/actor_aliases.csv": {"osama-khayat"}}
    lines = changed_json_lines(before["data/records.json"], after["data/records.json"])
    assert len(lines) == 2 and all('"id":"osama-khayat"' in ln for ln in lines)


def test_adding_a_record_only_adds_its_rows(baseline):
    root, before = baseline
    data = seed("recruitment")
    data["id"] = "REC-2022-00002"
    write(root, "recruitment/2022/000/REC-2022-00002.yaml", dump(data))
    after = _produce(root)
    changes = changed_rows(before, after)
    assert changes and all(owners == {"REC-2022-00002"} for owners in changes.values())
    for rel in changes:  # nothing removed or altered: every old row is still there, in order
        old, new = _rows(before[rel]), _rows(after[rel])
        assert [r for r in new if _owner(r) != "REC-2022-00002"] == old
    old_lines = before["data/records.json"].decode().splitlines()
    new_lines = after["data/records.json"].decode().splitlines()
    assert [ln.rstrip(",") for ln in new_lines if "REC-2022-00002" not in ln] == [
        ln.rstrip(",") for ln in old_lines
    ]


def test_moving_nothing_but_file_order_changes_nothing(baseline, tmp_path):
    """A tree whose files were written in another order builds the same bytes."""
    root, before = baseline
    other = tmp_path / "reversed"
    files = sorted((root / "records").rglob("*.yaml"), reverse=True)
    for path in files:
        target = other / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    assert _produce(other) == before
