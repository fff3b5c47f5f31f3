"""The route to joining the dataset with ACLED or UCDP GED at their scale: the Parquet
export read by DuckDB. The query in the README runs, as written, on a generated tree
joined with an external table, and gives what the tables say."""

from __future__ import annotations

import csv
import importlib.util
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "conflictdata.cli"]

pytestmark = pytest.mark.slow


def readme_query() -> str:
    """The SQL block of the README's section on joining with ACLED or UCDP GED."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("Joining with ACLED or UCDP GED") :]
    return re.search(r"```sql\n(.*?)```", section, re.S).group(1)


def _generate(n: int, out: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.generate(n, out, seed=3)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A generated tree, built and exported to parquet/, and an external event table
    (ged.csv, laid out like a UCDP GED extract with an ISO country code added)."""
    work = tmp_path_factory.mktemp("duckdb")
    tree = work / "tree"
    _generate(120, tree)
    done = subprocess.run(
        [*CLI, "build", "--root", str(tree), "--out", str(work / "release")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run(
        [*CLI, "export", "parquet", str(work / "parquet"), "--root", str(work / "release")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # External events: for every third record, two in its country inside its dates and
    # one just after them; plus events in a country no record has.
    with open(work / "release" / "data" / "events.csv", newline="", encoding="utf-8") as f:
        events = list(csv.DictReader(f))
    rows, serial = [], 0
    for i, e in enumerate(events):
        if i % 3:
            continue
        latest = date.fromisoformat(e["date_latest"])
        for start, best in (
            (e["date_earliest"], 3),
            (e["date_latest"], 5),
            (str(latest + timedelta(days=1)), 7),
        ):
            serial += 1
            rows.append([serial, e["country"], start, start, best])
    for k in range(5):
        serial += 1
        rows.append([serial, "AQ", "2015-01-01", "2025-12-31", 100 + k])
    with open(work / "ged.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "country_iso2", "date_start", "date_end", "best"])
        w.writerows(rows)
    return work


def _expected(work: Path) -> dict[str, tuple]:
    """Per record, from the CSV tables and ged.csv directly: (challenging claims,
    external events overlapping it in its country, their deaths)."""
    data = work / "release" / "data"
    with open(data / "claims.csv", newline="", encoding="utf-8") as f:
        claims = list(csv.DictReader(f))
    with open(data / "events.csv", newline="", encoding="utf-8") as f:
        events = list(csv.DictReader(f))
    with open(work / "ged.csv", newline="", encoding="utf-8") as f:
        ged = list(csv.DictReader(f))
    challenging = {"denies", "disputes", "doubts", "retracts"}
    out = {}
    for e in events:
        n_challenging = sum(
            1 for c in claims if c["record_id"] == e["id"] and c["stance"] in challenging
        )
        hits = [
            g
            for g in ged
            if g["country_iso2"] == e["country"]
            and g["date_start"] <= e["date_latest"]
            and g["date_end"] >= e["date_earliest"]
        ]
        out[e["id"]] = (n_challenging, len(hits), sum(int(g["best"]) for g in hits))
    return out


def test_the_readme_query_joins_events_and_claims_with_an_external_table(workdir, monkeypatch):
    monkeypatch.chdir(workdir)  # the query names its files relative to where it runs
    con = duckdb.connect()
    result = con.execute(readme_query()).fetchall()
    names = [d[0] for d in con.description]
    got = {
        r[names.index("id")]: (
            r[names.index("challenging_claims")],
            r[names.index("ged_events")],
            r[names.index("ged_deaths_best")],
        )
        for r in result
    }
    want = _expected(workdir)
    assert got == want
    assert sum(v[1] for v in want.values()) > 0  # the join found something
    assert any(v[0] for v in want.values())  # and some records have challenged claims
    # ordered by how many external events overlap each record
    counts = [r[names.index("ged_events")] for r in result]
    assert counts == sorted(counts, reverse=True)


def test_parquet_columns_are_typed_for_joins(workdir):
    con = duckdb.connect()
    types = dict(
        con.execute(
            f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "
            f"'{workdir / 'parquet' / 'events.parquet'}')"
        ).fetchall()
    )
    assert types["date_earliest"] == "DATE" and types["date_latest"] == "DATE"
    assert types["fatalities_best"] == "BIGINT" and types["country"] == "VARCHAR"
    assert types["date_year_inferred"] == "BOOLEAN"
