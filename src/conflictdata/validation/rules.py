"""Rules beyond the shape of a record: the checks JSON Schema cannot express.

Each rule is a function registered with :func:`rule` under a short code declared, with a
one-line statement of what it requires, in :mod:`conflictdata.validation.codes`; the
codebook lists them. A rule yields
``(field_path, message)`` pairs. Rules take the validated model and a :class:`Lookup`
that answers questions about other files (does actor X exist, what type is it, which
claims does record Y hold), so the same rules serve a full run and a run over a few
changed files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

from conflictdata.core import gazetteer, paths, vocab
from conflictdata.model.models import Actor, Count, DateRange, RecordBase, Source
from conflictdata.validation import codes, nearest


@dataclass(frozen=True)
class Rule:
    code: str
    applies_to: str  # "record", "actor" or "source"
    statement: str
    func: Callable
    needs: frozenset[str] = frozenset()


RULES: list[Rule] = []


def rule(code: str, applies_to: str, *, needs: tuple[str, ...] = ()):
    """Register a rule under a code declared in :mod:`conflictdata.validation.codes`
    (which holds its statement). ``needs`` names the top-level fields it reads: when a
    record has shape problems, the rule still runs if those fields are valid."""
    statement = codes.statement(code, applies_to)

    def register(func):
        RULES.append(Rule(code, applies_to, statement, func, frozenset(needs)))
        return func

    return register


class Lookup(Protocol):
    """What the rules may ask about other files."""

    def has_actor(self, actor_id: str) -> bool: ...
    def has_source(self, source_id: str) -> bool: ...
    def has_record(self, record_id: str) -> bool: ...
    def actor_type(self, actor_id: str) -> str | None: ...
    def moved(self, registry: str, entry_id: str):
        """The redirect of an old actor or source ID (records/redirects.yaml), or None."""

    def people_named_in(self, text: str) -> dict[str, set[str]]:
        """The names and aliases of the registry's named people that ``text`` names, each
        with the actors' IDs (:mod:`conflictdata.validation.people`)."""

    def record_refs(self, record_id: str) -> Refs | None:
        """The cross-record facts of a valid record; None when it is missing or invalid."""


@dataclass(frozen=True)
class Refs:
    """What other records need to know about a record: small enough to pass between
    processes, so that cross-record rules never need the whole corpus in memory."""

    id: str
    path: str
    links: tuple[tuple[str, str], ...]  # (record, relation), in file order
    claims: frozenset[str]
    responses: tuple[
        tuple[int, str], ...
    ]  # (claim index, "REC-...#cN") for claims answering other records
    parties: frozenset[str] = frozenset()  # party IDs (p1, p2...)
    #: (party index, same_as index, the party's own ID, "REC-...#pN") for each identity
    identities: tuple[tuple[int, int, str | None, str], ...] = ()

    @classmethod
    def of(cls, record: RecordBase, path: str) -> Refs:
        parties = getattr(record, "parties", None) or []
        return cls(
            record.id,
            path,
            tuple((link.record, link.relation) for link in record.related),
            frozenset(c.id for c in record.claims),
            tuple(
                (i, c.responds_to)
                for i, c in enumerate(record.claims)
                if c.responds_to and "#" in c.responds_to
            ),
            frozenset(p.id for p in parties if p.id),
            tuple(
                (i, j, p.id, ident.party)
                for i, p in enumerate(parties)
                for j, ident in enumerate(p.same_as)
            ),
        )


# --- Walking the claim-backed blocks of a record ---------------------------------------


def backed_blocks(record: RecordBase) -> Iterator[tuple[tuple, object]]:
    """Every part of a record that carries ``claims``, with its field path."""
    for name in type(record).model_fields:
        value = getattr(record, name, None)
        if name == "claims" or value is None:
            continue
        if isinstance(value, list):
            for i, item in enumerate(value):
                if hasattr(item, "claims"):
                    yield (name, i), item
                    yield from _nested_blocks(item, (name, i))
        elif hasattr(value, "claims"):
            yield (name,), value


def _nested_blocks(block, path: tuple) -> Iterator[tuple[tuple, object]]:
    """Blocks with claims inside a block: an item's quantity, a proceeding's verdict."""
    for name in type(block).model_fields:
        value = getattr(block, name, None)
        if name != "claims" and value is not None and hasattr(value, "claims"):
            yield path + (name,), value


def counts(record: RecordBase) -> Iterator[tuple[tuple, Count]]:
    for path, block in backed_blocks(record):
        if isinstance(block, Count):
            yield path, block


# --- Claims -----------------------------------------------------------------------------


@rule(codes.CLAIM_IDS, "record", needs=("claims",))
def _claim_ids(record: RecordBase, lookup: Lookup):
    seen: set[str] = set()
    for i, claim in enumerate(record.claims):
        if claim.id in seen:
            yield (
                ("claims", i, "id"),
                f"duplicate claim ID {claim.id!r}; give each claim its own ID (gaps such as c1, c3 are fine)",
            )
        seen.add(claim.id)


@rule(codes.CLAIM_REFS, "record", needs=("claims",))
def _claim_refs(record: RecordBase, lookup: Lookup):
    stance = {c.id: c.stance for c in record.claims}
    for path, block in backed_blocks(record):
        missing = [ref for ref in block.claims if ref not in stance]
        for ref in missing:
            idx = block.claims.index(ref)
            yield (
                path + ("claims", idx),
                f"claim {ref!r} is not in this record's claims ({', '.join(stance) or 'none'})",
            )
        cited = [stance[ref] for ref in block.claims if ref in stance]
        if cited and not vocab.SUPPORTING_STANCES.intersection(cited):
            yield (
                path + ("claims",),
                (
                    "no cited claim asserts or confirms this value; a value needs a supporting claim "
                    "(denials and doubts are recorded as claims, not as values)"
                ),
            )


@rule(codes.CLAIMS_USED, "record", needs=("claims", "*"))
def _claims_used(record: RecordBase, lookup: Lookup):
    used = {ref for _, block in backed_blocks(record) for ref in block.claims}
    for i, claim in enumerate(record.claims):
        if (
            claim.stance in vocab.SUPPORTING_STANCES
            and claim.id not in used
            and claim.responds_to is None
        ):
            yield (
                ("claims", i, "id"),
                (
                    f"claim {claim.id!r} asserts something but no value cites it; cite it where it "
                    "supports a value, or remove it"
                ),
            )


@rule(codes.RESPONDS_TO, "record", needs=("claims",))
def _responds_to(record: RecordBase, lookup: Lookup):
    claims = {c.id: c for c in record.claims}
    for i, claim in enumerate(record.claims):
        target = claim.responds_to
        where = ("claims", i, "responds_to")
        if target is None:
            if claim.stance != "asserts":
                yield (
                    ("claims", i, "stance"),
                    (f"a claim that {claim.stance} must name the claim it answers in responds_to"),
                )
            continue
        if "#" in target:
            continue  # answered by the cross-record rule "responds-to-record"
        if target == claim.id:
            yield where, "a claim cannot respond to itself"
        elif target not in claims:
            yield where, f"claim {target!r} is not in this record's claims"
        elif claim.stance == "retracts" and claims[target].claimant != claim.claimant:
            yield (
                where,
                "a retraction withdraws the claimant's own claim; use denies or disputes for someone else's",
            )


@rule(codes.STATUS, "record", needs=("status", "claims"))
def _status(record: RecordBase, lookup: Lookup):
    stances = Counter(c.stance for c in record.claims)
    challenged = any(stances[s] for s in vocab.CHALLENGING_STANCES)
    supporters = {c.claimant for c in record.claims if c.stance in vocab.SUPPORTING_STANCES}
    status = record.status
    why = None
    if status in ("corroborated", "reported") and challenged:
        which = sorted(s for s in vocab.CHALLENGING_STANCES if stances[s])
        why = f"a claim {' / '.join(which)} it; use disputed or denied"
    elif status in ("corroborated", "reported") and stances["retracts"]:
        why = "a claim retracts it; use retracted"
    elif status == "corroborated" and len(supporters) < 2:
        why = "corroborated needs supporting claims from at least two different claimants"
    elif status == "disputed" and not challenged:
        why = "no claim disputes, doubts or denies it"
    elif status == "denied" and not stances["denies"]:
        why = "no claim denies it"
    elif status == "retracted" and not stances["retracts"]:
        why = "no claim retracts it"
    if why:
        yield ("status",), f"status {status!r} does not match the claims: {why}"


# --- Values -----------------------------------------------------------------------------


@rule(codes.COUNT_ORDER, "record")
def _count_order(record: RecordBase, lookup: Lookup):
    for path, count in counts(record):
        values = [
            (n, getattr(count, n)) for n in ("low", "best", "high") if getattr(count, n) is not None
        ]
        if not values:
            yield path, "a count needs at least one of low, best, high"
        for (a, x), (b, y) in pairwise(values):
            if x > y:
                yield (
                    path + (b,),
                    f"{a} ({x}) is greater than {b} ({y}); expected low <= best <= high",
                )


def _date_order(date: DateRange, path: tuple):
    if date.earliest > date.latest:
        yield path + ("latest",), f"latest ({date.latest}) is before earliest ({date.earliest})"


@rule(codes.DATE_ORDER, "record", needs=("date",))
def _record_date(record: RecordBase, lookup: Lookup):
    yield from _date_order(record.date, ("date",))


@rule(codes.SOURCE_DATE_ORDER, "source", needs=("published",))
def _source_date(source: Source, lookup: Lookup):
    yield from _date_order(source.published, ("published",))


@rule(codes.PARTIES, "record", needs=("parties",))
def _parties(record: RecordBase, lookup: Lookup):
    for i, party in enumerate(record.parties):
        if (party.actor is None) == (party.description is None):
            yield (
                ("parties", i),
                "give either actor (a named actor's ID) or description (an unnamed person or "
                "group), not both or neither",
            )
        elif party.actor is not None and party.count is not None:
            yield ("parties", i, "count"), "count is for unnamed groups; a named actor is one party"


@rule(codes.ALLEGED_NOT_GUILTY, "record", needs=("parties",))
def _legal_status(record: RecordBase, lookup: Lookup):
    for i, party in enumerate(record.parties):
        if party.role not in vocab.ACCUSED_ROLES or party.legal_status is not None:
            continue
        is_person = party.description is not None or (
            party.actor is not None and lookup.actor_type(party.actor) == "person"
        )
        if is_person:
            yield (
                ("parties", i, "legal_status"),
                (
                    f"a person with role {party.role!r} needs a legal_status as the source gives it "
                    f"({', '.join(vocab.LEGAL_STATUSES)})"
                ),
            )


@rule(codes.GEONAMES, "record", needs=("locations",))
def _geonames(record: RecordBase, lookup: Lookup):
    for i, loc in enumerate(record.locations):
        if loc.geonames_id is None:
            continue
        city = gazetteer.cities().get(loc.geonames_id)
        if city is None:
            yield (
                ("locations", i, "geonames_id"),
                (
                    f"GeoNames ID {loc.geonames_id} is not a city in the packaged GeoNames list "
                    f"(places of more than {gazetteer.MIN_POPULATION:,} people and administrative seats); "
                    "leave it out and give place and precision"
                ),
            )
        elif city[1] != loc.country:
            yield (
                ("locations", i, "geonames_id"),
                (f"GeoNames ID {loc.geonames_id} is {city[0]} in {city[1]}, not in {loc.country}"),
            )


# --- References ------------------------------------------------------------------------


def _actor_ids(record: RecordBase) -> Iterator[tuple[tuple, str]]:
    """Every actor ID a record uses, with its field path."""
    for i, claim in enumerate(record.claims):
        yield ("claims", i, "claimant"), claim.claimant
        for j, via in enumerate(claim.via):
            yield ("claims", i, "via", j), via
    for i, party in enumerate(record.parties):
        if party.actor is not None:
            yield ("parties", i, "actor"), party.actor


def _missing(lookup: Lookup, registry: str, entry_id: str) -> bool:
    """True when ``entry_id`` is neither an entry nor a redirected old ID (which the
    rule ``moved-id`` reports instead)."""
    exists = lookup.has_actor if registry == "actor" else lookup.has_source
    return not exists(entry_id) and lookup.moved(registry, entry_id) is None


@rule(codes.ACTOR_REFS, "record", needs=("claims", "parties"))
def _actor_refs(record: RecordBase, lookup: Lookup):
    for path, actor_id in _actor_ids(record):
        if _missing(lookup, "actor", actor_id):
            yield path, _no_entry(lookup, "actor", actor_id)


def _no_entry(lookup: Lookup, registry: str, entry_id: str) -> str:
    """An unknown actor or source ID: the nearest IDs, names and aliases first (a new file
    for an entry that exists under another spelling would duplicate it), then the file to
    add."""
    near = nearest.hint(getattr(lookup, "root", None), registry, entry_id)
    add = f"records/{paths.registry_relpath(registry, entry_id)}"
    if near:
        return f"{registry} {entry_id!r} does not exist; {near}Otherwise add {add}"
    return f"{registry} {entry_id!r} does not exist; add {add} or fix the ID"


@rule(codes.SOURCE_REFS, "record", needs=("claims",))
def _source_refs(record: RecordBase, lookup: Lookup):
    for i, claim in enumerate(record.claims):
        if _missing(lookup, "source", claim.source):
            yield (
                ("claims", i, "source"),
                _no_entry(lookup, "source", claim.source),
            )


@rule(codes.ACTOR_REFS, "actor", needs=("id", "parent"))
def _actor_parent(actor: Actor, lookup: Lookup):
    if actor.parent is not None:
        if actor.parent == actor.id:
            yield ("parent",), "an actor cannot be its own parent"
        elif _missing(lookup, "actor", actor.parent):
            yield ("parent",), _no_entry(lookup, "actor", actor.parent)


@rule(codes.ANONYMOUS, "actor", needs=("anonymous", "aliases", "wikidata"))
def _anonymous(actor: Actor, lookup: Lookup):
    if actor.anonymous:
        if actor.aliases:
            yield ("aliases",), "an anonymous actor has no aliases; the sources do not name them"
        if actor.wikidata:
            yield ("wikidata",), "an anonymous actor has no Wikidata ID"


@rule(codes.ACTOR_REFS, "source", needs=("publisher_actor",))
def _publisher(source: Source, lookup: Lookup):
    if source.publisher_actor is not None and _missing(lookup, "actor", source.publisher_actor):
        yield ("publisher_actor",), _no_entry(lookup, "actor", source.publisher_actor)


# --- Old IDs of renamed or merged actors and sources (records/redirects.yaml) -------------


def _moved(lookup: Lookup, registry: str, path: tuple, entry_id: str):
    entry = lookup.moved(registry, entry_id)
    if entry is not None:
        how = "merged into" if entry.reason == "merged" else "renamed to"
        yield (
            path,
            f"{registry} {entry_id!r} was {how} {entry.replaced_by!r} on {entry.moved} "
            f"(records/{paths.REDIRECTS_FILE}); write {entry.replaced_by!r} instead",
        )


@rule(codes.MOVED_ID, "record", needs=("claims", "parties"))
def _record_moved(record: RecordBase, lookup: Lookup):
    for path, actor_id in _actor_ids(record):
        yield from _moved(lookup, "actor", path, actor_id)
    for i, claim in enumerate(record.claims):
        yield from _moved(lookup, "source", ("claims", i, "source"), claim.source)


@rule(codes.MOVED_ID, "actor", needs=("parent",))
def _parent_moved(actor: Actor, lookup: Lookup):
    if actor.parent is not None:
        yield from _moved(lookup, "actor", ("parent",), actor.parent)


@rule(codes.MOVED_ID, "source", needs=("publisher_actor",))
def _publisher_moved(source: Source, lookup: Lookup):
    if source.publisher_actor is not None:
        yield from _moved(lookup, "actor", ("publisher_actor",), source.publisher_actor)


# --- Cross-record rules: they see only Refs, never whole records --------------------------


@rule(codes.RESPONDS_TO_RECORD, "cross")
def _responds_to_record(refs: Refs, lookup: Lookup):
    for i, target in refs.responses:
        other, claim_id = target.split("#")
        where = ("claims", i, "responds_to")
        if other == refs.id:
            yield where, f"refer to a claim of this record as {claim_id!r}, not {target!r}"
        elif not lookup.has_record(other):
            yield where, f"record {other} does not exist"
        else:
            held = lookup.record_refs(other)
            if held is not None and claim_id not in held.claims:
                yield where, f"record {other} has no claim {claim_id!r}"


@rule(codes.RELATED, "cross")
def _related(refs: Refs, lookup: Lookup):
    seen: set[str] = set()
    for i, (other, relation) in enumerate(refs.links):
        where = ("related", i, "record")
        if other == refs.id:
            yield where, "a record cannot be related to itself"
            continue
        if other in seen:
            yield where, f"{other} is listed twice"
            continue
        seen.add(other)
        if not lookup.has_record(other):
            yield where, f"record {other} does not exist"
            continue
        back_refs = lookup.record_refs(other)
        if back_refs is None:
            continue  # the other record is invalid; its own problems are reported
        back = dict(back_refs.links)
        inverse = vocab.INVERSE_RELATIONS[relation]
        if back.get(refs.id) != inverse:
            have = back.get(refs.id)
            yield (
                ("related", i, "relation"),
                (
                    f"{other} must link back with relation {inverse!r}"
                    + (f" (it says {have!r})" if have else " (it does not link here)")
                ),
            )


def run_rules(
    applies_to: str, model, lookup: Lookup, valid: frozenset[str] | None = None
) -> Iterator[tuple[str, tuple, str]]:
    """Every finding of every rule for one model: ``(rule code, field path, message)``.

    ``valid`` names the fields that passed the shape checks when the model is a salvaged
    part of an invalid record; a rule runs only if the fields it needs are among them
    (``"*"`` in ``needs``: only for a wholly valid record).
    """
    for r in RULES:
        if r.applies_to == applies_to and (valid is None or r.needs <= valid):
            for path, message in r.func(model, lookup):
                yield r.code, path, message
