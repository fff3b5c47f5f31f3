"""Datasette as a reader would want it, checked in a real headless browser.

The committed release is exported to SQLite with its ``metadata.json``; ``datasette``
serves it on 127.0.0.1 on a free port for the module's tests (and is stopped at the
end). Playwright drives Debian's Chromium (``/usr/bin/chromium``); without it the
browser tests skip, saying why, except under CI (the environment variable ``CI`` set),
where a missing browser fails the run. No screenshot is written.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import conflictdata

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CLI = [sys.executable, "-m", "conflictdata.cli"]
DB = "conflictdata"


def _required(what: str, why: str):
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing under CI: {why}")
    pytest.skip(f"{what} is missing: {why}")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    pytest.importorskip("sqlite_utils")
    out = tmp_path_factory.mktemp("datasette") / f"{DB}.db"
    done = subprocess.run(
        [*CLI, "export", "sqlite", str(out), "--root", str(ROOT)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return out


def test_metadata_puts_events_first_hides_internals_and_has_a_record_page(exported):
    meta = json.loads((exported.parent / "metadata.json").read_text(encoding="utf-8"))
    db = meta["databases"][DB]
    assert db["description_html"].index("events") < db["description_html"].index("record")
    assert db["tables"]["claim_backing"]["hidden"] is True
    assert not any(t.get("hidden") for name, t in db["tables"].items() if name != "claim_backing")
    assert db["tables"]["actors"]["label_column"] == "name"
    assert "record" in db["queries"] and ":id" in db["queries"]["record"]["sql"]
    assert meta["plugins"]["datasette-cluster-map"]["latitude_column"] == "latitude"


def test_the_record_query_gives_every_claim_of_a_record_in_order(exported):
    import sqlite3

    meta = json.loads((exported.parent / "metadata.json").read_text(encoding="utf-8"))
    sql = meta["databases"][DB]["queries"]["record"]["sql"]
    ds = conflictdata.load(ROOT)
    con = sqlite3.connect(exported)
    for record in ds:
        rows = con.execute(sql, {"id": record.id.lower()}).fetchall()
        assert [r[0] for r in rows] == [c.id for c in record.claims], record.id
        assert [r[3] for r in rows] == [c.quote for c in record.claims], record.id
        assert [r[1] for r in rows] == [c.stance for c in record.claims], record.id
        assert [r[4] for r in rows] == [
            f"{c.grade.source_reliability}{c.grade.credibility}" for c in record.claims
        ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(exported, tmp_path_factory):
    exe = shutil.which("datasette") or str(Path(sys.executable).with_name("datasette"))
    if not Path(exe).is_file():
        _required("datasette", "pip install -e '.[test]' installs it")
    port = _free_port()
    log = tmp_path_factory.mktemp("log") / "datasette.log"
    env = {**os.environ, "DATASETTE_LOAD_PLUGINS": "datasette-cluster-map,datasette-leaflet"}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                exe,
                "serve",
                str(exported),
                "--metadata",
                str(exported.parent / "metadata.json"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/-/plugins.json", timeout=2) as r:
                    plugins = json.loads(r.read())
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"datasette did not start:\n{log.read_text(errors='replace')}")
                time.sleep(0.3)
        yield base, plugins
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_the_map_plugin_is_loaded(server):
    _, plugins = server
    assert "datasette-cluster-map" in {p["name"] for p in plugins}


@pytest.fixture(scope="module")
def page(server):
    if not CHROMIUM.is_file():
        _required(str(CHROMIUM), "apt-get install chromium (.ci/run does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _required("playwright", "pip install -e '.[test]'")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            pg = browser.new_page()
            pg.set_default_timeout(30_000)
            yield pg
        finally:
            browser.close()


def _record_with_most_claims():
    ds = conflictdata.load(ROOT)
    return max(ds, key=lambda r: len(r.claims))


def test_a_record_page_shows_its_claims_quotes(server, page):
    base, _ = server
    record = _record_with_most_claims()
    page.goto(f"{base}/{DB}/record?id={record.id}")
    text = " ".join(page.inner_text("body").split())
    for claim in record.claims:
        assert " ".join(claim.quote.split()) in text, f"{record.id}#{claim.id}"
        assert claim.stance in text
    assert record.title in text


def test_the_database_page_starts_with_events_and_hides_claim_backing(server, page):
    base, _ = server
    page.goto(f"{base}/{DB}")
    text = page.inner_text("body")
    assert "Start here" in text
    assert text.index("events") < text.index("actor_aliases")
    visible = [a.inner_text() for a in page.query_selector_all("h3 a")]
    assert "claim_backing" not in visible and "events" in visible


def test_the_events_table_has_a_map_of_the_events_with_coordinates(server, page):
    base, _ = server
    page.goto(f"{base}/{DB}/events")
    page.wait_for_selector(".leaflet-container")
    page.wait_for_selector(".leaflet-marker-icon")
    ds = conflictdata.load(ROOT)
    with_coordinates = ds.to_pandas("events")["latitude"].notna().sum()
    assert with_coordinates > 0
