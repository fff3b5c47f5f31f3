"""Controlled vocabularies and identifiers: the one place that says what a code means.

Every enumeration here feeds the pydantic models (as ``Literal`` types), the published
JSON Schema (as ``enum`` with descriptions) and the codebook. To add a value, add it
here with its meaning; nothing else needs editing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Kind:
    """One record kind: its name, ID prefix and folder under ``records/``."""

    name: str
    prefix: str
    folder: str
    title: str
    description: str

    @property
    def id_pattern(self) -> str:
        """The pattern of this kind's record IDs: ``^ARR-[0-9]{4}-[0-9]{5}$``."""
        return f"^{self.prefix}{_ID_TAIL}$"


KINDS: tuple[Kind, ...] = (
    Kind(
        "incident",
        "INC",
        "incidents",
        "Incident",
        "A violent or security event: an attack, a raid, an armed clash, a foiled plot, "
        "an evacuation or transfer of fighters.",
    ),
    Kind(
        "arrest",
        "ARR",
        "arrests",
        "Arrest",
        "The detention of one or more people by an authority, including aggregate "
        "reports of arrests over a period.",
    ),
    Kind(
        "weapons_transfer",
        "WTR",
        "weapons-transfers",
        "Weapons transfer",
        "A sale, donation, diversion, capture or smuggling of weapons, ammunition or "
        "military equipment, whether reported as fact or only alleged.",
    ),
    Kind(
        "recruitment",
        "REC",
        "recruitment",
        "Recruitment case",
        "The recruitment of one or more people to fight for, work for, infiltrate or "
        "gather intelligence for an organisation or a state body.",
    ),
)
#: The middle of a placeholder ID (``ARR-NEW-3f9a2c1b``): a record in a pull request,
#: waiting for ``conflictdata assign-ids`` to give it a real ID on main.
PENDING = "NEW"
#: What follows the prefix in a record ID: a year and a five-digit serial number, or
#: for a placeholder ``NEW`` and eight lower-case hexadecimal digits.
_ID_TAIL = f"-(?:[0-9]{{4}}-[0-9]{{5}}|{PENDING}-[0-9a-f]{{8}})"
KIND_BY_NAME = {k.name: k for k in KINDS}
KIND_BY_PREFIX = {k.prefix: k for k in KINDS}
KIND_BY_FOLDER = {k.folder: k for k in KINDS}

#: ``INC-2015-00001``: prefix, the year of ``date.latest`` when the ID was assigned, a
#: serial number (or a placeholder ``INC-NEW-3f9a2c1b`` until then).
_ANY_RECORD_ID = "(?:" + "|".join(k.prefix for k in KINDS) + ")" + _ID_TAIL
RECORD_ID_PATTERN = f"^{_ANY_RECORD_ID}$"
#: Actor and source IDs are lower-case ASCII slugs.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: A claim inside its record: ``c1``, ``c2``...
CLAIM_ID_PATTERN = r"^c[1-9][0-9]*$"
#: A claim reference: ``c2`` in the same record, or ``ARR-2015-00001#c2`` in another.
CLAIM_REF_PATTERN = f"^(?:{_ANY_RECORD_ID}#)?c[1-9][0-9]*$"
# --- Enumerations: value -> meaning --------------------------------------------------

STANCES = {
    "asserts": "States the content as fact or as its own finding.",
    "confirms": "Confirms a claim made by someone else (names it in responds_to where "
    "it is in the dataset).",
    "denies": "Says the content is false, typically a party to the events.",
    "disputes": "Gives a different account of some part of the content (another date, "
    "another perpetrator, another cause).",
    "doubts": "Questions the content without offering a competing account, typically "
    "an outside expert.",
    "retracts": "Withdraws a claim the same claimant made earlier.",
}
#: Stances that can support a value in a record.
SUPPORTING_STANCES = frozenset({"asserts", "confirms"})
#: Stances that challenge a claim.
CHALLENGING_STANCES = frozenset({"denies", "disputes", "doubts"})

STATUSES = {
    "reported": "Asserted by one claimant (or one chain of reporting) and not "
    "challenged in the sources.",
    "corroborated": "Asserted or confirmed by at least two independent claimants and "
    "challenged by none.",
    "disputed": "At least one claim disputes, doubts or denies it.",
    "denied": "At least one claim denies it outright, typically a party to it.",
    "retracted": "The original claimant has withdrawn the claim.",
    "unverifiable": "The curators judge that the sources do not allow a verdict; any "
    "mix of claims.",
}

SOURCE_RELIABILITY = {
    "A": "Completely reliable: no doubt of authenticity, trustworthiness or competency; "
    "a history of complete reliability.",
    "B": "Usually reliable: minor doubt; a history of valid information most of the time.",
    "C": "Fairly reliable: doubt; has provided valid information in the past.",
    "D": "Not usually reliable: significant doubt; has provided valid information in the past.",
    "E": "Unreliable: lacking in authenticity, trustworthiness and competency; a "
    "history of invalid information.",
    "F": "Reliability cannot be judged: no basis exists for evaluating the source.",
}
CREDIBILITY = {
    1: "Confirmed by other sources: logical in itself and consistent with other "
    "information on the subject.",
    2: "Probably true: not confirmed; logical in itself and consistent with other "
    "information on the subject.",
    3: "Possibly true: not confirmed; reasonably logical in itself; agrees with some "
    "other information on the subject.",
    4: "Doubtful: not confirmed; possible but not logical; no other information on the subject.",
    5: "Improbable: not confirmed; not logical in itself; contradicted by other "
    "information on the subject.",
    6: "Truth cannot be judged: no basis exists for evaluating the validity of the information.",
}

DATE_PRECISIONS = {
    "day": "The day is known (a range of days when the source gives several).",
    "week": "Known to within a week (for example 'last week').",
    "month": "Known to within a month.",
    "season": "Known to within a season or a quarter ('in the spring').",
    "year": "Only the year is known.",
    "range": "Only a wider range is known; earliest and latest bound it.",
}

GEO_PRECISIONS = {
    "exact": "The exact place, such as a building or a village (UCDP where_prec 1).",
    "near": "Within about 25 km of the named place (UCDP where_prec 2).",
    "admin2": "A second-order administrative division such as a district (UCDP where_prec 3).",
    "admin1": "A first-order administrative division such as a province or region "
    "(UCDP where_prec 4).",
    "ambiguous": "Somewhere along a line or between places, such as a route or a border "
    "(UCDP where_prec 5).",
    "country": "Only the country is known (UCDP where_prec 6).",
    "international": "International waters or airspace (UCDP where_prec 7).",
}

ACTOR_TYPES = {
    "person": "A natural person, named or (with anonymous: true) unnamed.",
    "state_body": "A ministry, security service, police force, army or other organ of a state.",
    "government": "A state or its government as a whole.",
    "armed_group": "A non-state armed group or terrorist organisation.",
    "criminal_group": "An organised crime group.",
    "organisation": "A company, think tank, research institute, NGO or party.",
    "media_outlet": "A news agency, newspaper, broadcaster or website.",
    "international_organisation": "A body of states, such as the UN Security Council.",
}

ROLES = {
    "perpetrator": "Carried out or planned the act (alleged unless legal_status says convicted).",
    "target": "The intended target of an attack or plot.",
    "victim": "Harmed by the act.",
    "authority": "The state body that acted: arrested, raided, prosecuted.",
    "detainee": "Arrested or detained.",
    "suspect": "Suspected of involvement but not (or not yet) detained.",
    "supplier": "Supplied weapons, money or other support.",
    "intermediary": "Brokered, transported or otherwise passed on a transfer.",
    "recipient": "Received weapons, money or other support.",
    "recruiter": "Recruited others (a person or an organisation).",
    "recruit": "Was recruited.",
    "recruited_for": "The organisation or body that recruits were recruited to serve.",
    "leader": "Led the group or cell involved.",
    "member": "Belonged to the group or cell involved.",
    "other": "Another role, explained in the party's note.",
}
#: Roles that accuse a party of something: a person in one of them needs a legal status.
ACCUSED_ROLES = frozenset(
    {
        "perpetrator",
        "detainee",
        "suspect",
        "supplier",
        "intermediary",
        "recipient",
        "recruiter",
        "leader",
        "member",
    }
)

LEGAL_STATUSES = {
    "suspected": "Named as a suspect; not known to be detained or charged.",
    "detained": "Arrested or held, not known to be charged.",
    "charged": "Formally charged or indicted.",
    "convicted": "Convicted by a court, according to the source.",
    "acquitted": "Acquitted by a court.",
    "released": "Released without conviction.",
    "at_large": "Sought but not found.",
    "deceased": "Dead, for example killed during the operation.",
    "not_accused": "Not accused of any offence (for example a recruit who was a victim).",
    "unknown": "The source does not say.",
}

INCIDENT_TYPES = {
    "attack": "An attack on people or property (shooting, stabbing, arson).",
    "bombing": "An explosive attack, including suicide bombings.",
    "armed_clash": "An exchange of fire between armed parties.",
    "raid": "A security-force operation against suspects, such as a storming or a search.",
    "foiled_plot": "A plot stopped before it was carried out.",
    "evacuation": "The removal of fighters or civilians from an area by agreement.",
    "transfer_of_fighters": "Fighters moved across borders, for example to or from a "
    "conflict zone.",
    "financing": "Raising or moving money for an organisation.",
    "other": "Another kind of incident, explained in the summary.",
}
OUTCOMES = {
    "carried_out": "The act took place.",
    "attempted": "The act was attempted and failed.",
    "foiled": "The act was stopped before it was carried out.",
    "planned": "Planning is alleged; nothing says whether it went further.",
    "unknown": "The sources do not say.",
}

TRANSFER_MODES = {
    "sale": "Sold for money.",
    "donation": "Given without payment, for example by a state to a proxy.",
    "diversion": "Moved from its authorised end user to another.",
    "capture": "Taken from its holder by force.",
    "smuggling": "Moved across borders illegally.",
    "theft": "Stolen from a stockpile.",
    "unknown": "The sources do not say.",
}
DELIVERY_STATUSES = {
    "delivered": "The items reached the recipient, according to the claims.",
    "in_transit": "The items were on their way when reported.",
    "intercepted": "The items were seized before delivery.",
    "ordered": "Only an order or a deal is alleged.",
    "unknown": "The sources do not say.",
}
WEAPON_CATEGORIES = {
    "small_arms": "Pistols, rifles, carbines and sub-machine guns.",
    "light_weapons": "Machine guns, grenade launchers, mortars under 100 mm.",
    "manpads": "Man-portable air-defence systems (shoulder-fired missiles).",
    "atgm": "Anti-tank guided missiles.",
    "ammunition": "Ammunition for any weapon.",
    "explosives": "Explosives and improvised explosive devices.",
    "heavy_weapons": "Artillery, armoured vehicles, aircraft.",
    "communications": "Telecommunications and other military equipment.",
    "unspecified": "Weapons the source does not specify.",
}

RECRUITMENT_PURPOSES = {
    "fighting": "To fight for the organisation.",
    "infiltration": "To infiltrate another organisation, state or community.",
    "intelligence": "To gather intelligence.",
    "logistics": "To provide logistics, transport or documents.",
    "financing": "To raise or move money.",
    "propaganda": "To produce or spread propaganda.",
    "recruiting": "To recruit others.",
    "unknown": "The sources do not say.",
}

RELATIONS = {
    "related": "Connected in the reporting, without a more specific relation.",
    "part_of": "This record is one part of the other (a raid within an operation).",
    "has_part": "The other record is one part of this one.",
    "alleges": "This record's claims allege the other record (an arrest whose "
    "announcement alleged a weapons transfer).",
    "alleged_in": "The other record's claims allege this one.",
    "precedes": "This record happened before the other and led to it.",
    "follows": "This record followed from the other.",
}
#: Each relation's counterpart: if A says ``part_of`` B, B says ``has_part`` A.
INVERSE_RELATIONS = {
    "related": "related",
    "part_of": "has_part",
    "has_part": "part_of",
    "alleges": "alleged_in",
    "alleged_in": "alleges",
    "precedes": "follows",
    "follows": "precedes",
}

# --- Schema 1.1: courts, places, languages, identities, the state of a source ---------

#: A legal proceeding's party, proceeding and appeal IDs inside a record.
PARTY_ID_PATTERN = r"^p[1-9][0-9]*$"
PROCEEDING_ID_PATTERN = r"^pr[1-9][0-9]*$"
#: A party of another record (or of this one): ``INC-2015-00005#p2``.
PARTY_REF_PATTERN = r"^(?:(?:INC|ARR|WTR|REC)-[0-9]{4}-[0-9]{5}#)?p[1-9][0-9]*$"

PLACE_ROLES = {
    "event": "Where the event itself took place (a raid, an arrest, an attack).",
    "origin": "Where a transfer or a journey started.",
    "transit": "A place a transfer or a journey passed through.",
    "destination": "Where a transfer or a journey ended or was headed.",
    "recruitment": "Where the recruitment took place.",
}

PROCEEDING_STAGES = {
    "investigation": "Under investigation or held before any charge.",
    "charged": "Charged or indicted; no verdict reported.",
    "trial": "On trial; no verdict reported.",
    "verdict": "A verdict was given (see verdict).",
    "appeal": "The verdict is under appeal.",
    "closed": "Closed: sentence served or remitted, case dropped, verdict final.",
    "unknown": "The sources do not say.",
}
PRETRIAL_MEASURES = {
    "detention": "Held in custody before trial.",
    "house_arrest": "Held under house arrest.",
    "bail": "Released on bail or on a written undertaking.",
    "travel_ban": "Forbidden to leave the country or a place.",
    "none": "No measure, according to the source.",
}
VERDICTS = {
    "convicted": "Found guilty by a court, according to the source.",
    "acquitted": "Found not guilty.",
    "dismissed": "The case was dismissed or dropped without a verdict on guilt.",
    "unknown": "A verdict is reported but the sources do not say which.",
}
SENTENCE_KINDS = {
    "imprisonment": "A prison term (a colony, a prison, a jail).",
    "suspended": "A suspended prison term or probation.",
    "fine": "A fine.",
    "compulsory_labour": "Compulsory or correctional labour.",
    "deportation": "Expulsion from the country.",
    "death": "A death sentence.",
    "other": "Another penalty, explained in the note.",
}
RELEASE_KINDS = {
    "served": "Released after serving the sentence.",
    "early_release": "Released early (parole, good conduct).",
    "relief_from_penalty": "Relieved from the penalty by the court or by law (for "
    "example for cooperating or for voluntary surrender).",
    "amnesty": "Released under an amnesty.",
    "pardon": "Pardoned.",
    "exchange": "Released in a prisoner exchange or in exchange for a service.",
    "bail": "Released pending trial.",
    "acquittal": "Released on acquittal.",
    "other": "Another kind of release, explained in the note.",
}
APPEAL_OUTCOMES = {
    "pending": "Not yet decided.",
    "upheld": "The verdict or sentence was upheld.",
    "overturned": "The verdict was overturned.",
    "reduced": "The sentence was reduced.",
    "increased": "The sentence was increased.",
    "unknown": "The sources do not say.",
}

TRANSLATORS = {
    "outlet": "The publisher of the source (or the outlet quoting the speaker) translated it.",
    "curator": "A curator of this dataset translated it.",
    "machine": "Machine translation.",
    "unknown": "The text is a translation, but the sources do not say by whom.",
}

IDENTITY_BASES = {
    "stated": "The source states it (names the person, or says the two are the same).",
    "inferred": "The curators inferred it (from the context, another report or a "
    "different spelling); the note says why.",
}

TEXT_STATES = {
    "complete": "The curators read the whole text.",
    "partial": "Only part of the text was available (a truncated archive copy, a "
    "paywall, a damaged page); the notes say which part.",
}
TITLE_BASES = {
    "published": "The title as the source published it.",
    "translated": "A translation of the published title (see translation).",
    "reconstructed": "Reconstructed by the curators, from the URL or the text; the "
    "published title is unknown.",
}

WITHDRAWAL_REASONS = {
    "duplicate": "The record duplicated another; replaced_by names it.",
    "merged": "The record was merged into another; replaced_by names it.",
    "out_of_scope": "The case is outside the dataset's scope.",
    "retracted": "The sources behind it were retracted or shown to be fabricated.",
    "privacy": "Removed to protect a private individual.",
}

#: Why an actor or source ID now redirects to another (records/redirects.yaml).
REDIRECT_REASONS = {
    "renamed": "The entry got a new ID (a corrected name or spelling); replaced_by is the new ID.",
    "merged": "The entry was the same actor or source as another; replaced_by is the one kept.",
}

#: The registries whose IDs can be redirected: registry -> what it holds.
REDIRECT_REGISTRIES = {
    "actor": "An actor in records/actors/.",
    "source": "A source in records/sources/.",
}

ARCHIVE_STATUSES = {
    "unavailable": "No copy of the source's text can be archived (reason says why), so its "
    "quotes cannot be checked word for word; they are published as not verified.",
}


def literal(values) -> object:
    """A ``Literal`` type of the given values, for the models."""
    return Literal[tuple(values)]  # type: ignore[valid-type]


def described_enum(vocabulary: dict) -> dict:
    """JSON Schema extras that describe each value of an enumeration."""
    return {"x-enum-descriptions": {str(k): v for k, v in vocabulary.items()}}
