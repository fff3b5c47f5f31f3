"""The wheel as a researcher gets it: installed with its pandas and export extras in a
fresh virtual environment, run from a folder outside any checkout. Reading commands
read the bundled release and say so; the filters, the events table, the exports and
the citation give real answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conflictdata.core import metadata

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _run(cmd, ok=True, **kw):
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if ok:
        assert done.returncode == 0, f"{cmd}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory, wheel):
    tmp = tmp_path_factory.mktemp("wheel")
    assert not str(tmp).startswith(str(ROOT))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    bin_ = venv / ("Scripts" if os.name == "nt" else "bin")
    _run(
        [
            str(bin_ / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"conflictdata[pandas,export] @ {wheel.as_uri()}",
        ]
    )
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return wheel, bin_, elsewhere, env


def test_the_wheel_carries_the_citation_and_the_changelog_when_there_is_one(installed):
    wheel = installed[0]
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "conflictdata/_release/CITATION.cff" in names
    assert ("conflictdata/_release/CHANGELOG.md" in names) == (ROOT / "CHANGELOG.md").is_file()
    assert "conflictdata/_release/data/events.csv" in names


def test_stats_reads_the_bundled_release_and_says_so(installed):
    _, bin_, elsewhere, env = installed
    done = _run([str(bin_ / "conflictdata"), "stats"], cwd=elsewhere, env=env)
    first = done.stdout.splitlines()[0]
    n = int(first.split()[0])
    expected = len(json.loads((ROOT / "data/records.json").read_text(encoding="utf-8"))["records"])
    assert n == expected > 0
    assert f"read release {metadata.DATA_VERSION}" in done.stderr
    assert "installed with the package" in done.stderr and str(bin_.parent) in done.stderr


def test_export_xlsx_and_cite_work_without_a_checkout(installed):
    _, bin_, elsewhere, env = installed
    out = elsewhere / "out" / "conflictdata.xlsx"
    _run([str(bin_ / "conflictdata"), "export", "xlsx", str(out)], cwd=elsewhere, env=env)
    assert zipfile.is_zipfile(out)
    cite = _run([str(bin_ / "conflictdata"), "cite"], cwd=elsewhere, env=env)
    assert "[Data set]" in cite.stdout and "_release" in cite.stderr
    version = _run([str(bin_ / "conflictdata"), "--version"], cwd=elsewhere, env=env)
    assert f"data {metadata.DATA_VERSION}" in version.stdout and "schema " in version.stdout


def test_python_reading_works_without_a_checkout(installed):
    _, bin_, elsewhere, env = installed
    script = """
import json, conflictdata
ds = conflictdata.load()
events = ds.to_pandas("events")
kg = ds.filter(country="Kyrgyzstan", start="2015")
sbu = ds.filter(actor="SBU")
try:
    ds.filter(kind="arrests")
    error = None
except ValueError as e:
    error = str(e)
print(json.dumps({
    "events": len(events), "records": len(ds), "ids": list(events["id"]) == ds.ids,
    "kg": [r.id for r in kg], "kg_ok": all(any(l.country == "KG" for l in r.locations) for r in kg),
    "sbu": [r.id for r in sbu], "error": error, "kind": ds[ds.ids[0].lower()].kind,
}))
"""
    out = json.loads(_run([str(bin_ / "python"), "-c", script], cwd=elsewhere, env=env).stdout)
    assert out["events"] == out["records"] > 0 and out["ids"]
    assert out["kg"] and out["kg_ok"]
    assert out["sbu"]
    assert out["error"] and "'arrest'" in out["error"]
    assert out["kind"] in ("incident", "arrest", "weapons_transfer", "recruitment")
