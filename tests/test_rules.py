"""Every validation rule, one fixture each: a valid seed record with one change that
breaks that rule and nothing else.

Each row names a seed, the change, and exactly the problems expected (rule code, field
path, a fragment of the message). Both a full run (``validate_tree``) and a run over the
changed files (``validate_paths``) must report exactly those problems, each on a line
that holds the field it names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conflictdata.validation import codes
from conflictdata.validation.rules import RULES
from seeds import (
    SEEDS,
    append,
    both,
    copy_of,
    delete,
    dump,
    make_tree,
    run_both,
    seed,
    set_,
    write,
)


@dataclass(frozen=True)
class P:
    """An expected problem. ``at`` is text the reported line must contain (default: the
    last field name of ``field`` followed by a colon; None: no line check)."""

    code: str
    field: str
    fragment: str
    file: str | None = None  # a key of SEEDS or a relpath; default: the changed file
    at: str | None = ""


@dataclass
class Case:
    seed: str
    change: Callable
    expect: list[P]
    to: str | None = None  # move the changed record here
    also: dict = field(default_factory=dict)  # extra files: relpath -> data/text/bytes


def text(fn):
    """A change to the YAML text of the record rather than its data."""
    fn.on_text = True
    return fn


def _recruitment_copy(_data=None):
    return seed("recruitment")


def _both(*changes):
    def apply(data):
        for change in changes:
            change(data)

    return apply


def _same_claimant(data):
    for claim in data["claims"]:
        claim["claimant"] = "meduza"
        claim["via"] = ["the-moscow-times"]


CASES: dict[str, Case] = {
    # --- claims --------------------------------------------------------------------------
    "claim-ids: duplicate claim ID": Case(
        "arrest",
        append(("claims",), copy_of(("claims", 0))),
        [P("claim-ids", "claims[4].id", "duplicate claim ID 'c1'", at="id: c1")],
    ),
    "claim-refs: cites a claim that does not exist": Case(
        "arrest",
        set_(("detained", "claims"), ["c9"]),
        [
            P(
                "claim-refs",
                "detained.claims[0]",
                "claim 'c9' is not in this record's claims",
                at="c9",
            )
        ],
    ),
    "claim-refs: no cited claim supports the value": Case(
        "arrest",
        set_(("detained", "claims"), ["c4"]),
        [
            P(
                "claim-refs",
                "detained.claims",
                "no cited claim asserts or confirms this value",
                at="claims:",
            )
        ],
    ),
    "claims-used: an asserting claim nothing cites": Case(
        "arrest",
        append(("claims",), copy_of(("claims", 0), id="c5")),
        [
            P(
                "claims-used",
                "claims[4].id",
                "claim 'c5' asserts something but no value cites it",
                at="id: c5",
            )
        ],
    ),
    "responds-to: a claim answering itself": Case(
        "arrest",
        set_(("claims", 3, "responds_to"), "c4"),
        [P("responds-to", "claims[3].responds_to", "a claim cannot respond to itself")],
    ),
    "responds-to: answers a claim not in the record": Case(
        "arrest",
        set_(("claims", 3, "responds_to"), "c9"),
        [P("responds-to", "claims[3].responds_to", "claim 'c9' is not in this record's claims")],
    ),
    "responds-to: a doubt that answers nothing": Case(
        "arrest",
        delete(("claims", 3, "responds_to")),
        [
            P(
                "responds-to",
                "claims[3].stance",
                "a claim that doubts must name the claim it answers",
            )
        ],
    ),
    "responds-to: retracting someone else's claim": Case(
        "transfer",
        set_(("claims", 4, "stance"), "retracts"),
        [
            P(
                "responds-to",
                "claims[4].responds_to",
                "a retraction withdraws the claimant's own claim",
            )
        ],
    ),
    "status: corroborated although a claim doubts it": Case(
        "arrest",
        set_(("status",), "corroborated"),
        [
            P(
                "status",
                "status",
                "status 'corroborated' does not match the claims: a claim doubts it",
            )
        ],
    ),
    "status: corroborated by one claimant": Case(
        "recruitment",
        both(_same_claimant, set_(("status",), "corroborated")),
        [P("status", "status", "at least two different claimants")],
    ),
    "status: disputed without a challenge": Case(
        "recruitment",
        set_(("status",), "disputed"),
        [P("status", "status", "no claim disputes, doubts or denies it")],
    ),
    "status: denied without a denial": Case(
        "arrest", set_(("status",), "denied"), [P("status", "status", "no claim denies it")]
    ),
    "status: retracted without a retraction": Case(
        "arrest", set_(("status",), "retracted"), [P("status", "status", "no claim retracts it")]
    ),
    # --- values --------------------------------------------------------------------------
    "count-order: low above best": Case(
        "arrest",
        set_(("detained",), {"low": 7, "best": 6, "claims": ["c1"]}),
        [P("count-order", "detained.best", "low (7) is greater than best (6)")],
    ),
    "count-order: best above high in an item quantity": Case(
        "transfer",
        set_(("items", 0, "quantity"), {"best": 5, "high": 2, "claims": ["c3"]}),
        [P("count-order", "items[0].quantity.high", "best (5) is greater than high (2)")],
    ),
    "count-order: a count with no number": Case(
        "arrest",
        set_(("detained",), {"claims": ["c1"]}),
        [P("count-order", "detained", "a count needs at least one of low, best, high")],
    ),
    "date-order: latest before earliest": Case(
        "arrest",
        set_(("date", "latest"), "2015-10-01"),
        [P("date-order", "date.latest", "latest (2015-10-01) is before earliest (2015-11-01)")],
    ),
    "source-date-order: published latest before earliest": Case(
        "source",
        set_(("published", "latest"), "2015-07-01"),
        [
            P(
                "source-date-order",
                "published.latest",
                "latest (2015-07-01) is before earliest (2015-07-20)",
            )
        ],
    ),
    "parties: both actor and description": Case(
        "arrest",
        set_(("parties", 0, "description"), "the ministry"),
        [P("parties", "parties[0]", "not both or neither", at="- actor: kuwait-interior-ministry")],
    ),
    "parties: neither actor nor description": Case(
        "arrest",
        delete(("parties", 0, "actor")),
        [P("parties", "parties[0]", "not both or neither", at="- role: authority")],
    ),
    "parties: count on a named actor": Case(
        "arrest",
        set_(("parties", 1, "count"), 2),
        [P("parties", "parties[1].count", "count is for unnamed groups")],
    ),
    "alleged-not-guilty: named person without legal status": Case(
        "arrest",
        delete(("parties", 1, "legal_status")),
        [
            P(
                "alleged-not-guilty",
                "parties[1].legal_status",
                "a person with role 'detainee' needs a legal_status",
                at="- actor: osama-khayat",
            )
        ],
    ),
    "alleged-not-guilty: unnamed person without legal status": Case(
        "arrest",
        delete(("parties", 2, "legal_status")),
        [
            P(
                "alleged-not-guilty",
                "parties[2].legal_status",
                "needs a legal_status",
                at="- description: a Kuwaiti",
            )
        ],
    ),
    "geonames: not a packaged city": Case(
        "incident",
        set_(("locations", 0, "geonames_id"), 1),
        [P("geonames", "locations[0].geonames_id", "GeoNames ID 1 is not a city")],
    ),
    "geonames: a city in another country": Case(
        "incident",
        set_(("locations", 0, "country"), "KZ"),
        [P("geonames", "locations[0].geonames_id", "is Bishkek in KG, not in KZ")],
    ),
    # --- references ----------------------------------------------------------------------
    "actor-refs: unknown claimant": Case(
        "arrest",
        set_(("claims", 0, "claimant"), "no-such-actor"),
        [
            P(
                "actor-refs",
                "claims[0].claimant",
                "actor 'no-such-actor' does not exist; add records/actors/n/no-such-actor.yaml",
            )
        ],
    ),
    "actor-refs: unknown intermediary": Case(
        "arrest",
        set_(("claims", 0, "via"), ["no-such-agency"]),
        [
            P(
                "actor-refs",
                "claims[0].via[0]",
                "actor 'no-such-agency' does not exist",
                at="- no-such-agency",
            )
        ],
    ),
    "actor-refs: unknown party actor": Case(
        "arrest",
        set_(("parties", 1, "actor"), "no-one-known"),
        [P("actor-refs", "parties[1].actor", "actor 'no-one-known' does not exist")],
    ),
    "actor-refs: unknown parent": Case(
        "actor",
        set_(("parent",), "no-such-body"),
        [P("actor-refs", "parent", "actor 'no-such-body' does not exist")],
    ),
    "actor-refs: own parent": Case(
        "actor",
        set_(("parent",), "gknb-unnamed-representative"),
        [P("actor-refs", "parent", "an actor cannot be its own parent")],
    ),
    "actor-refs: unknown publisher actor": Case(
        "source",
        set_(("publisher_actor",), "nobody-here"),
        [P("actor-refs", "publisher_actor", "actor 'nobody-here' does not exist")],
    ),
    "actor-refs: a near miss names the nearest actor": Case(
        "arrest",
        set_(("parties", 1, "actor"), "osama-kayat"),
        [
            P(
                "actor-refs",
                "parties[1].actor",
                "actor 'osama-kayat' does not exist; did you mean `osama-khayat`",
            )
        ],
    ),
    "actor-refs: a name or alias is matched too": Case(
        "arrest",
        set_(("claims", 0, "claimant"), "kuwaits-interior-ministry"),
        [
            P(
                "actor-refs",
                "claims[0].claimant",
                "did you mean `kuwait-interior-ministry`, aka",
            )
        ],
    ),
    "actor-refs: reported even when the claims have a shape problem": Case(
        "arrest",
        _both(
            set_(("claims", 0, "claimant"), "no-such-actor"),
            set_(("claims", 1, "stance"), "assert"),
        ),
        [
            P("actor-refs", "claims[0].claimant", "actor 'no-such-actor' does not exist"),
            P("schema", "claims[1].stance", "(did you mean 'asserts'?)"),
        ],
    ),
    "schema: an empty field says so": Case(
        "arrest",
        set_(("title",), None),
        [P("schema", "title", "empty: fill it in (")],
    ),
    "schema: an empty list of claims says so": Case(
        "arrest",
        set_(("detained", "claims"), []),
        [P("schema", "detained.claims", "empty: list at least one", at="claims:")],
    ),
    "schema: a three-letter country code names the two-letter one": Case(
        "arrest",
        set_(("locations", 0, "country"), "KWT"),
        [P("schema", "locations[0].country", "(did you mean 'KW'?)")],
    ),
    "schema: a lower-case country code names the capitals": Case(
        "arrest",
        set_(("locations", 0, "country"), "kw"),
        [P("schema", "locations[0].country", "(did you mean 'KW'?)")],
    ),
    "moved-id: a party actor that was renamed": Case(
        "arrest",
        set_(("parties", 1, "actor"), "osama-hayat"),
        [
            P(
                "moved-id",
                "parties[1].actor",
                "actor 'osama-hayat' was renamed to 'osama-khayat' on 2026-11-29 "
                "(records/redirects.yaml); write 'osama-khayat' instead",
            )
        ],
        also={
            "redirects.yaml": "- registry: actor\n  id: osama-hayat\n  replaced_by: osama-khayat\n"
            '  reason: renamed\n  moved: "2026-11-29"\n'
        },
    ),
    "source-refs: unknown source": Case(
        "arrest",
        set_(("claims", 0, "source"), "no-such-source"),
        [
            P(
                "source-refs",
                "claims[0].source",
                "source 'no-such-source' does not exist; add records/sources/n/no-such-source.yaml",
            )
        ],
    ),
    "anonymous: aliases": Case(
        "actor",
        set_(("aliases",), ["Unnamed official"]),
        [P("anonymous", "aliases", "an anonymous actor has no aliases")],
    ),
    "anonymous: Wikidata ID": Case(
        "actor",
        set_(("wikidata",), "Q42"),
        [P("anonymous", "wikidata", "an anonymous actor has no Wikidata ID")],
    ),
    # --- cross-record --------------------------------------------------------------------
    "responds-to-record: no such claim in the other record": Case(
        "transfer",
        set_(("claims", 3, "responds_to"), "ARR-2015-00001#c9"),
        [
            P(
                "responds-to-record",
                "claims[3].responds_to",
                "record ARR-2015-00001 has no claim 'c9'",
            )
        ],
    ),
    "responds-to-record: no such record": Case(
        "transfer",
        set_(("claims", 3, "responds_to"), "ARR-2015-00099#c1"),
        [P("responds-to-record", "claims[3].responds_to", "record ARR-2015-00099 does not exist")],
    ),
    "responds-to-record: its own record by ID": Case(
        "transfer",
        set_(("claims", 3, "responds_to"), "WTR-2015-00001#c1"),
        [
            P(
                "responds-to-record",
                "claims[3].responds_to",
                "refer to a claim of this record as 'c1'",
            )
        ],
    ),
    "related: related to itself": Case(
        "arrest",
        set_(("related", 0, "record"), "ARR-2015-00001"),
        [
            P(
                "related",
                "related[0].record",
                "a record cannot be related to itself",
                at="- record: ARR-2015-00001",
            ),
            P(
                "related",
                "related[0].relation",
                "ARR-2015-00001 must link back with relation 'alleges' (it does not link here)",
                file="transfer",
                at="relation:",
            ),
        ],
    ),
    "related: listed twice": Case(
        "arrest",
        append(("related",), {"record": "WTR-2015-00001", "relation": "alleges"}),
        [
            P(
                "related",
                "related[1].record",
                "WTR-2015-00001 is listed twice",
                at="- record: WTR-2015-00001",
            )
        ],
    ),
    "related: no such record": Case(
        "arrest",
        append(("related",), {"record": "INC-2015-00099", "relation": "related"}),
        [
            P(
                "related",
                "related[1].record",
                "record INC-2015-00099 does not exist",
                at="- record: INC-2015-00099",
            )
        ],
    ),
    "related: no inverse link back": Case(
        "arrest",
        set_(("related", 0, "relation"), "related"),
        [
            P(
                "related",
                "related[0].relation",
                "WTR-2015-00001 must link back with relation 'related' (it says 'alleged_in')",
            ),
            P(
                "related",
                "related[0].relation",
                "ARR-2015-00001 must link back with relation 'alleges' (it says 'related')",
                file="transfer",
            ),
        ],
    ),
    # --- curation review and schema 1.1 ---------------------------------------------------
    "named-in-text: a person named in the title is not in the record": Case(
        "arrest",
        set_(("title",), "Kuwait: arrest of a cell that Matt Schroeder doubted"),
        [P("named-in-text", "title", "names 'Matt Schroeder' (actor matt-schroeder)")],
    ),
    "jan-first: 1 January as a lower bound without a note": Case(
        "arrest",
        both(set_(("date", "earliest"), "2015-01-01"), delete(("notes",))),
        [P("jan-first", "date.earliest", "1 January is a lower bound only if")],
    ),
    "unknown-place: an unknown place with a place name": Case(
        "arrest",
        both(
            set_(("locations", 0, "unknown"), True), set_(("locations", 0, "place"), "Kuwait City")
        ),
        [P("unknown-place", "locations[0].place", "an unknown place has no place")],
    ),
    "inferred: an inferred relay without a note": Case(
        "arrest",
        set_(("claims", 0, "via_inferred"), True),
        [P("inferred", "claims[0].via_inferred", "an inferred relay needs a note")],
    ),
    "proceedings: a proceeding against someone who is not a party": Case(
        "arrest",
        set_(
            ("proceedings",),
            [{"id": "pr1", "party": "kuwait-news-agency", "stage": "unknown", "claims": ["c1"]}],
        ),
        [P("proceedings", "proceedings[0].party", "is not a named party of this record")],
    ),
    "party-refs: same_as names a party that does not exist": Case(
        "arrest",
        set_(
            ("parties", 1, "same_as"),
            [{"party": "WTR-2015-00001#p7", "basis": "inferred"}],
        ),
        [
            P(
                "party-refs",
                "parties[1].same_as[0].party",
                "record WTR-2015-00001 has no party 'p7'",
            )
        ],
    ),
    "source-state: a reconstructed title without a URL": Case(
        "source",
        both(set_(("title_basis",), "reconstructed"), delete(("url",))),
        [P("source-state", "title_basis", "a title reconstructed from the URL needs url")],
    ),
    "translation: a translation into the quote's own language": Case(
        "arrest",
        both(
            set_(("claims", 0, "quote_language"), "en"),
            set_(
                ("claims", 0, "translation"),
                {"text": "The same words.", "language": "en", "by": "curator"},
            ),
        ),
        [P("translation", "claims[0].translation.language", "in the quote's own language")],
    ),
    # --- layout --------------------------------------------------------------------------
    "file-name: id differs from the file name": Case(
        "recruitment",
        set_(("id",), "REC-2022-00002"),
        [
            P(
                "file-name",
                "id",
                "id 'REC-2022-00002' does not match the file name 'REC-2022-00001'.yaml",
            )
        ],
    ),
    "layout: wrong shard folder": Case(
        "recruitment",
        lambda d: None,
        [P("layout", "id", "belongs at records/recruitment/2022/000/REC-2022-00001.yaml")],
        to="recruitment/2023/000/REC-2022-00001.yaml",
    ),
    "layout: wrong kind folder": Case(
        "recruitment",
        lambda d: None,
        [
            P(
                "layout",
                "id",
                "is a recruitment record but sits in records/arrests/; move it to records/recruitment/",
            ),
            P("layout", "id", "belongs at records/recruitment/2022/000/REC-2022-00001.yaml"),
        ],
        to="arrests/2022/000/REC-2022-00001.yaml",
    ),
    "layout: registry entry in the wrong letter folder": Case(
        "actor",
        lambda d: None,
        [P("layout", "id", "belongs at records/actors/g/gknb-unnamed-representative.yaml")],
        to="actors/x/gknb-unnamed-representative.yaml",
    ),
    "layout: unexpected file in a record folder": Case(
        "recruitment",
        lambda d: None,
        [P("layout", "", "unexpected file in records/", file="incidents/notes.txt", at=None)],
        also={"incidents/notes.txt": "notes\n"},
    ),
    "layout: unexpected top folder": Case(
        "recruitment",
        lambda d: None,
        [P("layout", "", "unexpected file in records/", file="misc/INC-2015-00001.yaml", at=None)],
        also={"misc/INC-2015-00001.yaml": ""},
    ),
    "duplicate-id: two files with one ID": Case(
        "recruitment",
        lambda d: None,
        [
            P(
                "duplicate-id",
                "id",
                "duplicate ID REC-2022-00001: also used by",
                at="id: REC-2022-00001",
            ),
            P(
                "duplicate-id",
                "id",
                "duplicate ID REC-2022-00001: also used by",
                file="recruitment/2022/001/REC-2022-00001.yaml",
                at="id: REC-2022-00001",
            ),
            P(
                "layout",
                "id",
                "belongs at records/recruitment/2022/000/",
                file="recruitment/2022/001/REC-2022-00001.yaml",
            ),
        ],
        also={"recruitment/2022/001/REC-2022-00001.yaml": _recruitment_copy},
    ),
    "duplicate-id: two registry entries with one ID": Case(
        "actor",
        lambda d: None,
        [
            P(
                "duplicate-id",
                "id",
                "duplicate ID gknb-unnamed-representative: also used by",
                at="id: gknb-unnamed-representative",
            ),
            P(
                "duplicate-id",
                "id",
                "duplicate ID gknb-unnamed-representative: also used by",
                file="actors/x/gknb-unnamed-representative.yaml",
                at="id: gknb-unnamed-representative",
            ),
            P(
                "layout",
                "id",
                "belongs at records/actors/g/",
                file="actors/x/gknb-unnamed-representative.yaml",
            ),
        ],
        also={"actors/x/gknb-unnamed-representative.yaml": lambda: seed("actor")},
    ),
    # --- YAML and shape ------------------------------------------------------------------
    "yaml: duplicate key": Case(
        "arrest",
        text(lambda t: t + "title: again\n"),
        [P("yaml", "", "duplicate key 'title'", at="title: again")],
    ),
    "yaml: tab indentation": Case(
        "arrest",
        text(lambda t: t.replace("\nstatus:", "\n\tstatus:")),
        [P("yaml", "", "tab character", at="\tstatus:")],
    ),
    "yaml: unclosed flow list": Case(
        "arrest",
        text(lambda t: t + "extra: [a, b\n"),
        [P("yaml", "", "YAML syntax error", at=None)],
    ),
    "yaml: non-JSON tag": Case(
        "arrest",
        text(lambda t: t.replace("status: disputed", "status: !!python/name:os.system disputed")),
        [P("yaml", "", "tag !!python/name:os.system is not allowed", at="status:")],
    ),
    "schema: misspelled field": Case(
        "arrest",
        lambda d: d.update(sumary=d.pop("summary")),
        [
            P("schema", "sumary", "unknown field 'sumary' (did you mean 'summary'?)"),
            P("schema", "summary", "required field 'summary' is missing", at=None),
        ],
    ),
    "schema: empty text": Case(
        "arrest", set_(("title",), ""), [P("schema", "title", "text is required")]
    ),
    "schema: country code not in ISO 3166-1": Case(
        "arrest",
        set_(("locations", 0, "country"), "XK"),
        [P("schema", "locations[0].country", "'XK' is not an ISO 3166-1 alpha-2 country code")],
    ),
    # --- text that shows otherwise than it reads ---------------------------------------
    "hidden-text: a right-to-left override in a title": Case(
        "arrest",
        set_(("title",), "Arrest in Kuwait \u202etxt.exe"),
        [P("hidden-text", "title", "holds U+202E (RIGHT-TO-LEFT OVERRIDE) at character 18")],
    ),
    "hidden-text: a terminal escape in a quote": Case(
        "transfer",
        set_(("claims", 0, "quote"), "arms \x1b[31mwere\x1b[0m seized"),
        [P("hidden-text", "claims[0].quote", "holds U+001B (a control character) at character 6")],
    ),
    "hidden-text: an isolate in an actor's name": Case(
        "actor",
        set_(("name",), "\u2067Unnamed representative\u2069"),
        [P("hidden-text", "name", "holds U+2067 (RIGHT-TO-LEFT ISOLATE) at character 1")],
    ),
    "schema: value outside the vocabulary": Case(
        "arrest",
        set_(("status",), "confirmd"),
        [P("schema", "status", "invalid value 'confirmd': expected one of reported, corroborated")],
    ),
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path)


#: Problems that come from the validator's own layout and parsing, not checks.RULES.
LAYOUT_CODES = {"file-name", "layout", "duplicate-id", "yaml", "schema"}


def _relpath(name: str) -> str:
    return SEEDS.get(name, name)


def _apply(tree: Path, case: Case) -> tuple[str, list[str]]:
    """Write the changed record (and any extra files); return its relpath and every
    relpath written."""
    src = _relpath(case.seed)
    data = seed(case.seed)
    if getattr(case.change, "on_text", False):
        content = case.change(dump(data))
    else:
        case.change(data)
        content = data
    target = case.to or src
    if case.to:
        (tree / "records" / src).unlink()
    write(tree, target, content)
    written = [target]
    for rp, extra in case.also.items():
        write(tree, rp, extra() if callable(extra) else extra)
        written.append(rp)
    return target, written


def _check(problems, expect: list[P], tree: Path, changed: str, files: set[str]):
    records = (tree / "records").resolve()
    found = [(Path(p.path).resolve().relative_to(records).as_posix(), p) for p in problems]
    left = list(found)
    for e in expect:
        where = _relpath(e.file) if e.file else changed
        if where not in files:
            continue
        match = next(
            (
                f
                for f in left
                if f[0] == where
                and f[1].rule == e.code
                and f[1].field == e.field
                and e.fragment in f[1].message
            ),
            None,
        )
        assert match is not None, f"expected {e} in {where}; got:\n" + "\n".join(
            p.text() for _, p in found
        )
        left.remove(match)
        problem = match[1]
        assert problem.line >= 1 and problem.col >= 1
        at = e.at
        if at == "":
            last = [
                part
                for part in e.field.replace("]", "").replace("[", ".").split(".")
                if part and not part.isdigit()
            ]
            at = last[-1] + ":" if last else None
        if at is not None:
            line = (records / where).read_text(encoding="utf-8").splitlines()[problem.line - 1]
            assert at in line, (
                f"{problem.text()} points at line {problem.line}: {line!r}, expected it to hold {at!r}"
            )
    assert not left, "unexpected problems:\n" + "\n".join(p.text() for _, p in left)


@pytest.mark.parametrize("name", list(CASES))
def test_rule_fixture(name, tree):
    case = CASES[name]
    changed, written = _apply(tree, case)
    full, some = run_both(tree, written)
    assert full, "the change was not detected by a full run"
    assert {p.rule for p in full + some} <= codes.DECLARED
    _check(full, case.expect, tree, changed, files=_all_files(tree))
    _check(some, case.expect, tree, changed, files=set(written))


def _all_files(tree: Path) -> set[str]:
    records = tree / "records"
    return {p.relative_to(records).as_posix() for p in records.rglob("*") if p.is_file()}


def test_unchanged_seeds_are_valid(tree):
    """The starting point of every fixture is clean, so each problem above comes from
    its one change."""
    for name in SEEDS:
        write(tree, SEEDS[name], seed(name))  # re-dumped the way the fixtures are
    full, some = run_both(tree, list(SEEDS.values()))
    assert full == [] and some == []


def test_every_rule_has_a_fixture():
    covered = {e.code for case in CASES.values() for e in case.expect}
    codes = {r.code for r in RULES}
    assert codes - covered == set(), "rules without a fixture"
    assert LAYOUT_CODES - covered == set(), "layout checks without a fixture"
    assert covered <= codes | LAYOUT_CODES


def test_every_rule_statement_is_one_line():
    for r in RULES:
        assert r.statement and "\n" not in r.statement, r.code


@pytest.mark.parametrize(
    "name", ["claim-refs: cites a claim that does not exist", "status: denied without a denial"]
)
def test_other_files_are_still_checked(name, tree):
    """A broken record does not stop the run: a second, independently broken record
    in the same tree is reported too."""
    case = CASES[name]
    _apply(tree, case)
    other = seed("incident")
    other["locations"][0]["geonames_id"] = 1
    write(tree, SEEDS["incident"], other)
    full, _ = run_both(tree, [SEEDS["incident"]])
    rules = {p.rule for p in full}
    assert {case.expect[0].code, "geonames"} <= rules


def test_io_a_file_that_cannot_be_read_is_a_located_problem(tree):
    """A file listed but gone when it is read (removed during the run) is reported."""
    from conflictdata.core.paths import list_files
    from conflictdata.validation.validate import IndexLookup, check_file

    lookup = IndexLookup(list_files(tree / "records"))
    result = check_file(tree, "arrests/2015/000/ARR-2015-00099.yaml", lookup)
    assert [(p.rule, p.line, p.col) for p in result.problems] == [("io", 1, 1)]
    assert result.problems[0].message.startswith("cannot read file: ")


@pytest.mark.parametrize(
    "target",
    ["nowhere.yaml", "secret.txt", "records/arrests/2015/000/ARR-2015-00001.yaml", "records"],
)
def test_layout_a_symbolic_link_is_refused_not_followed(tree, target):
    """A link in records/ is reported as a link, wherever it points; what it points at is
    never read (so a link to a file outside the tree cannot leak it into a log), and
    the rest of the tree is still checked."""
    (tree / "secret.txt").write_text("id: TOP-SECRET-VALUE\n", encoding="utf-8")
    link = tree / "records" / "arrests/2015/000/ARR-2015-00099.yaml"
    link.symlink_to(tree / target)
    broken = seed("incident")
    broken["status"] = "confirmd"
    write(tree, SEEDS["incident"], broken)
    full, _ = run_both(tree, [SEEDS["incident"]])
    linked = [p for p in full if p.path.endswith("ARR-2015-00099.yaml")]
    assert [(p.rule, p.line, p.col, p.message) for p in linked] == [
        ("layout", 1, 1, "a symbolic link; records are plain files, not links to other files")
    ]
    assert "TOP-SECRET" not in "".join(p.text() for p in full)
    assert any(p.rule == "schema" and p.field == "status" for p in full)


def test_io_a_named_file_that_does_not_exist(tree):
    from conflictdata.validation.validate import validate_paths

    problems = validate_paths(
        tree, [tree / "records" / "arrests/2015/000/ARR-2015-00098.yaml"]
    ).problems
    assert [(p.rule, p.message) for p in problems] == [("io", "no such file")]
