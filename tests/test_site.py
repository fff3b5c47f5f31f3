"""The evidence site: static pages from a release, checked as files and in a real browser.

The browser tests drive Debian's Chromium (``/usr/bin/chromium``) with Playwright; they
skip, saying why, where it is missing, except under CI (the environment variable
``CI`` set), where a missing browser fails the run. ``pytest tests/test_site.py
--site-screenshot docs/site-record.png`` also writes the README's screenshot.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import conflictdata
from conflictdata.core import vocab
from conflictdata.publish import site

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CLI = [sys.executable, "-m", "conflictdata.cli"]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


# --- Helpers -------------------------------------------------------------------------


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node] = []
        self.content: list = []  # text and child elements, in document order

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent

    def all_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.all_text() for c in self.content)


class Tree(HTMLParser):
    """A page as a tree of elements, with an index by id: enough to check nesting."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root
        self.ids: dict[str, Node] = {}
        self.nodes: list[Node] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.cur)
        self.cur.children.append(node)
        self.cur.content.append(node)
        self.nodes.append(node)
        if "id" in node.attrs:
            self.ids[node.attrs["id"]] = node
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.cur = self.cur.parent

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.content.append(data)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def same_record_parent(claim) -> str | None:
    ref = claim.responds_to
    return ref if ref and "#" not in ref else None


@pytest.fixture(scope="module")
def dataset():
    return conflictdata.load(ROOT)


@pytest.fixture(scope="module")
def built(tmp_path_factory, dataset) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    site.write(out, site.build(dataset))
    return out


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def threaded_record(dataset):
    """The record with the most claims that answer another claim in it."""
    return max(
        dataset, key=lambda r: (sum(same_record_parent(c) is not None for c in r.claims), r.id)
    )


# --- The files -----------------------------------------------------------------------


def test_the_same_release_gives_byte_identical_sites(tmp_path, built):
    done = subprocess.run(
        [*CLI, "site", str(tmp_path / "again"), "--root", str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    first = {p.relative_to(built): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    second = {
        p.relative_to(tmp_path / "again"): p.read_bytes()
        for p in (tmp_path / "again").rglob("*")
        if p.is_file()
    }
    assert sorted(first) == sorted(second)
    assert [k for k in first if first[k] != second[k]] == []


def test_every_record_actor_and_source_has_a_page(built, dataset):
    for r in dataset:
        assert (built / "records" / f"{r.id}.html").is_file(), r.id
    for a in dataset.actors:
        assert (built / "actors" / f"{a}.html").is_file(), a
    for s in dataset.sources:
        assert (built / "sources" / f"{s}.html").is_file(), s
    assert (built / "index.html").is_file()


def test_the_index_lists_every_record_with_its_counts(built, dataset):
    tree = Tree(read(built, "index.html"))
    rows = {
        n.attrs["data-record"]: n for n in tree.nodes if n.tag == "tr" and "data-record" in n.attrs
    }
    assert sorted(rows) == sorted(dataset.ids)
    for r in dataset:
        row = rows[r.id]
        assert row.attrs["data-status"] == r.status
        assert row.attrs["data-countries"].split() == sorted({loc.country for loc in r.locations})
        cells = {
            c.attrs.get("data-label"): squash(c.all_text()) for c in row.children if c.tag == "td"
        }
        supporting = sum(c.stance in ("asserts", "confirms") for c in r.claims)
        contesting = sum(c.stance in ("denies", "disputes", "doubts", "retracts") for c in r.claims)
        assert cells["Supporting claims"] == str(supporting)
        assert cells["Contesting claims"] == str(contesting)
        assert cells["Status"].endswith(r.status)


def test_every_relative_link_and_fragment_resolves(built):
    pages = sorted(built.rglob("*.html"))
    trees = {p: Tree(p.read_text(encoding="utf-8")) for p in pages}
    broken = []
    for page, tree in trees.items():
        for node in tree.nodes:
            for attr in ("href", "src"):
                url = node.attrs.get(attr)
                if url is None or urlsplit(url).scheme in ("http", "https"):
                    continue
                assert not url.startswith("/"), f"{page}: {url} is not relative"
                parts = urlsplit(url)
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                if not target.is_file():
                    broken.append(f"{page.relative_to(built)}: {url}")
                elif parts.fragment and target.suffix == ".html":
                    if parts.fragment not in trees[target].ids:
                        broken.append(f"{page.relative_to(built)}: {url} (no such id)")
    assert broken == []


def test_nothing_is_fetched(built):
    script = read(built, "assets/filter.js")
    assert "fetch(" not in script and "XMLHttpRequest" not in script
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', text), page


def test_each_answer_is_nested_under_the_claim_it_answers(built, dataset):
    for r in dataset:
        tree = Tree(read(built, f"records/{r.id}.html"))
        for c in r.claims:
            item = tree.ids[f"claim-{c.id}"]
            quote = next(n for n in item.children[0].children if n.tag == "blockquote")
            assert squash(quote.all_text()) == squash(c.quote)
            parent = same_record_parent(c)
            if parent is not None:
                assert tree.ids[f"claim-{parent}"] in item.ancestors(), f"{r.id} {c.id}"


def test_a_claim_answering_another_record_links_to_it(built, dataset):
    for r in dataset:
        for c in r.claims:
            if c.responds_to and "#" in c.responds_to:
                other, cid = c.responds_to.split("#")
                assert f'href="{other}.html#claim-{cid}"' in read(built, f"records/{r.id}.html")


def test_every_page_naming_a_person_gives_status_and_legal_status(built, dataset):
    for r in dataset:
        text = squash(Tree(read(built, f"records/{r.id}.html")).root.all_text())
        assert f"Status: {r.status}" in text
        for p in r.parties:
            actor = dataset.actors.get(p.actor) if p.actor else None
            if actor is None or actor.type != "person":
                continue
            assert actor.name in text
            status = (p.legal_status or "not given").replace("_", " ")
            assert f"{actor.name}, legal status {status}" in text, (r.id, actor.id)


def test_accused_roles_say_alleged_unless_a_source_reports_a_conviction(built, dataset):
    for r in dataset:
        tree = Tree(read(built, f"records/{r.id}.html"))
        roles = [
            squash(n.all_text())
            for n in tree.nodes
            if n.tag == "td" and n.attrs.get("data-label") == "Role"
        ]
        assert len(roles) == len(r.parties)
        for p, shown in zip(r.parties, roles, strict=True):
            if p.role in vocab.ACCUSED_ROLES and p.legal_status != "convicted":
                assert shown == f"alleged {p.role.replace('_', ' ')}", (r.id, p)


def test_actor_pages_show_every_role_and_claim(built, dataset):
    for aid in dataset.actors:
        text = read(built, f"actors/{aid}.html")
        for r in dataset.filter(actor=aid):
            assert f"../records/{r.id}.html" in text, (aid, r.id)
        for r in dataset:
            for c in r.claims:
                if c.claimant == aid:
                    assert f"../records/{r.id}.html#claim-{c.id}" in text, (aid, r.id, c.id)


def test_source_pages_list_every_record_they_feed(built, dataset):
    for sid in dataset.sources:
        text = read(built, f"sources/{sid}.html")
        fed = {r.id for r in dataset for c in r.claims if c.source == sid}
        linked = set(re.findall(r'href="\.\./records/([A-Z]{3}-\d{4}-\d{5})\.html"', text))
        assert linked == fed, sid


def test_quote_check_reads_the_claims_table_or_says_not_checked():
    assert site._verification(None, []) == {"state": "not checked", "details": []}
    assert (
        site._verification({"quote_verified": None}, ["quote_verified"])["state"] == "not checked"
    )
    columns = site.verification_columns(["quote", "quote_verified", "quote_archive_sha256"])
    assert columns == ["quote_archive_sha256", "quote_verified"]
    checked = site._verification({"quote_verified": True, "quote_archive_sha256": "ab12"}, columns)
    assert checked == {
        "state": "verified",
        "details": [("archived text checked, SHA-256", "ab12")],
    }
    assert (
        site._verification({"quote_verified": False}, ["quote_verified"])["state"] == "not verified"
    )


def test_a_translation_is_shown_where_the_schema_has_one():
    class Translation:
        text, by, language = "He was detained.", "curator", "en"

    class Claim:
        translation = Translation()

    class Plain:
        pass

    assert site._translation(Claim()) == (
        "He was detained.",
        "translated by a curator of this dataset",
        "en",
    )
    assert site._translation(Plain()) is None


def test_the_map_marks_each_place_with_coordinates_and_needs_no_tiles():
    places = [
        {"n": 1, "label": "Bishkek, Kyrgyzstan", "coords": (42.87, 74.59, "geonames")},
        {"n": 2, "label": "Osh, Kyrgyzstan", "coords": (40.53, 72.8, "record")},
        {"n": 3, "label": "Kyrgyzstan", "coords": None},
    ]
    svg = site.map_svg(places)
    assert svg.count("<circle") == 2
    assert "1. Bishkek, Kyrgyzstan" in svg and "2. Osh, Kyrgyzstan" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert site.map_svg([places[2]]) == ""


def test_the_timeline_draws_date_ranges_as_bars(dataset):
    svg = site.timeline_svg(site.Site(dataset))
    widths = {
        rid: float(w)
        for rid, w in re.findall(r'data-record="([^"]+)".*?<rect [^>]*width="([0-9.]+)"', svg, re.S)
    }
    assert sorted(widths) == sorted(dataset.ids)
    short = [r for r in dataset if r.date.earliest.year == r.date.latest.year]
    long = [r for r in dataset if r.date.latest.year - r.date.earliest.year >= 2]
    assert short and long
    assert max(widths[r.id] for r in short) < min(widths[r.id] for r in long)


def test_write_refuses_a_folder_it_did_not_write(tmp_path, dataset):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(site.SiteError, match="not empty"):
        site.write(tmp_path, {"index.html": b""})
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_rebuild_replaces_the_previous_site(tmp_path):
    site.write(tmp_path, {"index.html": b"1", "records/OLD.html": b"", site.MARKER: b""})
    site.write(tmp_path, {"index.html": b"2", site.MARKER: b""})
    assert (tmp_path / "index.html").read_bytes() == b"2"
    assert not (tmp_path / "records").exists()


# --- In a real browser ---------------------------------------------------------------


def _browser_or_skip():
    if not CHROMIUM.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    return sync_playwright


def test_browser_tests_skip_without_chromium_but_fail_under_ci(monkeypatch, tmp_path):
    monkeypatch.setitem(globals(), "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="is missing"):
        _browser_or_skip()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="is missing"):
        _browser_or_skip()


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        b = p.chromium.launch(
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
        yield b
        b.close()


def test_in_a_browser_filter_read_a_thread_and_visit_an_actor(browser, built, dataset, request):
    record = threaded_record(dataset)
    country = record.locations[0].country
    expected = sorted(r.id for r in dataset.filter(country=country))
    assert 0 < len(expected) < len(dataset), "pick a country that filters something out"

    page = browser.new_page(viewport={"width": 1000, "height": 1300})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))

    page.goto((built / "index.html").as_uri())
    page.get_by_label("Country").select_option(country)
    visible = sorted(
        page.locator("#records tbody tr[data-record]:visible").evaluate_all(
            "rows => rows.map(r => r.dataset.record)"
        )
    )
    assert visible == expected
    assert page.locator("#filter-count").inner_text() == (
        f"Showing {len(expected)} of {len(dataset)} records."
    )

    page.locator(f'#records a[href="records/{record.id}.html"]').click()
    page.wait_for_url(f"**/records/{record.id}.html")
    assert page.locator("h1").inner_text() == record.title
    for c in record.claims:
        parent = same_record_parent(c)
        scope = f"li#claim-{parent} " if parent else ""
        quote = page.locator(f"{scope}li#claim-{c.id} > article > blockquote")
        assert quote.count() == 1, (record.id, c.id, parent)
        assert squash(quote.inner_text()) == squash(c.quote)

    shot = request.config.getoption("--site-screenshot", default=None)
    if shot:
        # The parties with their legal status, and the first threads of claims.
        page.set_viewport_size({"width": 900, "height": 1100})
        page.evaluate(
            "document.querySelector('#parties-heading, #claims-heading').scrollIntoView()"
        )
        page.screenshot(path=shot)

    party = next(p for p in record.parties if p.actor)
    actor = dataset.actors[party.actor]
    page.locator(f'table.parties a[href="../actors/{actor.id}.html"]').click()
    page.wait_for_url(f"**/actors/{actor.id}.html")
    assert page.locator("h1").inner_text() == actor.name
    assert page.locator(f'a[href="../records/{record.id}.html"]').count() >= 1

    page.go_back()
    page.wait_for_url(f"**/records/{record.id}.html")
    assert page.locator("h1").inner_text() == record.title
    assert errors == []
    page.close()


def test_in_a_browser_the_filters_work_by_keyboard_and_restore_from_the_address(
    browser, built, dataset
):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    status = sorted({r.status for r in dataset})[0]
    page.goto((built / "index.html").as_uri() + f"?status={status}")
    expected = sorted(r.id for r in dataset.filter(status=status))
    visible = page.locator("#records tbody tr[data-record]:visible").evaluate_all(
        "rows => rows.map(r => r.dataset.record)"
    )
    assert sorted(visible) == expected
    page.get_by_label("Status").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the reset button: show all
    page.wait_for_function(
        f"document.querySelectorAll('#records tbody tr[data-record]:not([hidden])').length == {len(dataset)}"
    )
    assert errors == []
    page.close()


def test_in_a_browser_a_phone_sees_no_sideways_scrolling(browser, built, dataset):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    record = threaded_record(dataset)
    for rel in ("index.html", f"records/{record.id}.html"):
        page.goto((built / rel).as_uri())
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, rel
    page.close()


def test_record_pages_map_the_published_coordinates(built, dataset):
    located = {
        (row["record_id"], row["position"])
        for row in dataset.package().get_resource("locations").read_rows()
        if row.get("latitude") is not None or row.get("coordinates_lat") is not None
    }
    for r in dataset:
        text = read(built, f"records/{r.id}.html")
        mapped = {(r.id, i) for i in range(1, len(r.locations) + 1)} & located
        assert ('<svg class="map"' in text) == bool(mapped), r.id


def test_each_claim_says_whether_its_quote_was_verified(built, dataset):
    rows = {
        (r["record_id"], r["claim_id"]): r
        for r in dataset.package().get_resource("claims").read_rows()
    }
    for r in dataset:
        tree = Tree(read(built, f"records/{r.id}.html"))
        for c in r.claims:
            shown = next(
                n
                for n in tree.ids[f"claim-{c.id}"].children[0].children[-1].children
                if "verification" in n.attrs.get("class", "")
            )
            flag = rows[(r.id, c.id)].get("quote_verified")
            expected = {True: "verified", False: "not verified", None: "not checked"}[flag]
            words = squash(shown.all_text()).lstrip("\u2714\u2716 ")
            assert words.split(":")[0] == expected, (r.id, c.id, words)


def test_a_translated_quote_is_shown_under_its_claim(built, dataset):
    for r in dataset:
        tree = Tree(read(built, f"records/{r.id}.html"))
        for c in r.claims:
            translation = getattr(c, "translation", None)
            if translation is None:
                continue
            article = tree.ids[f"claim-{c.id}"].children[0]
            shown = [n for n in article.children if "translation" in n.attrs.get("class", "")]
            assert len(shown) == 1, (r.id, c.id)
            assert squash(translation.text) in squash(shown[0].all_text())


def test_every_person_a_record_names_is_in_its_status_box(built, dataset):
    people = [a for a in dataset.actors.values() if a.type == "person" and not a.anonymous]
    for r in dataset:
        tree = Tree(read(built, f"records/{r.id}.html"))
        box = next(n for n in tree.nodes if "status-box" in n.attrs.get("class", ""))
        text = squash(box.all_text())
        words = " ".join([r.title, r.summary, r.notes or ""])
        parties = {p.actor for p in r.parties}
        for a in people:
            if a.id in parties or any(n in words for n in (a.name, *a.aliases)):
                assert a.name in text, (r.id, a.id)
                after = text.split(a.name, 1)[1]
                assert after.startswith((", legal status", " (not a party to this record")), (
                    r.id,
                    a.id,
                )


def test_legal_proceedings_are_shown_with_their_charges(built, dataset):
    for r in dataset:
        proceedings = getattr(r, "proceedings", None) or []
        text = read(built, f"records/{r.id}.html")
        assert ('id="proceedings-heading"' in text) == bool(proceedings), r.id
        tree = Tree(text)
        for pr in proceedings:
            shown = squash(tree.ids[f"proceeding-{pr.id}"].all_text())
            for charge in pr.charges:
                assert squash(charge.description) in shown, (r.id, pr.id)


def test_each_filter_choice_says_how_many_records_it_keeps(built, dataset):
    tree = Tree(read(built, "index.html"))
    options = {
        n.attrs["value"]: squash(n.all_text())
        for n in tree.ids["f-country"].children
        if n.tag == "option" and n.attrs.get("value")
    }
    countries = {loc.country for r in dataset for loc in r.locations}
    assert sorted(options) == sorted(countries)
    for code, text in options.items():
        assert text.endswith(f"({len(dataset.filter(country=code))})"), text
