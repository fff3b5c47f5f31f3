"""``conflictdata stats``: counts by kind, country, year and status."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conflictdata.core import paths, vocab
from conflictdata.reader.yamlreader import read
from conflictdata.tools import stats
from seeds import make_tree


def record(tree: Path, record_id: str, status: str, countries: list[str], earliest: str) -> None:
    locations = "".join(
        f"- country: {c}\n  precision: country\n  claims: [c1]\n" for c in countries
    )
    text = f'id: {record_id}\nstatus: {status}\ndate:\n  earliest: "{earliest}"\nlocations:\n{locations}'
    path = tree / "records" / paths.record_relpath(record_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def small(tmp_path: Path) -> Path:
    (tmp_path / "records").mkdir()
    record(tmp_path, "ARR-2015-00001", "reported", ["KW"], "2015-11-01")
    record(tmp_path, "ARR-2015-00002", "disputed", ["UA", "RU"], "2015-12-01")
    record(tmp_path, "INC-2014-00001", "reported", ["UA"], "2014-06-30")
    record(tmp_path, "REC-2022-00001", "corroborated", ["RU"], "2022-01-01")
    (tmp_path / "records/recruitment/2022/000/REC-2022-00002.yaml").write_text(
        "id: [broken\n", encoding="utf-8"
    )
    return tmp_path


def test_counts_by_every_dimension(small):
    got = stats.count(small)
    assert got["records"] == 4
    assert got["unreadable"] == ["records/recruitment/2022/000/REC-2022-00002.yaml"]
    assert got["by_kind"] == {
        "incident": {"incident": 1, "total": 1},
        "arrest": {"arrest": 2, "total": 2},
        "recruitment": {"recruitment": 1, "total": 1},
    }
    assert got["by_country"]["UA"] == {"incident": 1, "arrest": 1, "total": 2}
    assert got["by_country"]["RU"] == {"arrest": 1, "recruitment": 1, "total": 2}
    assert got["by_country"]["KW"] == {"arrest": 1, "total": 1}
    assert got["by_year"] == {
        "2014": {"incident": 1, "total": 1},
        "2015": {"arrest": 2, "total": 2},
        "2022": {"recruitment": 1, "total": 1},
    }
    assert list(got["by_status"]) == ["reported", "corroborated", "disputed"]  # vocabulary order
    assert got["by_status"]["reported"] == {"incident": 1, "arrest": 1, "total": 2}


def test_counts_agree_with_the_records_of_a_real_tree(tmp_path):
    tree = make_tree(tmp_path)
    got = stats.count(tree)
    files = [p for k in vocab.KINDS for p in (tree / "records" / k.folder).rglob("*.yaml")]
    assert got["records"] == len(files)
    statuses = Counter(read(p.read_bytes())["status"] for p in files)
    assert {s: row["total"] for s, row in got["by_status"].items()} == dict(statuses)


def test_text_table_and_json_from_the_cli(small):
    text = subprocess.run(
        [sys.executable, "-m", "conflictdata.cli", "stats"],
        cwd=small,
        capture_output=True,
        text=True,
    )
    assert text.returncode == 0
    lines = text.stdout.splitlines()
    assert lines[0] == "4 record(s)"
    header = next(line for line in lines if line.startswith("country"))
    assert header.split() == [
        "country",
        "incident",
        "arrest",
        "weapons_transfer",
        "recruitment",
        "total",
    ]
    ukraine = next(line for line in lines if line.startswith("UA "))
    assert ukraine.split()[-1] == "2" and "Ukraine" in ukraine
    as_json = subprocess.run(
        [sys.executable, "-m", "conflictdata.cli", "stats", "--format", "json"],
        cwd=small,
        capture_output=True,
        text=True,
    )
    assert json.loads(as_json.stdout) == stats.count(small)
