"""The installed package as a reading tool: exports in every format (and the events
table alone), output folders created or refused with a message, stats on a release
without a checkout, versions and the citation."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conflictdata.core import metadata
from conflictdata.model.models import SCHEMA_VERSION
from seeds import make_tree, seed, write

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "conflictdata.cli"]
FORMULA_TITLE = '=HYPERLINK("http://example.org","click") is how a title must never act'


def run(*args, cwd=None):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """A built seed tree with one title that a spreadsheet would take for a formula."""
    root = make_tree(tmp_path_factory.mktemp("tree"))
    data = seed("arrest")
    data["title"] = FORMULA_TITLE
    write(root, "arrests/2015/000/ARR-2015-00001.yaml", data)
    done = run("build", "--root", str(root), "--out", str(root))
    assert done.returncode == 0, done.stderr
    return root


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _tables(root: Path) -> list[dict]:
    desc = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return [r for r in desc["resources"] if r.get("type") == "table"]


# --- xlsx --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(release, tmp_path_factory):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path_factory.mktemp("x") / "conflictdata.xlsx"
    done = run("export", "xlsx", str(out), "--root", str(release))
    assert done.returncode == 0, done.stderr
    return openpyxl.load_workbook(out)


def test_xlsx_has_a_readme_then_one_sheet_per_table(workbook, release):
    assert workbook.sheetnames == ["README"] + [r["name"] for r in _tables(release)]
    readme = {row[0]: row[1] for row in workbook["README"].iter_rows(values_only=True) if row[0]}
    assert readme["Data version"] == metadata.DATA_VERSION
    assert readme["Schema version"] == SCHEMA_VERSION
    assert "Creative Commons Attribution 4.0" in readme["Licence"]
    assert "[Data set]" in readme["Cite as"] and metadata.DATA_VERSION in readme["Cite as"]


def test_xlsx_sheets_hold_every_row_and_value(workbook, release):
    for resource in _tables(release):
        rows = _rows(release / resource["path"])
        sheet = list(workbook[resource["name"]].iter_rows(values_only=True))
        assert list(sheet[0]) == rows[0], resource["name"]
        assert len(sheet) == len(rows), resource["name"]
        types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        for got, want in zip(sheet[1:], rows[1:], strict=True):
            for name, g, w in zip(rows[0], got, want, strict=True):
                if w == "":
                    assert g is None, (resource["name"], name)
                elif types[name] == "date":
                    assert g.date().isoformat() == w
                elif types[name] == "boolean":
                    assert g is (w == "true")
                elif types[name] in ("integer", "number"):
                    assert g == float(w)
                else:
                    assert g == w, (resource["name"], name)


def test_xlsx_text_that_looks_like_a_formula_stays_text(workbook):
    sheet = workbook["records"]
    header = [c.value for c in sheet[1]]
    col = header.index("title")
    cell = next(row[col] for row in sheet.iter_rows(min_row=2) if row[0].value == "ARR-2015-00001")
    assert cell.value == FORMULA_TITLE  # not altered
    assert cell.data_type == "s"  # a string, not a formula
    assert cell.quotePrefix  # and editing it does not make it one


def test_xlsx_events_only(release, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "events.xlsx"
    assert run("export", "xlsx", str(out), "--events-only", "--root", str(release)).returncode == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["README", "events"]
    assert book["events"].max_row == len(_rows(release / "data/events.csv"))


# --- csv, sqlite, parquet ----------------------------------------------------------------


def test_csv_export_is_the_data_package_byte_for_byte(release, tmp_path):
    out = tmp_path / "package"
    assert run("export", "csv", str(out), "--root", str(release)).returncode == 0
    for resource in _tables(release):
        assert (out / resource["path"]).read_bytes() == (release / resource["path"]).read_bytes()
    assert (out / "datapackage.json").is_file() and (out / "data/records.json").is_file()


def test_csv_events_only_is_a_valid_package_of_one_table(release, tmp_path):
    out = tmp_path / "events"
    assert run("export", "csv", str(out), "--events-only", "--root", str(release)).returncode == 0
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in desc["resources"]] == ["events"]
    assert sorted(p.name for p in (out / "data").iterdir()) == ["events.csv"]
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
        capture_output=True,
        text=True,
        cwd=out,
    )
    assert json.loads(done.stdout)["valid"], done.stdout[-3000:]


def test_sqlite_and_parquet_events_only(release, tmp_path):
    import sqlite3

    db = tmp_path / "e.db"
    assert run("export", "sqlite", str(db), "--events-only", "--root", str(release)).returncode == 0
    con = sqlite3.connect(db)
    names = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
    assert names == ["events"]
    pq = pytest.importorskip("pyarrow.parquet")
    folder = tmp_path / "pq"
    assert (
        run("export", "parquet", str(folder), "--events-only", "--root", str(release)).returncode
        == 0
    )
    assert [p.name for p in folder.iterdir()] == ["events.parquet"]
    assert (
        pq.read_table(folder / "events.parquet").num_rows
        == len(_rows(release / "data/events.csv")) - 1
    )


# --- output folders ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt,name", [("sqlite", "x.db"), ("xlsx", "x.xlsx"), ("csv", "x"), ("parquet", "x")]
)
def test_a_missing_output_folder_is_created(release, tmp_path, fmt, name):
    out = tmp_path / "not" / "yet" / name
    done = run("export", fmt, str(out), "--root", str(release))
    assert done.returncode == 0, done.stderr
    assert out.exists()


@pytest.mark.parametrize("fmt", ["sqlite", "xlsx"])
def test_a_folder_where_a_file_belongs_is_refused_with_a_message(release, tmp_path, fmt):
    done = run("export", fmt, str(tmp_path), "--root", str(release))
    assert done.returncode == 2
    assert "is a folder; give the name of the file" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("fmt", ["csv", "parquet", "sqlite"])
def test_a_file_in_the_way_is_refused_with_a_message(release, tmp_path, fmt):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    done = run("export", fmt, str(blocker / "out"), "--root", str(release))
    assert done.returncode == 2 and "export: " in done.stderr
    assert "Traceback" not in done.stderr


def test_export_says_which_release_it_read(release, tmp_path):
    done = run("export", "csv", str(tmp_path / "o"), "--events-only", "--root", str(release))
    assert (
        f"reading release {metadata.DATA_VERSION} (schema {SCHEMA_VERSION}) at {release}"
        in done.stderr
    )


# --- stats, version, cite ----------------------------------------------------------------


def test_stats_outside_a_checkout_reads_a_release_and_says_which(release, tmp_path):
    package = tmp_path / "package"
    assert run("export", "csv", str(package), "--root", str(release)).returncode == 0
    done = run("stats", "--format", "json", "--root", str(package), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    counted = json.loads(done.stdout)
    records = json.loads((release / "data/records.json").read_text(encoding="utf-8"))["records"]
    assert counted["records"] == len(records) > 0
    assert f"read release {metadata.DATA_VERSION}" in done.stderr
    # and the same counts as from the record files of the checkout
    from_files = json.loads(run("stats", "--format", "json", "--root", str(release)).stdout)
    assert counted == from_files


def test_stats_on_a_folder_with_nothing_in_it_says_so(tmp_path):
    done = run("stats", "--root", str(tmp_path))
    assert done.returncode == 2 and "no release at" in done.stderr


def test_version_names_package_data_and_schema():
    from conflictdata import __version__

    done = run("--version")
    assert done.returncode == 0
    # the versions of the release the checkout carries: its schema may be older than the
    # code's SCHEMA_VERSION until the next release is written
    release = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    schema = release.get("schemaVersion") or SCHEMA_VERSION
    assert done.stdout.strip() == (
        f"conflictdata {__version__} (data {metadata.DATA_VERSION}, schema {schema})"
    )


def test_cite_in_every_format():
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    apa = run("cite")
    assert apa.returncode == 0
    assert apa.stdout.startswith(f"conflictdata contributors. ({cff['date-released'][:4]}).")
    assert f"(Version {cff['version']}) [Data set]" in apa.stdout
    bib = run("cite", "--format", "bibtex").stdout
    assert bib.startswith("@misc{conflictdata_") and f"version = {{{cff['version']}}}" in bib
    assert run("cite", "--format", "cff").stdout == (ROOT / "CITATION.cff").read_text(
        encoding="utf-8"
    )


def test_cite_without_a_citation_file_says_so(tmp_path):
    done = run("cite", "--root", str(tmp_path))
    assert done.returncode == 1 and "no CITATION.cff" in done.stderr
