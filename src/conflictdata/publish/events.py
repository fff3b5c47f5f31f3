"""The ``events`` table: one flat row per record, as ACLED, UCDP GED and GTD users expect.

Every cell is derived from the record (and the actor and source registries) at build
time, so the table can never disagree with the nested tables it summarises. A
streaming build calls :func:`event_row` once per record; :func:`table` is the table's
layout (columns, keys) for the data package.

How "primary" is chosen (also printed in the codebook, from :data:`PRIMARY_RULES`):

- the **primary location** is the most precise of the record's locations, in the order
  of the precision codes (exact, near, admin2, admin1, ambiguous, country,
  international: UCDP GED's ``where_prec`` 1 to 7); among equally precise locations the
  first listed. The primary country, place, region (admin1), GeoNames ID and
  coordinates are that location's;
- **actor 1** (ACLED ``actor1``, UCDP ``side_a``: who acted) is the first party, in the
  record's order, holding the first role of the kind's side-1 list that any party
  holds; **actor 2** (ACLED ``actor2``, UCDP ``side_b``: who was acted upon or on the
  other side) likewise from the side-2 list, never the same party as actor 1 (see
  :data:`SIDES`);
- the **strongest grade** is the best Admiralty grade among the record's claims
  (source reliability A before B ..., then credibility 1 before 2 ...), the **weakest**
  the worst, whatever their stance.
"""

from __future__ import annotations

from collections.abc import Mapping

from conflictdata.core import vocab
from conflictdata.publish import places

NAME = "events"
TITLE = "Events (one row per record)"
DESCRIPTION = (
    "One row per record, flat, for analysis and maps (in the spirit of ACLED, UCDP GED and "
    "GTD): kind, title, status, dates, the primary location with its coordinates, every "
    "country, the primary actors on each side, each count as low/best/high, and the "
    "evidence in numbers (claims, distinct sources, challenging claims, strongest and "
    "weakest grade, source URLs). Derived from the records at build time; the nested "
    "tables hold the full detail."
)

#: Roles that make a party actor 1 (side 1) and actor 2 (side 2), by kind, in order of
#: preference.
SIDES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "incident": (
        ("perpetrator", "authority", "leader", "member"),
        ("target", "victim", "perpetrator", "leader", "member", "detainee", "suspect", "recipient"),
    ),
    "arrest": (("authority",), ("detainee", "suspect")),
    "weapons_transfer": (("supplier", "intermediary"), ("recipient",)),
    "recruitment": (("recruiter", "recruited_for"), ("recruit",)),
}

#: The counts each kind has, as (column prefix, field of the record).
COUNTS = ("fatalities", "injured", "captured", "detained", "at_large", "recruits")

#: Stances that challenge a claim: denying, disputing, doubting or retracting.
CHALLENGING = tuple(sorted(vocab.CHALLENGING_STANCES | {"retracts"}))

PRIMARY_RULES = [
    "The primary location is the most precise of the record's locations, in the order of "
    "the precision codes (" + ", ".join(vocab.GEO_PRECISIONS) + "; UCDP GED's where_prec 1 "
    "to 7); among equally precise locations, the first listed. The primary country, "
    "place, admin1 region, GeoNames ID and coordinates are that location's; countries "
    "lists every location's country once, in the record's order.",
    "Actor 1 (ACLED actor1, UCDP side_a: who acted) is the first party, in the record's "
    "order, holding the first role of the kind's side-1 list that any party holds; actor 2 "
    "(ACLED actor2, UCDP side_b: who was acted upon, or the other side) is chosen the same "
    "way from the side-2 list and is never the same party as actor 1. "
    + " ".join(
        f"{kind}: side 1 {', '.join(a)}; side 2 {', '.join(b)}." for kind, (a, b) in SIDES.items()
    )
    + " An unnamed party has no actor ID; its name column holds the description the "
    "record gives, never a name.",
    "Grades are Admiralty codes written as source reliability and credibility together "
    "(B2). The strongest is the best among all the record's claims (A before B ..., then 1 "
    "before 2 ...), the weakest the worst, whatever the claim's stance.",
    "Challenging claims (n_challenging) are those whose stance is "
    + ", ".join(CHALLENGING[:-1])
    + " or "
    + CHALLENGING[-1]
    + ".",
]


def _columns():
    from conflictdata.publish.tabletypes import Column

    def col(name, type_, description, required=False, constraints=None, refers_to=None):
        cons = dict(constraints or {})
        if required:
            cons = {"required": True, **cons}
        return Column(name, ("@event", name), type_, description, required, cons, refers_to)

    from conflictdata.model import models

    countries = list(models.country_codes())
    grade = {"pattern": "[A-F][1-6]"}
    cols = [
        col("id", "string", "The record's ID.", True, refers_to="records"),
        col("kind", "string", "The record's kind.", True, {"enum": [k.name for k in vocab.KINDS]}),
        col("title", "string", "The record's title.", True),
        col("status", "string", "The record's status.", True, {"enum": list(vocab.STATUSES)}),
        col("date_earliest", "date", "The earliest possible day.", True),
        col("date_latest", "date", "The latest possible day.", True),
        col(
            "date_precision",
            "string",
            "How precisely the sources date it.",
            True,
            {"enum": list(vocab.DATE_PRECISIONS)},
        ),
        col(
            "date_year_inferred",
            "boolean",
            "True when the year was inferred from the publication date.",
            True,
        ),
        col(
            "country",
            "string",
            "The primary location's country (ISO 3166-1 alpha-2).",
            True,
            {"enum": countries},
        ),
        col(
            "countries",
            "string",
            "Every country of the record's locations, once each, in the record's order, "
            "separated by ';'.",
            True,
            {"pattern": "[A-Z]{2}(;[A-Z]{2})*"},
        ),
        col(
            "admin1", "string", "The primary location's first-order region, as the source names it."
        ),
        col("place", "string", "The primary location's place, as the source names it."),
        col(
            "geonames_id",
            "integer",
            "The primary location's GeoNames ID.",
            constraints={"minimum": 1},
        ),
        col(
            "latitude",
            "number",
            "The primary location's latitude (WGS 84).",
            constraints={"minimum": -90, "maximum": 90},
        ),
        col(
            "longitude",
            "number",
            "The primary location's longitude (WGS 84).",
            constraints={"minimum": -180, "maximum": 180},
        ),
        col(
            "coordinates_source",
            "string",
            "Where the coordinates come from: "
            + "; ".join(f"{k}: {v}" for k, v in places.COORDINATE_SOURCES.items()),
            constraints={"enum": list(places.COORDINATE_SOURCES)},
        ),
        col(
            "location_precision",
            "string",
            "How precisely the sources place the primary location (after UCDP GED's where_prec).",
            True,
            {"enum": list(vocab.GEO_PRECISIONS)},
        ),
        col("locations", "integer", "How many locations the record has.", True, {"minimum": 1}),
    ]
    for side in ("1", "2"):
        cols += [
            col(
                f"actor{side}_id",
                "string",
                f"Actor {side}'s ID, when the party is a named actor.",
                refers_to="actors",
            ),
            col(
                f"actor{side}_name",
                "string",
                f"Actor {side}'s name, or the record's description of an unnamed party.",
            ),
            col(
                f"actor{side}_role",
                "string",
                f"Actor {side}'s role in the record.",
                constraints={"enum": list(vocab.ROLES)},
            ),
        ]
    for count in COUNTS:
        for part in ("low", "best", "high"):
            cols.append(
                col(
                    f"{count}_{part}",
                    "integer",
                    f"{count.replace('_', ' ').capitalize()}: the {part} number the claims give.",
                    constraints={"minimum": 0},
                )
            )
    cols += [
        col("n_claims", "integer", "How many claims the record holds.", True, {"minimum": 1}),
        col("n_sources", "integer", "How many distinct sources its claims are quoted from.", True),
        col(
            "n_challenging",
            "integer",
            "How many of its claims " + ", ".join(CHALLENGING) + " another.",
            True,
        ),
        col("grade_strongest", "string", "The best Admiralty grade among its claims.", True, grade),
        col("grade_weakest", "string", "The worst Admiralty grade among its claims.", True, grade),
        col(
            "source_urls",
            "string",
            "The URLs of the sources its claims are quoted from, once each, in claim order, "
            "separated by spaces.",
        ),
    ]
    return cols


def table():
    """The ``events`` table's layout: columns, primary key and foreign keys."""
    from conflictdata.publish.tabletypes import Table

    t = Table(NAME, TITLE, DESCRIPTION, _columns(), ["id"], parent="event")
    t.foreign_keys = [(["id"], "records", ["id"])] + [
        ([c.name], c.refers_to, ["id"]) for c in t.columns if c.refers_to and c.name != "id"
    ]
    return t


_PRECISION_RANK = {p: i for i, p in enumerate(vocab.GEO_PRECISIONS)}


def primary_location(record: dict) -> dict | None:
    """The record's most precise location; the first listed among equals (None for a
    record without locations, which validation does not let through)."""
    locations = record.get("locations") or []
    return min(locations, key=lambda loc: _PRECISION_RANK[loc["precision"]], default=None)


def primary_parties(record: dict) -> tuple[dict | None, dict | None]:
    """(actor 1, actor 2): the parties chosen by the kind's side lists (:data:`SIDES`)."""
    kind = vocab.KIND_BY_PREFIX[record["id"][:3]].name
    parties = record.get("parties") or []
    chosen: list[dict | None] = []
    for roles in SIDES[kind]:
        found = None
        for role in roles:
            found = next(
                (p for p in parties if p["role"] == role and all(p is not c for c in chosen)),
                None,
            )
            if found is not None:
                break
        chosen.append(found)
    return chosen[0], chosen[1]


def _grade(claim: dict) -> str:
    g = claim["grade"]
    return f"{g['source_reliability']}{g['credibility']}"


#: The registry fields :func:`event_row` reads, by registry: a streaming build keeps
#: only these of each actor and source while it writes the records.
REGISTRY_FIELDS = {"actor": ("name",), "source": ("url",)}


def event_row(record: dict, actors: Mapping[str, dict], sources: Mapping[str, dict]) -> tuple:
    """The ``events`` row of one record (JSON data, as the models dump it), in the order
    of :func:`table`'s columns. ``actors`` and ``sources`` are the registries by ID."""
    kind = vocab.KIND_BY_PREFIX[record["id"][:3]].name
    date = record["date"]
    loc = primary_location(record) or {}
    lat, lon, coord_source = places.coordinates(loc)
    countries = list(dict.fromkeys(loc_["country"] for loc_ in record.get("locations") or []))
    row: list = [
        record["id"],
        kind,
        record["title"],
        record["status"],
        date["earliest"],
        date["latest"],
        date["precision"],
        bool(date.get("year_inferred", False)),
        loc.get("country"),
        ";".join(countries) or None,
        loc.get("region"),
        loc.get("place"),
        loc.get("geonames_id"),
        lat,
        lon,
        coord_source,
        loc.get("precision"),
        len(record.get("locations") or []),
    ]
    for party in primary_parties(record):
        if party is None:
            row += [None, None, None]
            continue
        actor_id = party.get("actor")
        name = actors[actor_id]["name"] if actor_id else party.get("description")
        row += [actor_id, name, party["role"]]
    for count in COUNTS:
        value = record.get(count) or {}
        row += [value.get("low"), value.get("best"), value.get("high")]
    claims = record["claims"]
    source_ids = list(dict.fromkeys(c["source"] for c in claims))
    urls = [sources[s]["url"] for s in source_ids if sources[s].get("url")]
    grades = sorted(_grade(c) for c in claims) or [None]
    row += [
        len(claims),
        len(source_ids),
        sum(1 for c in claims if c["stance"] in CHALLENGING),
        grades[0],
        grades[-1],
        " ".join(dict.fromkeys(urls)) or None,
    ]
    return tuple(row)
