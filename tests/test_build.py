"""conflictdata build: a valid tree gives a Frictionless data package that the official
tool accepts; the same records give the same bytes; --check names stale files; bad
records build nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conflictdata import DATA_VERSION, SCHEMA_VERSION
from conflictdata.publish import build
from conflictdata.validation.validate import validate_tree
from seeds import make_tree, seed, write

CLI = [sys.executable, "-m", "conflictdata.cli"]


def run(*args, cwd=None):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd)


def built_files(root: Path) -> dict[str, bytes]:
    out = {"datapackage.json": (root / "datapackage.json").read_bytes()}
    for p in sorted((root / "data").iterdir()):
        out[f"data/{p.name}"] = p.read_bytes()
    return out


def _build(where: Path) -> Path:
    root = make_tree(where)
    done = run("build", "--root", str(root), "--out", str(root))
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@pytest.fixture
def built(tmp_path) -> Path:
    """A built scratch tree, free to break."""
    return _build(tmp_path / "a")


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Path:
    """A built scratch tree for tests that only read it."""
    return _build(tmp_path_factory.mktemp("shared"))


def test_build_writes_descriptor_tables_and_records_json(shared):
    desc = json.loads((shared / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert desc["version"] == DATA_VERSION and desc["schemaVersion"] == SCHEMA_VERSION
    assert desc["licenses"][0]["name"] == "CC-BY-4.0"
    names = [r["name"] for r in desc["resources"]]
    for table in (
        "records",
        "incidents",
        "arrests",
        "weapons_transfers",
        "recruitment",
        "actors",
        "sources",
        "claims",
        "claim_via",
        "parties",
        "locations",
        "weapon_items",
        "related",
        "route_steps",
        "claim_backing",
        "withdrawn",
    ):
        assert table in names
        assert (shared / "data" / f"{table}.csv").is_file()
    n_sources = len(list((shared / "records" / "sources").rglob("*.yaml")))
    assert len(desc["sources"]) == n_sources
    claims = next(r for r in desc["resources"] if r["name"] == "claims")["schema"]
    assert claims["primaryKey"] == ["record_id", "claim_id"]
    assert {
        "fields": ["claimant"],
        "reference": {"resource": "actors", "fields": ["id"]},
    } in claims["foreignKeys"]
    stance = next(f for f in claims["fields"] if f["name"] == "stance")
    assert stance["description"] and stance["constraints"]["enum"][0] == "asserts"


def test_records_json_holds_every_record_exactly_as_the_models_dump_it(shared):
    report = validate_tree(shared, collect=True)
    data = json.loads((shared / "data" / "records.json").read_text(encoding="utf-8"))
    assert data["version"] == DATA_VERSION
    assert {r["id"]: r for r in data["records"]} == {v["id"]: v for v in report.records.values()}
    assert len(data["actors"]) + len(data["sources"]) == len(report.registries)


def test_csv_files_are_utf8_with_lf_line_endings(shared):
    for name, data in built_files(shared).items():
        if name.endswith(".csv"):
            text = data.decode("utf-8")
            assert "\r" not in text and text.endswith("\n") and not text.startswith("\ufeff")


def test_two_builds_of_the_same_records_are_byte_identical(built, tmp_path):
    other = make_tree(tmp_path / "b")
    assert run("build", "--root", str(other), "--out", str(other)).returncode == 0
    assert built_files(built) == built_files(other)
    # and a rebuild in place changes nothing
    before = built_files(built)
    done = run("build", "--root", str(built), "--out", str(built))
    assert done.returncode == 0 and "wrote" not in done.stdout
    assert built_files(built) == before


def test_changing_one_record_changes_only_its_rows(built):
    before = built_files(built)
    data = seed("arrest")
    data["title"] = data["title"] + " (edited)"
    write(built, "arrests/2015/000/ARR-2015-00001.yaml", data)
    assert run("build", "--root", str(built), "--out", str(built)).returncode == 0
    after = built_files(built)
    changed = {k for k in before if before[k] != after[k]}
    # the title is in the records table, the nested records and the events table; the
    # index of records.json follows the bytes of the entries after it; the descriptor
    # records the size and hash of each
    assert changed == {
        "data/records.csv",
        "data/records.json",
        "data/events.csv",
        "data/records_index.json",
        "datapackage.json",
    }
    resources = json.loads(after["datapackage.json"])["resources"]
    old_resources = {r["name"]: r for r in json.loads(before["datapackage.json"])["resources"]}
    assert {r["path"] for r in resources if r["hash"] != old_resources[r["name"]]["hash"]} == (
        changed - {"datapackage.json"}
    )
    old = set(before["data/records.csv"].decode().splitlines())
    new = set(after["data/records.csv"].decode().splitlines())
    assert len(old - new) == 1 and (old - new).pop().startswith("ARR-2015-00001,")


def test_check_passes_on_a_fresh_build_and_writes_nothing(shared):
    before = built_files(shared)
    done = run("build", "--check", "--root", str(shared), "--out", str(shared))
    assert done.returncode == 0, done.stdout + done.stderr
    assert built_files(shared) == before


def test_check_names_a_hand_edited_csv_and_leaves_it(built):
    path = built / "data" / "claims.csv"
    edited = path.read_text(encoding="utf-8").replace("asserts", "confirms", 1)
    path.write_text(edited, encoding="utf-8")
    done = run("build", "--check", "--root", str(built), "--out", str(built))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "data/claims.csv: differs from what the records produce; run 'conflictdata build'"
    ]
    assert path.read_text(encoding="utf-8") == edited


def test_check_names_missing_and_extra_files(built):
    (built / "data" / "locations.csv").unlink()
    (built / "data" / "old_table.csv").write_text("a\n", encoding="utf-8")
    done = run("build", "--check", "--root", str(built), "--out", str(built))
    assert done.returncode == 1
    assert "data/locations.csv: missing" in done.stdout
    assert "data/old_table.csv: not produced by the records" in done.stdout
    assert run("build", "--root", str(built), "--out", str(built)).returncode == 0
    assert not (built / "data" / "old_table.csv").exists()


def test_a_bad_record_builds_nothing(tmp_path):
    root = make_tree(tmp_path)
    data = seed("arrest")
    data["status"] = "proven"
    write(root, "arrests/2015/000/ARR-2015-00001.yaml", data)
    done = run("build", "--root", str(root), "--out", str(root))
    assert done.returncode == 1
    assert "ARR-2015-00001.yaml:" in done.stdout and "status" in done.stdout
    assert "Traceback" not in done.stderr
    assert not (root / "datapackage.json").exists() and not (root / "data").exists()


def test_withdrawn_ids_are_published(tmp_path):
    root = make_tree(tmp_path)
    (root / "records" / "withdrawn.yaml").write_text(
        '- id: ARR-2015-00099\n  reason: duplicate\n  replaced_by: ARR-2015-00001\n  withdrawn: "2026-11-22"\n',
        encoding="utf-8",
    )
    assert run("build", "--root", str(root), "--out", str(root)).returncode == 0
    rows = (root / "data" / "withdrawn.csv").read_text(encoding="utf-8").splitlines()
    assert rows == [
        "id,reason,replaced_by,withdrawn,note",
        "ARR-2015-00099,duplicate,ARR-2015-00001,2026-11-22,",
    ]


def _frictionless(descriptor: Path):
    return subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", str(descriptor)],
        capture_output=True,
        text=True,
        cwd=descriptor.parent,
    )


def test_frictionless_cli_reports_the_package_valid(shared):
    done = _frictionless(shared / "datapackage.json")
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["valid"], done.stdout[:3000]
    assert len(report["tasks"]) == len(
        json.loads((shared / "datapackage.json").read_text())["resources"]
    )


def test_frictionless_cli_checks_the_foreign_keys(built):
    path = built / "data" / "claim_via.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 1
    first = lines[1].split(",")
    first[0] = "ARR-1999-00001"  # a record that does not exist
    lines[1] = ",".join(first)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = _frictionless(built / "datapackage.json")
    assert done.returncode == 1
    errors = [e for t in json.loads(done.stdout)["tasks"] for e in t["errors"]]
    # the broken reference, and the file no longer matches the hash the build recorded
    assert sorted(e["type"] for e in errors) == ["foreign-key", "hash-count"]


def test_build_writes_into_build_by_default_and_leaves_the_release_alone(tmp_path):
    root = make_tree(tmp_path)
    (root / "datapackage.json").write_text("the committed release\n", encoding="utf-8")
    done = run("build", "--root", str(root))
    assert done.returncode == 0, done.stdout + done.stderr
    assert (root / "build" / "datapackage.json").is_file()
    assert (root / "build" / "data" / "records.json").is_file()
    assert (root / "datapackage.json").read_text(encoding="utf-8") == "the committed release\n"
    assert not (root / "data").exists()


def test_render_is_a_pure_function_of_the_report(tmp_path):
    root = make_tree(tmp_path)
    one = build.render(validate_tree(root, collect=True))
    two = build.render(validate_tree(root, collect=True, jobs=1))
    assert one == two


def test_text_with_a_lone_carriage_return_reads_back_unchanged(tmp_path):
    import csv

    root = make_tree(tmp_path)
    data = seed("arrest")
    data["title"] = 'before\rafter, "quoted"'
    write(root, "arrests/2015/000/ARR-2015-00001.yaml", data)
    done = run("build", "--root", str(root), "--out", str(root))
    assert done.returncode == 0, done.stdout + done.stderr
    with open(root / "data" / "records.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    row = next(r for r in rows if r["id"] == "ARR-2015-00001")
    assert row["title"] == 'before\rafter, "quoted"'
    assert len(rows) == len(list((root / "records" / "arrests").rglob("*.yaml"))) + sum(
        len(list((root / "records" / k).rglob("*.yaml")))
        for k in ("incidents", "weapons-transfers", "recruitment")
    )
