"""conflictdata export sqlite: the package's tables in SQLite with their keys, and a
Datasette metadata file beside it."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from seeds import make_tree

CLI = [sys.executable, "-m", "conflictdata.cli"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path]:
    root = make_tree(tmp_path_factory.mktemp("tree"))
    assert (
        subprocess.run(
            [*CLI, "build", "--root", str(root), "--out", str(root)], capture_output=True
        ).returncode
        == 0
    )
    out = tmp_path_factory.mktemp("out") / "conflictdata.db"
    done = subprocess.run(
        [*CLI, "export", "sqlite", str(out), "--root", str(root)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root, out


def test_every_table_is_exported_with_all_its_rows(exported):
    root, db = exported
    desc = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    con = sqlite3.connect(db)
    for r in desc["resources"]:
        if r.get("type") != "table":
            continue
        with open(root / r["path"], encoding="utf-8", newline="") as f:
            expected = sum(1 for _ in csv.reader(f)) - 1
        assert con.execute(f'select count(*) from "{r["name"]}"').fetchone()[0] == expected, r[
            "name"
        ]


def test_foreign_keys_hold(exported):
    _, db = exported
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = {(row[2], row[3], row[4]) for row in con.execute("PRAGMA foreign_key_list(claim_via)")}
    assert fks == {
        ("claims", "record_id", "record_id"),
        ("claims", "claim_id", "claim_id"),
        ("actors", "intermediary", "id"),
    }


def test_foreign_key_check_catches_a_broken_reference(exported, tmp_path):
    _, db = exported
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    con = sqlite3.connect(copy)
    con.execute("update claims set claimant = 'nobody' where rowid = 1")
    con.commit()
    assert [row[0] for row in con.execute("PRAGMA foreign_key_check")] == ["claims"]


def test_claims_join_their_claimants_and_records(exported):
    _, db = exported
    con = sqlite3.connect(db)
    n_claims = con.execute("select count(*) from claims").fetchone()[0]
    joined = con.execute(
        "select c.record_id, c.claim_id, a.name, r.title from claims c "
        "join actors a on a.id = c.claimant join records r on r.id = c.record_id"
    ).fetchall()
    assert len(joined) == n_claims > 0
    row = con.execute(
        "select a.name from claims c join actors a on a.id = c.claimant "
        "where c.record_id = 'WTR-2015-00001' and c.claim_id = 'c4'"
    ).fetchone()
    assert row == ("Ministry of Defence of Ukraine",)


def test_values_are_typed(exported):
    _, db = exported
    con = sqlite3.connect(db)
    assert con.execute("select typeof(grade_credibility) from claims limit 1").fetchone() == (
        "integer",
    )
    assert con.execute("select distinct typeof(date_year_inferred) from records").fetchall() == [
        ("integer",)
    ]
    assert con.execute(
        "select date_year_inferred from records where id = 'WTR-2015-00001'"
    ).fetchone() == (1,)
    assert con.execute(
        "select typeof(geonames_id), typeof(region) from locations "
        "where record_id = 'WTR-2015-00001'"
    ).fetchone() == ("null", "null")
    assert con.execute("select typeof(date_earliest) from records limit 1").fetchone() == ("text",)


def test_datasette_metadata_describes_the_database(exported):
    _, db = exported
    meta = json.loads((db.parent / "metadata.json").read_text(encoding="utf-8"))
    assert meta["license"] == "CC BY 4.0" and meta["license_url"].startswith(
        "https://creativecommons.org/"
    )
    assert meta["title"] and meta["source"].startswith("conflictdata ")
    tables = meta["databases"]["conflictdata"]["tables"]
    assert tables["claims"]["description"]
    assert tables["claims"]["columns"]["stance"]


def test_export_without_a_release_is_a_clear_error(tmp_path):
    make_tree(tmp_path)
    done = subprocess.run(
        [*CLI, "export", "sqlite", str(tmp_path / "x.db"), "--root", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "conflictdata build" in done.stderr and "Traceback" not in done.stderr


def test_parquet_export_has_every_table_typed(exported, tmp_path):
    import pyarrow.parquet as pq

    root, db = exported
    folder = tmp_path / "parquet"
    done = subprocess.run(
        [*CLI, "export", "parquet", str(folder), "--root", str(root)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    con = sqlite3.connect(db)
    desc = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    for r in desc["resources"]:
        if r.get("type") != "table":
            continue
        table = pq.read_table(folder / f"{r['name']}.parquet")
        assert table.column_names == [f["name"] for f in r["schema"]["fields"]]
        assert table.num_rows == con.execute(f'select count(*) from "{r["name"]}"').fetchone()[0]
    claims = pq.read_table(folder / "claims.parquet")
    assert str(claims.schema.field("grade_credibility").type) == "int64"
    records = pq.read_table(folder / "records.parquet")
    assert str(records.schema.field("date_earliest").type) == "date32[day]"
    sqlite_titles = dict(con.execute("select id, title from records").fetchall())
    assert (
        dict(
            zip(records.column("id").to_pylist(), records.column("title").to_pylist(), strict=True)
        )
        == sqlite_titles
    )
