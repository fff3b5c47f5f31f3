"""Reading the conditions of :meth:`Dataset.filter <conflictdata.loader.dataset.Dataset.filter>`
and record-ID look-ups, so that a wrong value says what is wrong instead of matching
nothing.

Every value is checked against what the release can hold:

- ``kind``: a kind name (``arrest``); any case;
- ``status``: a status (``disputed``); any case;
- ``country``: an ISO 3166-1 code (alpha-2 or alpha-3, any case) or a country's name
  as pycountry gives it (``Kyrgyzstan``, ``Kyrgyz Republic``);
- ``actor``: an actor's ID, name or any alias, any case;
- ``start`` / ``end``: a :class:`datetime.date` or ``YYYY``, ``YYYY-MM`` or
  ``YYYY-MM-DD``; a year or month starts on its first day and ends on its last.

A value that is not allowed raises :class:`FilterError` (a ``ValueError``) naming the
allowed values, or the nearest ones when there are many.
"""

from __future__ import annotations

import calendar
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime

from conflictdata.core import vocab

KINDS = tuple(k.name for k in vocab.KINDS)
STATUSES = tuple(vocab.STATUSES)


class FilterError(ValueError):
    """A filter value the release cannot match, with what would have been allowed."""


def _fold(text: str) -> str:
    """Lower case without accents, for comparing names (Türkiye ~ turkiye)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def _values(value) -> list:
    if isinstance(value, (str, date)):
        return [value]
    try:
        return list(value)
    except TypeError:
        return [value]


def _near(value: str, choices: Iterable[str], n: int = 3) -> list[str]:
    choices = list(choices)
    folded = {}
    for c in choices:
        folded.setdefault(_fold(c), c)
    # a name that begins with the value first (Russia: Russian Federation), then the
    # closest spellings
    prefix = [c for f, c in folded.items() if f.startswith(_fold(value))]
    found = difflib.get_close_matches(_fold(value), list(folded), n=n, cutoff=0.6)
    return list(dict.fromkeys(prefix + [folded[f] for f in found]))[:n]


def _unknown(what: str, plural: str, value, allowed: list[str], near: list[str]) -> FilterError:
    hint = f" (did you mean {' or '.join(repr(n) for n in near)}?)" if near else ""
    return FilterError(f"no {what} {value!r}{hint}; the {plural} are {', '.join(allowed)}")


def _choice(what: str, plural: str, value, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise FilterError(f"{what} must be text, not {type(value).__name__}: {value!r}")
    folded = value.strip().casefold()
    for a in allowed:
        if a.casefold() == folded:
            return a
    raise _unknown(what, plural, value, list(allowed), _near(value, allowed))


def kinds(value) -> set[str]:
    """The kind names of a ``kind`` condition (one kind or several)."""
    return {_choice("kind", "kinds", v, KINDS) for v in _values(value)}


def statuses(value) -> set[str]:
    """The statuses of a ``status`` condition (one status or several)."""
    return {_choice("status", "statuses", v, STATUSES) for v in _values(value)}


def _country_names() -> dict[str, str]:
    """Every way pycountry names a country (codes, names, official and common names),
    folded -> alpha-2 code."""
    import pycountry

    out: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            text = getattr(c, attr, None)
            if text:
                out.setdefault(_fold(text), c.alpha_2)
    return out


def country(value) -> str:
    """The ISO 3166-1 alpha-2 code of a country given as a code (any case) or a name."""
    if not isinstance(value, str) or not value.strip():
        raise FilterError(f"country must be a country code or name, not {value!r}")
    names = _country_names()
    code = names.get(_fold(value))
    if code is not None:
        return code
    import pycountry

    labels = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            text = getattr(c, attr, None)
            if text:
                labels[text] = c.alpha_2
    near = [f"{labels[n]} ({n})" for n in _near(value, labels)]
    raise FilterError(
        f"no country {value!r}"
        + (f" (did you mean {' or '.join(near)}?)" if near else "")
        + "; give an ISO 3166-1 code in any case (KG, kgz) or a name as ISO 3166 writes it "
        "(Kyrgyzstan)"
    )


def countries(value) -> set[str]:
    """The alpha-2 codes of a ``country`` condition (one country or several)."""
    return {country(v) for v in _values(value)}


class ActorIndex:
    """Actors by every name they go by: ID, name and aliases, compared without case."""

    def __init__(self, actors: Iterable[dict]):
        self._by_name: dict[str, set[str]] = {}
        self._labels: dict[str, str] = {}
        for a in actors:
            for text in [a["id"], a["name"], *a.get("aliases", ())]:
                self._by_name.setdefault(_fold(text), set()).add(a["id"])
                self._labels.setdefault(text, a["id"])

    def ids(self, value) -> set[str]:
        """The IDs of the actors called ``value``."""
        if not isinstance(value, str) or not value.strip():
            raise FilterError(f"actor must be an actor's ID, name or alias, not {value!r}")
        found = self._by_name.get(_fold(value))
        if found:
            return set(found)
        near = [
            n if n == self._labels[n] else f"{n} ({self._labels[n]})"
            for n in _near(value, self._labels)
        ]
        raise FilterError(
            f"no actor {value!r}"
            + (f" (did you mean {' or '.join(near)}?)" if near else "")
            + "; give an actor's ID, name or one of its aliases (see Dataset.actors)"
        )


_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?")


def date_bound(value, *, end: bool, what: str) -> date:
    """A ``start`` (first day) or ``end`` (last day) of a date, a year or a month."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if m is None:
        raise FilterError(
            f"{what} {value!r} is not a date: give 2015, 2015-07 or 2015-07-16 (or a datetime.date)"
        )
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if m[3] is not None and m[2] is None:
        raise FilterError(f"{what} {value!r} is not a date")  # pragma: no cover - regex
    try:
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, last if end else 1)
        return date(year, month, day)
    except ValueError:
        raise FilterError(f"{what} {value!r} is not a day in the calendar") from None


def predicate(
    actors: Iterable[dict],
    *,
    kind=None,
    country=None,
    start=None,
    end=None,
    actor=None,
    status=None,
) -> Callable[[dict], bool]:
    """A test of one record (JSON data) for every given condition; every value is
    checked first (see the module docstring)."""
    kind_set = kinds(kind) if kind is not None else None
    status_set = statuses(status) if status is not None else None
    country_set = countries(country) if country is not None else None
    actor_set: set[str] | None = None
    if actor is not None:
        index = ActorIndex(actors)
        actor_set = set().union(*(index.ids(a) for a in _values(actor)))
    start_s = date_bound(start, end=False, what="start").isoformat() if start is not None else None
    end_s = date_bound(end, end=True, what="end").isoformat() if end is not None else None
    if start_s and end_s and start_s > end_s:
        raise FilterError(f"start {start!r} is after end {end!r}")
    prefixes = {vocab.KIND_BY_NAME[k].prefix for k in kind_set} if kind_set else None

    def test(raw: dict) -> bool:
        if prefixes is not None and raw["id"][:3] not in prefixes:
            return False
        if status_set is not None and raw["status"] not in status_set:
            return False
        if country_set is not None and not any(
            loc["country"] in country_set for loc in raw["locations"]
        ):
            return False
        # ISO dates compare as strings
        if start_s is not None and raw["date"]["latest"] < start_s:
            return False
        if end_s is not None and raw["date"]["earliest"] > end_s:
            return False
        return actor_set is None or involves(raw, actor_set)

    return test


def involves(raw: dict, actor_ids: set[str]) -> bool:
    """Whether one of the actors is a party to the record, or a claimant or intermediary
    of one of its claims."""
    if any(p.get("actor") in actor_ids for p in raw.get("parties", ())):
        return True
    return any(
        c["claimant"] in actor_ids or not actor_ids.isdisjoint(c.get("via", ()))
        for c in raw["claims"]
    )


def record_id(value) -> str:
    """A record ID as written in the release (upper case): IDs are looked up in any case."""
    return value.strip().upper() if isinstance(value, str) else value


def near_ids(value, ids: Iterable[str]) -> list[str]:
    """Up to three IDs close to ``value``."""
    return difflib.get_close_matches(str(record_id(value)), list(ids), n=3, cutoff=0.6)


class Listing:
    """A read-only view of something the dataset holds (its claims, its table names):
    iterate over it, take its length or index it. Calling it, as the methods of earlier
    versions were called, still works and warns that the call is deprecated."""

    def __init__(self, name: str, make: Callable[[], Iterator]):
        self._name, self._make, self._items = name, make, None

    def _all(self) -> list:
        if self._items is None:
            self._items = list(self._make())
        return self._items

    def __iter__(self) -> Iterator:
        return iter(self._items) if self._items is not None else self._make()

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, i):
        return self._all()[i]

    def __eq__(self, other) -> bool:
        return (
            list(self) == list(other)
            if isinstance(other, (list, tuple, Listing))
            else NotImplemented
        )

    def __repr__(self) -> str:
        return f"<{self._name}: {len(self)}>"

    def __call__(self):
        import warnings

        warnings.warn(
            f"ds.{self._name}() is deprecated: ds.{self._name} is a property; "
            f"use it without the parentheses",
            DeprecationWarning,
            stacklevel=2,
        )
        return list(self)
