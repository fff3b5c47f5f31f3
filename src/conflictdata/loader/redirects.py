"""Old actor and source IDs in a loaded release: renamed or merged entries resolve to
the entry that replaces them, and say so.

A release lists every redirect (``records/redirects.yaml``) in ``data/records.json``.
``Dataset.actors`` and ``Dataset.sources`` are :class:`Registry` mappings: looking up
an old ID returns the current entry and emits a :class:`MovedIdWarning` naming the new
ID, so code written against an earlier release keeps working and learns what to change::

    >>> ds = conflictdata.load()
    >>> ds.actors["igor-rogachev"]          # MovedIdWarning: actor 'igor-rogachev' was renamed to ...
    >>> ds.resolve("actor", "igor-rogachev")
    Resolved(id='ilya-rogachev', moved_from='igor-rogachev', reason='renamed', ...)

Iterating a registry, ``len`` and ``in`` see current IDs only; :meth:`Registry.moved`
lists the old ones.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import NamedTuple


class MovedIdWarning(UserWarning):
    """An old actor or source ID was used; the message names the ID that replaces it."""


class Resolved(NamedTuple):
    """Where an ID leads: the current ID, and the old one with why and when it moved
    (``moved_from`` is None when the ID was current)."""

    id: str
    moved_from: str | None = None
    reason: str | None = None
    moved: str | None = None


def redirect_table(raw: list[dict]) -> dict[tuple[str, str], dict]:
    """(registry, old ID) -> redirect entry, from ``records.json``'s ``redirects``."""
    return {(r["registry"], r["id"]): r for r in raw}


def resolve(table: Mapping[tuple[str, str], dict], registry: str, entry_id: str) -> Resolved:
    """Follow the redirects of ``entry_id`` (a chain, if a later rename moved the new ID
    again) to the current ID."""
    first = table.get((registry, entry_id))
    if first is None:
        return Resolved(entry_id)
    current, seen = first["replaced_by"], {entry_id}
    while (registry, current) in table and current not in seen:
        seen.add(current)
        current = table[(registry, current)]["replaced_by"]
    return Resolved(current, entry_id, first["reason"], first["moved"])


def message(registry: str, found: Resolved) -> str:
    how = "merged into" if found.reason == "merged" else "renamed to"
    return (
        f"{registry} {found.moved_from!r} was {how} {found.id!r} on {found.moved}; use {found.id!r}"
    )


class Registry(Mapping):
    """The actors or sources of a release, by ID; an old ID resolves to its current
    entry with a :class:`MovedIdWarning`."""

    def __init__(
        self,
        registry: str,
        raw: list[dict],
        table: Mapping[tuple[str, str], dict],
        make: Callable[[dict], object],
    ):
        self.registry = registry
        self._raw = {item["id"]: item for item in raw}
        self._table = table
        self._make = make
        self._typed: dict[str, object] = {}

    def _entry(self, entry_id: str):
        if entry_id not in self._typed:
            self._typed[entry_id] = self._make(self._raw[entry_id])
        return self._typed[entry_id]

    def __getitem__(self, entry_id: str):
        if entry_id in self._raw:
            return self._entry(entry_id)
        found = resolve(self._table, self.registry, entry_id)
        if found.moved_from is not None and found.id in self._raw:
            warnings.warn(message(self.registry, found), MovedIdWarning, stacklevel=2)
            return self._entry(found.id)
        import difflib

        near = difflib.get_close_matches(str(entry_id), self._raw.keys(), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise KeyError(f"no {self.registry} {entry_id!r}{hint}")

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def moved(self) -> dict[str, str]:
        """Old ID -> current ID, for every redirected ID of this registry."""
        return {
            old: resolve(self._table, self.registry, old).id
            for (registry, old) in self._table
            if registry == self.registry
        }
