"""Datasette ``metadata.json`` for an exported database, laid out for a reader.

- the database page opens with where to start: the ``events`` table (one row per
  record), its map, and the record page;
- the **record page** is a canned query, ``record``: one record's claims in order, each
  with its stance, claimant, quote, grade and source (``/<db>/record?id=ARR-2015-00001``;
  the ID in any case);
- ``claim_backing``, the internal table of which claims back which value, is hidden (it
  stays queryable, and is listed under the hidden tables);
- actors, sources and records show their name or title wherever another table refers
  to them, and ``events`` offers facets on kind, status, country and precision;
- the ``datasette-cluster-map`` plugin (the ``datasette`` extra) draws the ``latitude``
  and ``longitude`` columns of ``events`` and ``locations`` on a map.
"""

from __future__ import annotations

from conflictdata.core import metadata

#: Internal tables: kept in the database, hidden from the table list.
HIDDEN = ("claim_backing",)
#: The column Datasette shows for a row that another table refers to.
LABELS = {"actors": "name", "sources": "title", "records": "title", "events": "title"}
RECORD_QUERY = "record"

RECORD_SQL = """\
select
  c.claim_id as claim,
  c.stance,
  coalesce(a.name, c.claimant) as claimant,
  c.quote,
  c.grade_source_reliability || c.grade_credibility as grade,
  c.responds_to,
  s.publisher || ': ' || s.title as source,
  s.url,
  e.title as record,
  e.status as record_status
from claims c
join events e on e.id = c.record_id
left join actors a on a.id = c.claimant
left join sources s on s.id = c.source
where c.record_id = upper(trim(:id))
order by c.position"""


def metadata_for(desc: dict, database: str) -> dict:
    """Datasette metadata for the release described by ``desc``, exported as the
    database ``database`` (the file name without its suffix)."""
    resources = [r for r in desc["resources"] if r.get("type") == "table"]
    names = {r["name"] for r in resources}
    tables: dict[str, dict] = {}
    for r in resources:
        entry: dict = {
            "title": r.get("title", r["name"]),
            "description": r.get("description", ""),
            "columns": {f["name"]: f.get("description", "") for f in r["schema"]["fields"]},
        }
        if r["name"] in HIDDEN:
            entry["hidden"] = True
        if r["name"] in LABELS:
            entry["label_column"] = LABELS[r["name"]]
        if r["name"] == "events":
            entry["facets"] = ["kind", "status", "country", "location_precision"]
            entry["sort"] = "date_earliest"
        tables[r["name"]] = entry
    db: dict = {"tables": tables}
    start = []
    if "events" in names:
        start.append(
            f'<a href="/{database}/events"><strong>events</strong></a>: one row per record '
            "(dates, place and coordinates, countries, actors, counts, evidence), with a map "
            "of the events that have coordinates"
        )
    if {"claims", "events", "actors", "sources"} <= names:
        db["queries"] = {
            RECORD_QUERY: {
                "title": "Record: its claims",
                "description_html": (
                    "One record's claims in order: who says what, with what stance, in whose "
                    "words and with what Admiralty grade. Give the record's ID (for example "
                    "<code>ARR-2015-00001</code>); any case."
                ),
                "sql": RECORD_SQL,
            }
        }
        start.append(
            f'<a href="/{database}/{RECORD_QUERY}"><strong>record</strong></a>: a record\'s '
            "claims with stance, claimant, quote and grade"
        )
    if start:
        db["description_html"] = (
            "<p>Start here:</p><ul>" + "".join(f"<li>{s}</li>" for s in start) + "</ul>"
            "<p>The other tables hold the full nested records; "
            + ", ".join(HIDDEN)
            + " (which claims back which value) is hidden.</p>"
        )
    return {
        "title": desc.get("title", metadata.TITLE),
        "description": desc.get("description", ""),
        "license": "CC BY 4.0",
        "license_url": metadata.DATA_LICENSE["path"],
        "source": f"conflictdata {desc.get('version', '')} (schema {desc.get('schemaVersion', '')})",
        "source_url": desc.get("homepage", metadata.HOMEPAGE),
        "databases": {database: db},
        "plugins": {
            "datasette-cluster-map": {
                "latitude_column": "latitude",
                "longitude_column": "longitude",
            }
        },
    }
