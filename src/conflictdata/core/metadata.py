"""The release: data version and the package metadata, kept in one place.

``DATA_VERSION`` is the calendar version of the data release (``YYYY.MM.N``: year,
month, and the number of the release within that month); it changes when the records
change, independently of the Python package's ``__version__`` and of the
``SCHEMA_VERSION`` of the record format.
"""

from __future__ import annotations

DATA_VERSION = "2026.11.2"

NAME = "conflictdata"
TITLE = (
    "conflictdata: claim-level records of Islamic State-linked incidents, arrests, "
    "weapons transfers and recruitment"
)
HOMEPAGE = "https://github.com/conflictdata/conflictdata"
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
CONTRIBUTORS = [{"title": "conflictdata contributors", "path": HOMEPAGE, "roles": ["creator"]}]
KEYWORDS = [
    "conflict data",
    "terrorism",
    "islamic state",
    "arrests",
    "weapons transfers",
    "recruitment",
]

DESCRIPTION = """\
An open, hand-curated dataset of incidents, arrests, weapons transfers and recruitment \
cases tied to Islamic State networks (Ukraine, Russia, Central Asia, Turkey, the Middle \
East). Every value in a record is backed by claims: who said it, in which source, with \
what stance (asserts, confirms, denies, disputes, doubts, retracts), a verbatim quote \
and an Admiralty-code grade. People are alleged, not guilty, unless a source reports a \
conviction.

Tables. events has one flat row per record (kind, title, status, dates, the primary \
location with coordinates, every country, the primary actors on each side, counts as \
low/best/high, and the evidence in numbers), derived from the other tables at build \
time. records holds the fields every record shares; incidents, arrests, \
weapons_transfers and recruitment hold each kind's own fields, keyed by the same id. \
Lists are child tables keyed by their parent's key and a 1-based position that keeps \
the order of the source file (claims, claim_via, parties, party_nationalities, \
locations, related, weapon_items, route_steps, recruitment_purposes, actor_aliases, \
actor_nationalities, source_authors). claim_backing lists, for every block of a record \
(date, each location, each party, counts, details, each weapon item and its quantity), \
the claims that back it. locations carries, besides the coordinates a record gives, \
latitude and longitude as published with coordinates_source: record (given in the \
record) or geonames (the GeoNames gazetteer's, for the location's GeoNames ID); none \
are invented. data/records.json holds every record, actor and source in \
full nested form.

CSV conventions. UTF-8, comma-separated, LF line endings, a header row, rows sorted by \
key. An empty cell means the value is missing (null); no text value is ever empty. \
Booleans are true/false, dates YYYY-MM-DD. The country code NA (Namibia) is a value, \
not a missing one: read the tables with the package's schema (or keep_default_na=False \
in pandas). Values are published exactly as curated and never altered: text quoted \
from sources may begin with =, +, - or @, which spreadsheet programs can treat as a \
formula; import the CSV files as text rather than opening them directly if that is a \
concern.

Schema version: the version of the record format (schemaVersion); version: the data \
release (calendar versioning). Data licence CC BY 4.0; short quoted excerpts remain the \
work of their authors."""
