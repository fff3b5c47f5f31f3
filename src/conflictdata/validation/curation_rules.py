"""Rules from the curation review: what an editor caught by reading, written down so a
program catches it next time, and the rules of the schema 1.1 fields (legal
proceedings, places, translations, identities, the state of a source).

They register with :func:`conflictdata.validation.rules.rule` like every other rule;
:mod:`conflictdata.validation.validate` imports this module, so every run has them.
"""

from __future__ import annotations

from conflictdata.model.models import RecordBase, Source
from conflictdata.validation import codes
from conflictdata.validation.rules import Refs, rule

# --- Named people ----------------------------------------------------------------------------


@rule(
    codes.NAMED_IN_TEXT,
    "record",
    needs=("title", "summary", "parties", "claims"),
)
def _named_in_text(record: RecordBase, lookup):
    present = {p.actor for p in record.parties if p.actor}
    for claim in record.claims:
        present.add(claim.claimant)
        present.update(claim.via)
    for field in ("title", "summary"):
        for name, actors in lookup.people_named_in(getattr(record, field)).items():
            if not actors & present:
                who = ", ".join(sorted(actors))
                yield (
                    (field,),
                    (
                        f"names {name!r} (actor {who}), who is neither a party nor a "
                        "claimant of this record; add them with the claim that supports it, "
                        "or leave the name out"
                    ),
                )


# --- Dates -----------------------------------------------------------------------------------


@rule(
    codes.JAN_FIRST,
    "record",
    needs=("date", "notes"),
)
def _jan_first(record: RecordBase, lookup):
    d = record.date
    if (d.earliest.month, d.earliest.day) == (1, 1) and d.precision != "year" and not record.notes:
        yield (
            ("date", "earliest"),
            (
                "1 January is a lower bound only if something supports it: say in notes where "
                "it comes from and that the event may be older, or use precision year if only "
                "the year is known"
            ),
        )


# --- Places ----------------------------------------------------------------------------------


@rule(
    codes.UNKNOWN_PLACE,
    "record",
    needs=("locations",),
)
def _unknown_place(record: RecordBase, lookup):
    for i, loc in enumerate(record.locations):
        if not loc.unknown:
            continue
        for name in ("place", "geonames_id", "coordinates"):
            if getattr(loc, name) is not None:
                yield (
                    ("locations", i, name),
                    f"an unknown place has no {name}; give it in as_given in the source's words",
                )
        if loc.precision in ("exact", "near"):
            yield (
                ("locations", i, "precision"),
                f"an unknown place cannot be {loc.precision!r}; use country, admin1 or admin2",
            )


# --- Identities and relays -------------------------------------------------------------------


@rule(
    codes.INFERRED,
    "record",
    needs=("parties", "claims"),
)
def _inferred(record: RecordBase, lookup):
    for i, party in enumerate(record.parties):
        if party.identity == "inferred" and not party.note:
            yield (("parties", i, "identity"), "an inferred identity needs a note saying how")
        if party.identity is not None and party.actor is None:
            yield (
                ("parties", i, "identity"),
                "identity is for a named actor; an unnamed party is described, not identified",
            )
    for i, claim in enumerate(record.claims):
        if claim.via_inferred and not claim.via:
            yield (("claims", i, "via_inferred"), "via_inferred needs the inferred chain in via")
        if (claim.via_inferred or claim.claimant_identity == "inferred") and not claim.note:
            what = "relay" if claim.via_inferred else "identity of the claimant"
            yield (
                ("claims", i, "via_inferred" if claim.via_inferred else "claimant_identity"),
                f"an inferred {what} needs a note on the claim saying why",
            )


# --- Legal proceedings -----------------------------------------------------------------------


@rule(
    codes.PROCEEDINGS,
    "record",
    needs=("parties", "proceedings", "appeals"),
)
def _proceedings(record: RecordBase, lookup):
    seen: set[str] = set()
    for i, party in enumerate(record.parties):
        if party.id is not None:
            if party.id in seen:
                yield (("parties", i, "id"), f"duplicate party ID {party.id!r}")
            seen.add(party.id)
    actors = {p.actor for p in record.parties if p.actor}
    ids: set[str] = set()
    for i, proc in enumerate(record.proceedings):
        if proc.id in ids:
            yield (("proceedings", i, "id"), f"duplicate proceeding ID {proc.id!r}")
        ids.add(proc.id)
        if proc.party not in actors:
            yield (
                ("proceedings", i, "party"),
                f"{proc.party!r} is not a named party of this record; a proceeding is against a named party",
            )
        if proc.sentence is not None and (
            proc.verdict is None or proc.verdict.outcome != "convicted"
        ):
            yield (
                ("proceedings", i, "sentence"),
                "a sentence needs a verdict of convicted in the same proceeding",
            )
        if proc.verdict is not None and proc.stage in ("investigation", "charged", "trial"):
            yield (
                ("proceedings", i, "stage"),
                f"stage {proc.stage!r} is before a verdict, but the proceeding has one",
            )
    for i, appeal in enumerate(record.appeals):
        if appeal.proceeding not in ids:
            yield (
                ("appeals", i, "proceeding"),
                f"proceeding {appeal.proceeding!r} is not in this record's proceedings",
            )


@rule(codes.PARTY_REFS, "cross")
def _party_refs(refs: Refs, lookup):
    for i, j, own, target in refs.identities:
        record, _, party = target.rpartition("#")
        where = ("parties", i, "same_as", j, "party")
        if not record or record == refs.id:
            if party == own:
                yield where, "a party cannot be the same as itself"
            elif party not in refs.parties:
                yield where, f"this record has no party {party!r}"
            continue
        if not lookup.has_record(record):
            yield where, f"record {record} does not exist"
            continue
        held = lookup.record_refs(record)
        if held is not None and party not in held.parties:
            yield where, f"record {record} has no party {party!r}"


# --- Sources ---------------------------------------------------------------------------------


@rule(
    codes.SOURCE_STATE,
    "source",
    needs=(
        "translation",
        "machine_translated",
        "title_basis",
        "url",
        "archive_url",
        "text_state",
        "notes",
    ),
)
def _source_state(source: Source, lookup):
    tr = source.translation
    if tr is not None:
        if source.machine_translated and tr.by != "machine":
            yield (
                ("translation", "by"),
                f"the source is machine_translated, but the translation says by {tr.by!r}",
            )
        if not source.machine_translated and tr.by == "machine":
            yield (("machine_translated",), "a machine translation needs machine_translated: true")
        if tr.language == source.language:
            yield (
                ("translation", "language"),
                "the original's language is the language of the text; a translation changes it",
            )
    if source.title_basis == "reconstructed" and source.url is None and source.archive_url is None:
        yield (("title_basis",), "a title reconstructed from the URL needs url or archive_url")
    if source.text_state == "partial" and not source.notes:
        yield (("text_state",), "a partial text needs notes saying which part the curators had")


@rule(
    codes.TRANSLATION,
    "record",
    needs=("claims",),
)
def _translation(record: RecordBase, lookup):
    for i, claim in enumerate(record.claims):
        tr = claim.translation
        if (
            tr is not None
            and claim.quote_language is not None
            and tr.language == claim.quote_language
        ):
            yield (
                ("claims", i, "translation", "language"),
                "the translation is in the quote's own language",
            )
