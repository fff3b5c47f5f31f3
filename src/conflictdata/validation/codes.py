"""Every problem code the validator can report, declared once with its one-line statement.

A problem names the code of the rule it breaks (``path:line:col: field: message``, and
``rule`` in the JSON and GitHub formats). The codes of the file checks, of the rules in
:mod:`conflictdata.validation.rules` and of the withdrawn-ID checks in
:mod:`conflictdata.validation.withdrawn` are all declared here, in the order the
codebook lists them; the codebook only renders :data:`REGISTRY`. A rule registered
under an undeclared code fails on import, and a test checks that every code emitted
is declared.

``applies_to`` says what a code is checked on: ``file`` (every file), ``record``,
``actor``, ``source``, ``cross`` (records against each other) or ``withdrawn``
(records/withdrawn.yaml). One code may be declared for several of them (``actor-refs``
for records, actors and sources), each with its own statement.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    applies_to: str
    statement: str


#: Every declared code, in the order the codebook lists them.
REGISTRY: list[Code] = []


def _declare(code: str, applies_to: str, statement: str) -> str:
    if any(c.code == code and c.applies_to == applies_to for c in REGISTRY):
        raise ValueError(f"problem code {code!r} for {applies_to} is declared twice")
    REGISTRY.append(Code(code, applies_to, statement))
    return code


# --- Every file -----------------------------------------------------------------------
IO = _declare("io", "file", "The file can be read.")
YAML = _declare(
    "yaml",
    "file",
    "The file is UTF-8 YAML without tabs, anchors, aliases, tags or duplicate keys, "
    "with LF line endings and a mapping of fields at the top.",
)
SCHEMA = _declare(
    "schema",
    "file",
    "Every field has the type and allowed values the JSON Schema gives, and no "
    "unknown field appears.",
)
LAYOUT = _declare(
    "layout", "file", "Every file sits in the folder of its kind, at the path its ID gives."
)
FILE_NAME = _declare("file-name", "file", "The file name is the ID.")
DUPLICATE_ID = _declare("duplicate-id", "file", "No two files hold the same ID.")

# --- Rules on one record, actor or source (conflictdata.validation.rules) ------------------
CLAIM_IDS = _declare("claim-ids", "record", "Claim IDs are unique within a record.")
CLAIM_REFS = _declare(
    "claim-refs",
    "record",
    "Every value cites claims of its own record, at least one of which asserts or confirms it.",
)
CLAIMS_USED = _declare(
    "claims-used",
    "record",
    "Every claim that asserts or confirms supports at least one value of the record.",
)
RESPONDS_TO = _declare(
    "responds-to",
    "record",
    "Denials, disputes, doubts, confirmations and retractions answer an existing claim, "
    "never themselves; a retraction withdraws the claimant's own claim.",
)
STATUS = _declare(
    "status",
    "record",
    "The status agrees with the claims: corroborated needs two supporting claimants and no "
    "challenge; reported needs no challenge; disputed, denied and retracted need a claim "
    "that does so.",
)
COUNT_ORDER = _declare(
    "count-order",
    "record",
    "In every count, low <= best <= high, and at least one of them is given.",
)
DATE_ORDER = _declare("date-order", "record", "A date's latest day is not before its earliest day.")
SOURCE_DATE_ORDER = _declare(
    "source-date-order",
    "source",
    "A source's latest possible publication day is not before its earliest.",
)
PARTIES = _declare(
    "parties",
    "record",
    "A party is either a named actor (actor) or an unnamed person or group (description), "
    "never both; count is for unnamed groups.",
)
ALLEGED_NOT_GUILTY = _declare(
    "alleged-not-guilty",
    "record",
    "A person in an accusing role (perpetrator, detainee, suspect, supplier, recruiter...) "
    "has a legal status; people are alleged, not guilty.",
)
GEONAMES = _declare(
    "geonames",
    "record",
    "A GeoNames ID names a city in the packaged GeoNames list, in the location's country.",
)
ACTOR_REFS = _declare(
    "actor-refs",
    "record",
    "Every claimant, intermediary (via) and party actor exists in records/actors/.",
)
SOURCE_REFS = _declare("source-refs", "record", "Every claim's source exists in records/sources/.")
_declare("actor-refs", "actor", "An actor's parent exists.")
ANONYMOUS = _declare(
    "anonymous",
    "actor",
    "An anonymous actor has no aliases and no Wikidata ID: nothing that could name them.",
)
_declare("actor-refs", "source", "A source's publisher_actor exists.")
_moved_statement = (
    "A {} uses no old ID of a renamed or merged actor or source (listed in "
    "records/redirects.yaml); the message names the ID to use."
)
MOVED_ID = _declare("moved-id", "record", _moved_statement.format("record"))
_declare("moved-id", "actor", _moved_statement.format("actor"))
_declare("moved-id", "source", _moved_statement.format("source"))

HIDDEN_TEXT = _declare(
    "hidden-text",
    "record",
    "Text holds no control characters and no bidirectional embeddings, overrides or "
    "isolates, which change how it is shown; a quote is copied again without them.",
)
_declare(
    "hidden-text",
    "actor",
    "Text holds no control characters and no bidirectional embeddings, overrides or "
    "isolates, which change how it is shown; a quote is copied again without them.",
)
_declare(
    "hidden-text",
    "source",
    "Text holds no control characters and no bidirectional embeddings, overrides or "
    "isolates, which change how it is shown; a quote is copied again without them.",
)

# --- Records against each other ---------------------------------------------------------
RESPONDS_TO_RECORD = _declare(
    "responds-to-record",
    "cross",
    "A claim answering a claim of another record names a record and claim that exist.",
)
RELATED = _declare(
    "related",
    "cross",
    "Related records exist, are not the record itself, are listed once, and link back with "
    "the inverse relation.",
)

# --- The curation review and the schema 1.1 fields (conflictdata.validation.curation_rules) -
NAMED_IN_TEXT = _declare(
    "named-in-text",
    "record",
    "A person named in a record's title or summary by a name or alias of two words or "
    "more is a party, a claimant or an intermediary (via) of that record.",
)
JAN_FIRST = _declare(
    "jan-first",
    "record",
    "A date whose lower bound is 1 January (other than precision year) has notes saying "
    "where the bound comes from.",
)
UNKNOWN_PLACE = _declare(
    "unknown-place",
    "record",
    "A place the sources do not identify (unknown: true) has no place name, GeoNames ID or "
    "coordinates, and no precision finer than a region.",
)
INFERRED = _declare(
    "inferred",
    "record",
    "What the curators inferred is marked and explained: an inferred identity or relay has "
    "a note, and via_inferred needs a via.",
)
PROCEEDINGS = _declare(
    "proceedings",
    "record",
    "Legal proceedings and party IDs are unique; a proceeding is against a named party of "
    "the record; an appeal names a proceeding of the record; a sentence follows a conviction.",
)
TRANSLATION = _declare(
    "translation",
    "record",
    "A claim's translation is into another language than the quote's.",
)
SOURCE_STATE = _declare(
    "source-state",
    "source",
    "A source's translation agrees with machine_translated; a reconstructed title has a URL "
    "it was reconstructed from; a partial text has notes saying which part.",
)
PARTY_REFS = _declare(
    "party-refs",
    "cross",
    "A party named in same_as exists: the record exists and has a party with that ID.",
)

# --- Quotes against the archived source texts (conflictdata quotes) ------------------------
QUOTE = _declare(
    "quote",
    "record",
    "Every quote occurs word for word in the archived text of its source (only whitespace "
    "and typographic quotation marks may differ); checked by conflictdata quotes.",
)
QUOTE_ARCHIVE = _declare(
    "quote-archive",
    "source",
    "A source has an archived text to check its quotes against, or says why none can exist "
    "(archive: {status: unavailable, reason: ...}); checked by conflictdata quotes.",
)

# --- Withdrawn IDs (conflictdata.validation.withdrawn) ------------------------------------
WITHDRAWN = _declare(
    "withdrawn",
    "withdrawn",
    "records/withdrawn.yaml is a list of valid entries; each ID is listed once; duplicate "
    "and merged name the record that replaces them in replaced_by, which exists and is not "
    "itself withdrawn.",
)
WITHDRAWN_REUSED = _declare(
    "withdrawn-reused", "withdrawn", "A withdrawn ID is never used for a record again."
)
ID_LOSS = _declare(
    "id-loss",
    "withdrawn",
    "A record ID present at the base revision (validate --base REF, or --changed) is still "
    "a record, or is listed in records/withdrawn.yaml; an actor or source ID present there "
    "is still an entry, or is listed in records/redirects.yaml.",
)

# --- Redirected actor and source IDs (conflictdata.validation.redirects) ------------------
REDIRECTS = _declare(
    "redirects",
    "redirects",
    "records/redirects.yaml is a list of valid entries; each old actor or source ID is "
    "listed once; it has no file any more; replaced_by names an existing entry of the same "
    "registry that is not itself redirected.",
)

#: Every declared code.
DECLARED: frozenset[str] = frozenset(c.code for c in REGISTRY)


def statement(code: str, applies_to: str) -> str:
    """The statement of a declared code; a ``KeyError`` for an undeclared one."""
    for c in REGISTRY:
        if c.code == code and c.applies_to == applies_to:
            return c.statement
    raise KeyError(f"problem code {code!r} for {applies_to} is not declared in codes.py")
