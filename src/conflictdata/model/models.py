"""The data model: pydantic v2 models, the single source of truth for every record.

The models describe the *shape* of a record (fields, types, allowed values, patterns),
exactly what the published JSON Schema says. Rules that relate several fields or
several records (claims that must resolve, status against claims, low <= best <= high)
live in :mod:`conflictdata.validation.rules`.

Field descriptions are written for contributors: they become the JSON Schema that
editors show and the codebook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from conflictdata.core import vocab
from conflictdata.core.vocab import literal

SCHEMA_VERSION = "1.1.0"


class Strict(BaseModel):
    """Base for every model: strict types, no unknown fields, no NaN, immutable."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        validate_default=False,
        hide_input_in_errors=False,
        defer_build=True,  # build a model's validator on first use: a run over one file builds only what it needs
    )


# --- Facets: what the JSON Schema vocabulary cannot say, as x- annotations ---------------

#: The ID this value holds is the ``id`` of a row in the named collection (``records``,
#: ``actors``, ``sources``): the foreign keys of the published tables.
REFERS_TO = "x-refers-to"
#: This list of claim IDs names the claims that back the block it is in: the
#: ``claim_backing`` table of the release.
CLAIM_BACKING = "x-claim-backing"


@dataclass(frozen=True)
class Facet:
    """An ``x-`` annotation that a type writes into the generated JSON Schema, so that
    every consumer of the model (tables, codebook, templates, ``fmt``) reads one
    described source rather than the types themselves."""

    key: str
    value: Any

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        schema[self.key] = self.value
        return schema


# --- Scalar types ---------------------------------------------------------------------

Text = Annotated[str, StringConstraints(min_length=1, max_length=4000, pattern=r"\S")]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=r"\S")]
Quote = Annotated[
    str,
    StringConstraints(min_length=1, max_length=400, pattern=r"\S"),
    Field(
        description="The words of the source that support the claim, copied exactly "
        "(a sentence or a clause, at most about 300 characters; only whitespace and "
        "typographic quotes may differ).",
    ),
]
RecordId = Annotated[
    str, StringConstraints(pattern=vocab.RECORD_ID_PATTERN), Facet(REFERS_TO, "records")
]
Slug = Annotated[str, StringConstraints(min_length=2, max_length=80, pattern=vocab.SLUG_PATTERN)]
ActorId = Annotated[
    str,
    StringConstraints(min_length=2, max_length=80, pattern=vocab.SLUG_PATTERN),
    Facet(REFERS_TO, "actors"),
    Field(description="The ID of an actor in records/actors/."),
]
SourceId = Annotated[
    str,
    StringConstraints(min_length=2, max_length=80, pattern=vocab.SLUG_PATTERN),
    Facet(REFERS_TO, "sources"),
    Field(description="The ID of a source in records/sources/."),
]
ClaimId = Annotated[str, StringConstraints(pattern=vocab.CLAIM_ID_PATTERN)]
ClaimRef = Annotated[str, StringConstraints(pattern=vocab.CLAIM_REF_PATTERN)]
ClaimRefs = Annotated[
    list[Annotated[str, StringConstraints(pattern=vocab.CLAIM_ID_PATTERN)]],
    Facet(CLAIM_BACKING, True),
    Field(
        min_length=1,
        description="The claims in this record that support this value (c1, c2, ...); "
        "at least one of them must assert or confirm it.",
    ),
]


def _kind_id(kind: str):
    """The ID field of one record kind: its pattern from :data:`conflictdata.core.vocab.KINDS`."""
    k = vocab.KIND_BY_NAME[kind]
    return Annotated[
        str,
        StringConstraints(pattern=k.id_pattern),
        Field(description=f"{k.prefix}-YYYY-NNNNN; equals the file name."),
    ]


_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "expected a date written as YYYY-MM-DD")
    if not _DATE_RE.fullmatch(value):
        raise PydanticCustomError(
            "date_format", "expected a date written as YYYY-MM-DD (for example 2015-07-16)"
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_value", "no such day in the calendar") from None


IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
]


@lru_cache(maxsize=1)
def country_codes() -> tuple[str, ...]:
    """Every ISO 3166-1 alpha-2 code, from pycountry."""
    import pycountry  # imported on first use: a run that checks no country does not pay for it

    return tuple(sorted(c.alpha_2 for c in pycountry.countries))


@lru_cache(maxsize=1)
def _country_set() -> frozenset[str]:
    return frozenset(country_codes())


@lru_cache(maxsize=1)
def language_codes() -> tuple[str, ...]:
    """Every ISO 639-1 two-letter language code, from pycountry."""
    import pycountry

    return tuple(sorted(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")))


def _check_country(value: str) -> str:
    if value not in _country_set():
        raise PydanticCustomError(
            "country_code",
            "'{value}' is not an ISO 3166-1 alpha-2 country code (for example UA, RU, KG, NO)",
            {"value": value},
        )
    return value


def _check_language(value: str) -> str:
    if value not in language_codes():
        raise PydanticCustomError(
            "language_code",
            "'{value}' is not an ISO 639-1 language code (for example en, ru, uk)",
            {"value": value},
        )
    return value


CountryCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{2}$"),
    AfterValidator(_check_country),
    Field(
        description="ISO 3166-1 alpha-2 country code in capitals (UA, RU, KG).",
        json_schema_extra=lambda s: s.update(enum=list(country_codes())),
    ),
]
LanguageCode = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2}$"),
    AfterValidator(_check_language),
    Field(
        description="ISO 639-1 language code (en, ru, uk).",
        json_schema_extra=lambda s: s.update(enum=list(language_codes())),
    ),
]
Url = Annotated[
    str,
    StringConstraints(max_length=2000, pattern=r"^https?://[^\s/$.?#][^\s]*$"),
]


def _enum(vocabulary: dict, description: str):
    """A ``Literal`` field type built from a vocabulary, described value by value."""
    return Annotated[
        literal(vocabulary),
        Field(description=description, json_schema_extra=vocab.described_enum(vocabulary)),
    ]


Stance = _enum(vocab.STANCES, "What the claimant does with the content.")
Status = _enum(vocab.STATUSES, "The state of the record's evidence, checked against its claims.")
SourceReliability = _enum(
    vocab.SOURCE_RELIABILITY, "Admiralty code: reliability of the claimant as a source, A to F."
)
Credibility = _enum(
    vocab.CREDIBILITY, "Admiralty code: credibility of this piece of information, 1 to 6."
)
DatePrecision = _enum(vocab.DATE_PRECISIONS, "How precisely the sources date it.")
GeoPrecision = _enum(
    vocab.GEO_PRECISIONS, "How precisely the sources place it (after UCDP GED's where_prec)."
)
ActorType = _enum(vocab.ACTOR_TYPES, "What kind of actor this is.")
Role = _enum(vocab.ROLES, "The party's role in this record.")
LegalStatus = _enum(
    vocab.LEGAL_STATUSES,
    "The person's legal status as the source gives it. People are alleged, not guilty: "
    "convicted only when a source reports a conviction.",
)
IncidentType = _enum(vocab.INCIDENT_TYPES, "The type of incident.")
Outcome = _enum(vocab.OUTCOMES, "Whether the act took place.")
TransferMode = _enum(vocab.TRANSFER_MODES, "How the items changed hands.")
DeliveryStatus = _enum(vocab.DELIVERY_STATUSES, "How far the transfer got.")
WeaponCategory = _enum(vocab.WEAPON_CATEGORIES, "The category of the item.")
RecruitmentPurpose = _enum(vocab.RECRUITMENT_PURPOSES, "What the recruits were recruited to do.")
Relation = _enum(vocab.RELATIONS, "How this record relates to the other.")
WithdrawalReason = _enum(vocab.WITHDRAWAL_REASONS, "Why the ID was withdrawn.")
RedirectReason = _enum(vocab.REDIRECT_REASONS, "Why the ID now points to another.")
RedirectRegistry = _enum(vocab.REDIRECT_REGISTRIES, "Which registry the ID belongs to.")
ArchiveStatus = _enum(vocab.ARCHIVE_STATUSES, "Whether an archived text of the source can exist.")
PlaceRole = _enum(vocab.PLACE_ROLES, "What the place is to the record.")
ProceedingStage = _enum(vocab.PROCEEDING_STAGES, "How far the proceeding got, as last reported.")
PretrialMeasure = _enum(vocab.PRETRIAL_MEASURES, "The measure of restraint before trial.")
VerdictOutcome = _enum(vocab.VERDICTS, "The court's verdict.")
SentenceKind = _enum(vocab.SENTENCE_KINDS, "The kind of penalty.")
ReleaseKind = _enum(vocab.RELEASE_KINDS, "How the person was released or relieved.")
AppealOutcome = _enum(vocab.APPEAL_OUTCOMES, "What the appeal decided.")
Translator = _enum(vocab.TRANSLATORS, "Who translated the text.")
IdentityBasis = _enum(
    vocab.IDENTITY_BASES, "Whether the source states this identity or the curators inferred it."
)
TextState = _enum(vocab.TEXT_STATES, "How much of the source's text the curators had.")
TitleBasis = _enum(vocab.TITLE_BASES, "Where the title comes from.")
PartyId = Annotated[str, StringConstraints(pattern=vocab.PARTY_ID_PATTERN)]
ProceedingId = Annotated[str, StringConstraints(pattern=vocab.PROCEEDING_ID_PATTERN)]
PartyRef = Annotated[str, StringConstraints(pattern=vocab.PARTY_REF_PATTERN)]


# --- Building blocks ------------------------------------------------------------------


class Grade(Strict):
    """A reliability grade in the Admiralty (NATO) system, stored as two separate codes."""

    source_reliability: SourceReliability
    credibility: Credibility
    rationale: Annotated[ShortText, Field(description="One line on why this grade.")]


class Translation(Strict):
    """A translation of a quote: the quote itself stays in the source's language."""

    text: Annotated[Text, Field(description="The translated text.")]
    language: Annotated[LanguageCode, Field(description="The language of the translation.")] = "en"
    by: Translator
    note: Annotated[ShortText | None, Field(description="Curator's note on the translation.")] = (
        None
    )


class Claim(Strict):
    """One attributed statement in one source: who says what, with what stance, in
    whose words, and how far it can be trusted."""

    id: Annotated[ClaimId, Field(description="The claim's ID in this record: c1, c2, ...")]
    claimant: Annotated[
        ActorId,
        Field(description="Who makes the claim: the actor ID of the person or body speaking."),
    ]
    source: Annotated[SourceId, Field(description="Where the claim was published: the source ID.")]
    via: Annotated[
        list[ActorId],
        Field(
            description="Intermediaries that relayed the claim, nearest to the claimant first "
            "(for example a news agency quoting a ministry)."
        ),
    ] = []
    stance: Stance
    responds_to: Annotated[
        ClaimRef | None,
        Field(
            description="The claim this one answers: c2 in this record, or ARR-2015-00001#c1 in another."
        ),
    ] = None
    quote: Quote
    grade: Grade
    note: Annotated[
        ShortText | None, Field(description="Curator's note on the claim (context, translation).")
    ] = None
    via_inferred: Annotated[
        bool,
        Field(
            description=(
                "True when the curators inferred the chain in via; the source does not state it (the "
                "note says why)."
            )
        ),
    ] = False
    claimant_named_as: Annotated[
        ShortText | None,
        Field(
            description=(
                "The claimant's name as this source spells it, when it differs from the actor's name "
                "('Igor Rogachev')."
            )
        ),
    ] = None
    claimant_identity: Annotated[
        IdentityBasis | None,
        Field(
            description=(
                "Whether the source names the claimant (stated) or the curators identified them "
                "(inferred; the note or the actor's notes say how). Leave out when the source names "
                "them plainly."
            )
        ),
    ] = None
    quote_language: Annotated[
        LanguageCode | None,
        Field(
            description=(
                "The language of the quote, when it is not the source's language (a source quoting a "
                "speaker in the original)."
            )
        ),
    ] = None
    translation: Annotated[
        Translation | None,
        Field(
            description="A translation of the quote, beside the quote in the source's words, saying who translated it."
        ),
    ] = None


class DateRange(Strict):
    """A date with its uncertainty: the earliest and latest possible day."""

    earliest: Annotated[IsoDate, Field(description="The earliest possible day, YYYY-MM-DD.")]
    latest: Annotated[
        IsoDate,
        Field(
            description="The latest possible day, YYYY-MM-DD; equal to earliest when the day is known."
        ),
    ]
    precision: DatePrecision
    year_inferred: Annotated[
        bool,
        Field(
            description="True when the source gives no year and the year was inferred from the publication date."
        ),
    ] = False


class EventDate(DateRange):
    """When it happened, with the claims that date it."""

    claims: ClaimRefs


class Coordinates(Strict):
    """WGS 84 coordinates in decimal degrees."""

    lat: Annotated[float, Field(ge=-90, le=90, description="Latitude, -90 to 90.")]
    lon: Annotated[float, Field(ge=-180, le=180, description="Longitude, -180 to 180.")]


class Location(Strict):
    """Where it happened. Prefer a GeoNames ID to typed coordinates."""

    country: CountryCode
    region: Annotated[
        ShortText | None,
        Field(description="First-order administrative region, as the source names it."),
    ] = None
    place: Annotated[
        ShortText | None, Field(description="City, village or site, as the source names it.")
    ] = None
    geonames_id: Annotated[
        int | None,
        Field(
            ge=1,
            description="GeoNames ID of the place, checked against the packaged GeoNames cities list.",
        ),
    ] = None
    coordinates: Coordinates | None = None
    precision: GeoPrecision
    role: Annotated[
        PlaceRole | None,
        Field(
            description=(
                "What the place is to the record: where it happened, or a transfer's or journey's "
                "origin, transit or destination, or the place of recruitment."
            )
        ),
    ] = None
    unknown: Annotated[
        bool,
        Field(
            description=(
                "True when the sources mention a place without saying where it is ('an undisclosed "
                "location in Ukraine', 'somewhere in Syria'): give the country (or region) they give "
                "and no place, GeoNames ID or coordinates."
            )
        ),
    ] = False
    as_given: Annotated[
        ShortText | None,
        Field(
            description="The place in the source's words ('an undisclosed location in Ukraine')."
        ),
    ] = None
    claims: ClaimRefs


class Count(Strict):
    """A number with its uncertainty, after UCDP GED's low / best / high."""

    low: Annotated[int | None, Field(ge=0, description="The lowest number the claims allow.")] = (
        None
    )
    best: Annotated[int | None, Field(ge=0, description="The best estimate.")] = None
    high: Annotated[int | None, Field(ge=0, description="The highest number the claims allow.")] = (
        None
    )
    claims: ClaimRefs


class Identity(Strict):
    """That a party is the same person or group as a party of another record."""

    party: Annotated[
        PartyRef, Field(description="The other party: REC-2015-00001#p2 (record and party ID).")
    ]
    basis: IdentityBasis
    note: Annotated[
        ShortText | None,
        Field(description="Why: what the sources say, or the curators' reasoning."),
    ] = None


class Party(Strict):
    """A person, group or body involved in the record, and its role. Named actors are
    referenced by ID; people a source does not name are described, never named."""

    actor: Annotated[
        ActorId | None,
        Field(description="The actor's ID; leave out for people the source does not name."),
    ] = None
    description: Annotated[
        ShortText | None,
        Field(
            description="For unnamed people: who they are, as the source describes them ('a "
            "54-year-old woman', 'three Syrians')."
        ),
    ] = None
    count: Annotated[
        int | None,
        Field(ge=1, description="How many people this entry stands for, when more than one."),
    ] = None
    nationalities: Annotated[
        list[CountryCode], Field(description="Citizenships as the source gives them.")
    ] = []
    role: Role
    legal_status: LegalStatus | None = None
    note: Annotated[ShortText | None, Field(description="Curator's note on the party.")] = None
    claims: ClaimRefs
    id: Annotated[
        PartyId | None,
        Field(
            description=(
                "The party's ID in this record (p1, p2, ...), for legal proceedings and identities "
                "that refer to it."
            )
        ),
    ] = None
    named_as: Annotated[
        ShortText | None,
        Field(
            description="The name as this record's sources spell it, when it differs from the actor's name."
        ),
    ] = None
    identity: Annotated[
        IdentityBasis | None,
        Field(
            description=(
                "For a named actor: whether the sources name this party (stated) or the curators "
                "identified them (inferred; the note says how). Leave out when the source names them "
                "plainly."
            )
        ),
    ] = None
    same_as: Annotated[
        list[Identity],
        Field(
            description=(
                "Parties of other records that are the same person or group ('the recruiter arrested "
                "in March is the man sentenced in June')."
            )
        ),
    ] = []


class Term(Strict):
    """A length of time, as the source gives it."""

    years: Annotated[int | None, Field(ge=0, description="Years.")] = None
    months: Annotated[int | None, Field(ge=0, description="Months.")] = None
    days: Annotated[int | None, Field(ge=0, description="Days.")] = None


class Charge(Strict):
    """One charge, with the article of the criminal code when the source gives it."""

    description: Annotated[ShortText, Field(description="The charge as the source gives it.")]
    code: Annotated[
        ShortText | None,
        Field(description="The law: 'Criminal Code of the Russian Federation'."),
    ] = None
    article: Annotated[
        ShortText | None,
        Field(description="The article and part, as the source gives it ('205.5 part 2')."),
    ] = None


class Verdict(Strict):
    """A court's verdict."""

    outcome: VerdictOutcome
    date: Annotated[DateRange | None, Field(description="When the verdict was given.")] = None
    court: Annotated[
        ShortText | None,
        Field(description="The court that gave it, when not the proceeding's court."),
    ] = None
    claims: ClaimRefs


class Sentence(Strict):
    """The penalty a court imposed."""

    kind: SentenceKind
    term: Annotated[Term | None, Field(description="The length of the penalty.")] = None
    maximum: Annotated[
        Term | None,
        Field(description="The maximum the law or the charge allowed, when the source gives it."),
    ] = None
    note: Annotated[ShortText | None, Field(description="Curator's note on the sentence.")] = None
    claims: ClaimRefs


class Release(Strict):
    """A release from custody or relief from the penalty."""

    kind: ReleaseKind
    date: Annotated[DateRange | None, Field(description="When.")] = None
    claims: ClaimRefs


class Proceeding(Strict):
    """The legal proceeding against one named party in one jurisdiction: charges, court,
    verdict, sentence, release. An arrest without a trial needs none."""

    id: Annotated[
        ProceedingId, Field(description="The proceeding's ID in this record: pr1, pr2, ...")
    ]
    party: Annotated[
        ActorId,
        Field(description="The named actor the proceeding is against; a party of this record."),
    ]
    jurisdiction: Annotated[
        CountryCode | None, Field(description="The state whose courts or authorities act.")
    ] = None
    court: Annotated[ShortText | None, Field(description="The court, as the source names it.")] = (
        None
    )
    stage: ProceedingStage
    measure: Annotated[
        PretrialMeasure | None, Field(description="The measure of restraint before trial.")
    ] = None
    charges: Annotated[
        list[Charge], Field(description="The charges, as the source gives them.")
    ] = []
    verdict: Verdict | None = None
    sentence: Sentence | None = None
    release: Release | None = None
    note: Annotated[ShortText | None, Field(description="Curator's note on the proceeding.")] = None
    claims: Annotated[
        ClaimRefs,
        Field(
            description="The claims that support the proceeding, its charges, stage and measure."
        ),
    ]


class Appeal(Strict):
    """An appeal against a verdict or a sentence in a proceeding of this record."""

    proceeding: Annotated[ProceedingId, Field(description="The proceeding appealed (pr1, ...).")]
    by: Annotated[ActorId | None, Field(description="Who appealed, when the source says.")] = None
    court: Annotated[ShortText | None, Field(description="The appeal court.")] = None
    outcome: AppealOutcome
    date: Annotated[DateRange | None, Field(description="When the appeal was decided.")] = None
    claims: ClaimRefs


class Link(Strict):
    """A link to another record."""

    record: Annotated[RecordId, Field(description="The other record's ID.")]
    relation: Relation


# --- Records --------------------------------------------------------------------------


class RecordBase(Strict):
    """Fields that every record has."""

    id: Annotated[RecordId, Field(description="The record's stable ID; equals the file name.")]
    title: Annotated[
        ShortText, Field(description="A short neutral label for the record (not a claim).")
    ]
    summary: Annotated[
        Text,
        Field(
            description="A neutral summary in attributed language ('X said ...; Y denied "
            "it'); it may state nothing that the claims do not support."
        ),
    ]
    status: Status
    date: EventDate
    locations: Annotated[list[Location], Field(min_length=1)]
    parties: list[Party] = []
    claims: Annotated[
        list[Claim],
        Field(
            min_length=1,
            description="Every claim the record rests on, including denials and doubts.",
        ),
    ]
    related: list[Link] = []
    notes: Annotated[
        Text | None, Field(description="Curator's notes: caveats, what is left out and why.")
    ] = None
    proceedings: Annotated[
        list[Proceeding],
        Field(
            description="Legal proceedings the sources report against named parties of this record."
        ),
    ] = []
    appeals: Annotated[
        list[Appeal], Field(description="Appeals in this record's proceedings.")
    ] = []

    @property
    def kind(self) -> str:
        """The record's kind: incident, arrest, weapons_transfer or recruitment."""
        return vocab.KIND_BY_PREFIX[self.id[:3]].name


class IncidentDetails(Strict):
    """What kind of incident, and whether it happened."""

    type: IncidentType
    outcome: Outcome
    claims: ClaimRefs


class Incident(RecordBase):
    """An incident: an attack, raid, clash, foiled plot, evacuation or transfer of fighters."""

    id: _kind_id("incident")
    incident: IncidentDetails
    fatalities: Count | None = None
    injured: Count | None = None
    captured: Annotated[
        Count | None, Field(description="People taken alive during the incident.")
    ] = None


class ArrestDetails(Strict):
    """What the detainees are suspected of or charged with."""

    suspicion: Annotated[
        ShortText, Field(description="The suspicion or charge, as the source gives it.")
    ]
    claims: ClaimRefs


class Arrest(RecordBase):
    """An arrest of one or more people, or an aggregate of arrests over a period."""

    id: _kind_id("arrest")
    arrest: ArrestDetails
    detained: Annotated[Count | None, Field(description="How many people were detained.")] = None
    at_large: Annotated[Count | None, Field(description="How many suspects remained at large.")] = (
        None
    )


class WeaponItem(Strict):
    """One kind of item in a transfer (after SIPRI's designation and quantity)."""

    category: WeaponCategory
    designation: Annotated[
        ShortText | None,
        Field(description="Model or calibre as the source gives it ('FN-6', '7.62mm')."),
    ] = None
    description: Annotated[
        ShortText | None, Field(description="What the source says the item is.")
    ] = None
    quantity: Count | None = None
    manufacture_country: Annotated[
        CountryCode | None, Field(description="Country of manufacture.")
    ] = None
    claims: ClaimRefs


class TransferDetails(Strict):
    """How a transfer happened."""

    mode: TransferMode
    delivery: DeliveryStatus
    route: Annotated[
        list[CountryCode],
        Field(
            description="Countries the items passed through, in order, from origin to destination."
        ),
    ] = []
    claims: ClaimRefs


class WeaponsTransfer(RecordBase):
    """A transfer of weapons or military equipment, reported or alleged."""

    id: _kind_id("weapons_transfer")
    transfer: TransferDetails
    items: Annotated[list[WeaponItem], Field(min_length=1)]


class RecruitmentDetails(Strict):
    """What the recruits were recruited for and with what incentive."""

    purposes: Annotated[list[RecruitmentPurpose], Field(min_length=1)]
    incentive: Annotated[
        ShortText | None,
        Field(
            description="What the recruits were offered or threatened with, as the source gives it."
        ),
    ] = None
    claims: ClaimRefs


class Recruitment(RecordBase):
    """A recruitment case: one recruit or many."""

    id: _kind_id("recruitment")
    recruitment: RecruitmentDetails
    recruits: Annotated[Count | None, Field(description="How many people were recruited.")] = None


# --- Registries -----------------------------------------------------------------------


class Actor(Strict):
    """A person, body or group that takes part in records or makes claims."""

    id: Annotated[Slug, Field(description="A stable lower-case slug; equals the file name.")]
    name: Annotated[
        ShortText,
        Field(
            description="The name most sources use; for an anonymous actor, a description "
            "('Senior SBU official, unnamed')."
        ),
    ]
    type: ActorType
    anonymous: Annotated[
        bool, Field(description="True for a person or body the sources do not name.")
    ] = False
    aliases: Annotated[
        list[ShortText], Field(description="Other spellings and names the sources use.")
    ] = []
    description: Annotated[
        ShortText | None, Field(description="Who the actor is, in one line.")
    ] = None
    country: Annotated[
        CountryCode | None,
        Field(description="The state a state body belongs to, or an organisation's base."),
    ] = None
    nationalities: Annotated[list[CountryCode], Field(description="A person's citizenships.")] = []
    parent: Annotated[
        ActorId | None,
        Field(description="The body this actor belongs to (an official's ministry)."),
    ] = None
    wikidata: Annotated[
        str | None,
        StringConstraints(pattern=r"^Q[1-9][0-9]*$"),
        Field(description="Wikidata item, for named public actors only."),
    ] = None
    notes: Annotated[
        Text | None,
        Field(description="Curator's notes: why an alias is kept, how the actor was identified."),
    ] = None


class SourceArchive(Strict):
    """Why no archived copy of the source's text can exist, so that its quotes cannot be
    checked word for word (for example a broadcast never published as text)."""

    status: ArchiveStatus
    reason: Annotated[ShortText, Field(description="Why no copy of the text can be archived.")]


class SourceTranslation(Strict):
    """What a translated source is a translation of."""

    language: Annotated[LanguageCode, Field(description="The language of the original.")]
    by: Translator
    original_title: Annotated[ShortText | None, Field(description="The original's title.")] = None
    original_url: Annotated[Url | None, Field(description="Where the original is.")] = None
    original_publisher: Annotated[
        ShortText | None, Field(description="Who published the original.")
    ] = None


class Source(Strict):
    """A published article, statement or report that claims are quoted from."""

    id: Annotated[Slug, Field(description="A stable lower-case slug; equals the file name.")]
    publisher: Annotated[ShortText, Field(description="Who published it.")]
    publisher_actor: Annotated[
        ActorId | None, Field(description="The publisher's actor ID, when it also makes claims.")
    ] = None
    title: ShortText
    authors: list[ShortText] = []
    published: Annotated[DateRange, Field(description="When it was published, with precision.")]
    url: Url | None = None
    language: LanguageCode
    machine_translated: Annotated[
        bool, Field(description="True when the text quoted is a machine translation.")
    ] = False
    accessed: Annotated[IsoDate, Field(description="When the curators read it, YYYY-MM-DD.")]
    notes: Text | None = None
    archive: Annotated[
        SourceArchive | None,
        Field(
            description="Leave out when the source's text is archived (the quotes are then "
            "checked against it); set only when no copy can exist, saying why."
        ),
    ] = None
    translation: Annotated[
        SourceTranslation | None,
        Field(description="When the text is a translation: of what, and by whom."),
    ] = None
    text_state: Annotated[
        TextState | None, Field(description="How much of the text the curators had.")
    ] = None
    title_basis: Annotated[TitleBasis | None, Field(description="Where the title comes from.")] = (
        None
    )
    archive_url: Annotated[Url | None, Field(description="An archived copy the curators read.")] = (
        None
    )


class Withdrawal(Strict):
    """A withdrawn record ID: the tombstone that keeps a published ID from vanishing."""

    id: RecordId
    reason: WithdrawalReason
    replaced_by: Annotated[
        RecordId | None, Field(description="The record that replaces it, for duplicate and merged.")
    ] = None
    withdrawn: Annotated[IsoDate, Field(description="When it was withdrawn, YYYY-MM-DD.")]
    note: ShortText | None = None


class Redirect(Strict):
    """A renamed or merged actor or source: its old ID, kept so it never vanishes, and
    the ID that replaces it."""

    registry: RedirectRegistry
    id: Annotated[Slug, Field(description="The old ID; no file has it any more.")]
    replaced_by: Annotated[Slug, Field(description="The ID to use instead (an existing entry).")]
    reason: RedirectReason
    moved: Annotated[IsoDate, Field(description="When the ID was redirected, YYYY-MM-DD.")]
    note: ShortText | None = None


#: Model of each record kind, by kind name.
RECORD_MODELS: dict[str, type[RecordBase]] = {
    "incident": Incident,
    "arrest": Arrest,
    "weapons_transfer": WeaponsTransfer,
    "recruitment": Recruitment,
}
#: Model of each registry, by registry name.
REGISTRY_MODELS: dict[str, type[Strict]] = {"actor": Actor, "source": Source}
