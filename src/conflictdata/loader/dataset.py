"""The loader: ``conflictdata.load()`` and the :class:`Dataset` it returns.

A release is a folder with ``datapackage.json`` and ``data/`` (the tables and
``data/records.json``): the one bundled in the installed package, a built checkout, or
a downloaded data package. Loading reads only the index of ``records.json`` (see
:mod:`conflictdata.loader.storage`); the records were validated when the release was
built, so each one is parsed and becomes a typed pydantic object the first time it is
used, not at load time (loading never imports pydantic).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from conflictdata.core.paths import DESCRIPTOR
from conflictdata.core.vocab import KIND_BY_PREFIX
from conflictdata.loader import redirects

RECORDS_JSON = "data/records.json"


class ReleaseNotFound(FileNotFoundError):
    """No built release where one was expected."""


def bundled_release() -> Path:
    """The folder of the release that comes with the package: ``conflictdata/_release``
    in an installed wheel, or the repository root in an editable checkout."""
    from importlib.resources import files

    bundled = files("conflictdata") / "_release"
    if bundled.joinpath(DESCRIPTOR).is_file():
        return Path(str(bundled))
    repo = Path(__file__).resolve().parents[3]  # src/conflictdata/loader/dataset.py in a checkout
    if (repo / RECORDS_JSON).is_file():
        return repo
    raise ReleaseNotFound(
        "this installation has no bundled release; pass the path of a built package to "
        "conflictdata.load(path), or run 'conflictdata build' in a checkout and load build/"
    )


def _release_dir(path: Path | str) -> Path:
    path = Path(path)
    if path.is_file() and path.name == DESCRIPTOR:
        path = path.parent
    if (path / RECORDS_JSON).is_file():
        return path
    if (path / "records").is_dir():
        raise ReleaseNotFound(
            f"{path} is a checkout without a release; run 'conflictdata build' there and "
            f"load {path / 'build'}"
        )
    raise ReleaseNotFound(f"no release at {path}: expected {DESCRIPTOR} and {RECORDS_JSON}")


#: How many typed records a Dataset keeps (the most recently asked for by ID).
TYPED_KEPT = 4096


def load(path: Path | str | None = None) -> Dataset:
    """Load a release: the bundled one, or the checkout or built package at ``path``."""
    from conflictdata.loader import package
    from conflictdata.loader.storage import Store

    root = bundled_release() if path is None else _release_dir(path)
    # the descriptor, the paths and the recorded sizes and hashes, before anything is read
    package.checked(root, [package.RECORDS_RESOURCE, package.INDEX_RESOURCE])
    return Dataset(root, Store(root))


class RecordClaim(NamedTuple):
    """A claim with the ID of the record it belongs to."""

    record_id: str
    claim: Any  # conflictdata.model.models.Claim


def _models():
    from conflictdata.model import models

    return models


class Dataset:
    """A loaded release: records (typed on first use), actors, sources and tables."""

    def __init__(self, root: Path, store):
        """``store``: a :class:`conflictdata.loader.storage.Store` (or, as before, the
        parsed ``records.json`` as one dict)."""
        from conflictdata.loader.storage import Store

        self.root = Path(root)
        if isinstance(store, dict):
            store = Store.of(store)
        self._store = store
        self.version: str = store.header.get("version", "")
        self.schema_version: str = store.header.get("schemaVersion", "")
        #: the records as JSON data, in ID order: a sequence that parses each one when
        #: it is asked for
        self._raw = store.records
        self._index: dict[str, int] = {rid: i for i, rid in enumerate(store.records.ids)}
        self._typed: OrderedDict[int, object] = OrderedDict()  # position -> typed record
        self._raw_actors = store.actors
        self._raw_sources = store.sources
        self._raw_withdrawn: dict[str, dict] = {w["id"]: w for w in store.withdrawn}
        self._redirects = redirects.redirect_table(store.redirects)
        self._actors: dict | None = None
        self._sources: dict | None = None

    def __repr__(self) -> str:
        return f"<conflictdata.Dataset {self.version}: {len(self)} records from {self.root}>"

    # --- records ----------------------------------------------------------------------

    def _record(self, i: int, keep: bool = True):
        """The record at position ``i``, typed; the last :data:`TYPED_KEPT` asked for by
        ID are kept, so memory stays bounded whatever the size of the release."""
        rec = self._typed.get(i)
        if rec is not None:
            self._typed.move_to_end(i)
            return rec
        raw = self._raw[i]
        rec = _models().RECORD_MODELS[KIND_BY_PREFIX[raw["id"][:3]].name].model_validate(raw)
        if keep:
            self._typed[i] = rec
            if len(self._typed) > TYPED_KEPT:
                self._typed.popitem(last=False)
        return rec

    def __len__(self) -> int:
        return len(self._raw)

    def __iter__(self) -> Iterator:
        """Every record, typed, in ID order; none is kept (iterating a million records
        holds one at a time)."""
        for i in range(len(self._raw)):
            yield self._record(i, keep=False)

    def __contains__(self, record_id: object) -> bool:
        from conflictdata.loader.query import record_id as normal

        return normal(record_id) in self._index

    @property
    def ids(self) -> list[str]:
        """Every record ID, sorted."""
        return list(self._raw.ids)

    def get(self, record_id: str):
        """The record with this ID, in any case; a ``KeyError`` that names near matches
        otherwise."""
        from conflictdata.loader import query

        given, record_id = record_id, query.record_id(record_id)
        i = self._index.get(record_id)
        if i is None and record_id in self._raw_withdrawn:
            w = self._raw_withdrawn[record_id]
            instead = f"; see {w['replaced_by']}" if w.get("replaced_by") else ""
            raise KeyError(
                f"record {record_id!r} was withdrawn on {w['withdrawn']} ({w['reason']}){instead}"
            )
        if i is None:
            near = query.near_ids(record_id, self._index.keys())
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise KeyError(f"no record {given!r} in release {self.version}{hint}")
        return self._record(i)

    __getitem__ = get

    def kind(self, name: str) -> list:
        """Every record of one kind (incident, arrest, weapons_transfer, recruitment); a
        wrong name raises :class:`~conflictdata.loader.query.FilterError` naming the kinds."""
        return self.filter(kind=name)

    @property
    def incidents(self) -> list:
        return self.kind("incident")

    @property
    def arrests(self) -> list:
        return self.kind("arrest")

    @property
    def weapons_transfers(self) -> list:
        return self.kind("weapons_transfer")

    @property
    def recruitment(self) -> list:
        return self.kind("recruitment")

    def filter(
        self,
        *,
        kind: str | Iterable[str] | None = None,
        country: str | Iterable[str] | None = None,
        start: date | str | None = None,
        end: date | str | None = None,
        actor: str | Iterable[str] | None = None,
        status: str | Iterable[str] | None = None,
    ) -> list:
        """Records that match every given condition:

        - ``kind``: a kind name or several (``arrest``);
        - ``country``: a location of the record is in this country, given as an ISO
          3166-1 code in any case (``KG``, ``kgz``) or a name (``Kyrgyzstan``);
        - ``start``/``end``: the record's date range overlaps ``[start, end]``; each a
          date or ``2015``, ``2015-07``, ``2015-07-16`` (a year or month starts on its
          first day and ends on its last);
        - ``actor``: the actor (its ID, name or any alias) is a party to the record, or a
          claimant or intermediary of one of its claims;
        - ``status``: a status or several.

        A value the release cannot match (an unknown kind, status, country or actor, a
        date that is not one) raises :class:`~conflictdata.loader.query.FilterError`, a
        ``ValueError`` naming the allowed or nearest values.
        """
        from conflictdata.loader import query

        if actor is not None:  # an old (renamed or merged) actor ID leads to the current one
            actor = [
                self._current("actor", a) if isinstance(a, str) else a for a in query._values(actor)
            ]
        test = query.predicate(
            self._raw_actors,
            kind=kind,
            country=country,
            start=start,
            end=end,
            actor=actor,
            status=status,
        )
        return [self._record(i) for i, raw in enumerate(self._raw) if test(raw)]

    @property
    def claims(self):
        """Every claim of every record, with its record's ID, in record order: iterate
        over it (``for record_id, claim in ds.claims``), or take ``len()``. Calling it,
        as in earlier versions, still works and warns that the call is deprecated."""
        from conflictdata.loader.query import Listing

        def every():
            for record in self:
                for claim in record.claims:
                    yield RecordClaim(record.id, claim)

        return Listing("claims", every)

    # --- registries -------------------------------------------------------------------

    @property
    def actors(self) -> redirects.Registry:
        """Every actor, by ID; an old ID of a renamed or merged actor gives the current
        actor with a :class:`~conflictdata.loader.redirects.MovedIdWarning`."""
        if self._actors is None:
            m = _models()
            self._actors = redirects.Registry(
                "actor", self._raw_actors, self._redirects, m.Actor.model_validate
            )
        return self._actors

    @property
    def sources(self) -> redirects.Registry:
        """Every source, by ID; an old ID of a renamed or merged source gives the current
        source with a :class:`~conflictdata.loader.redirects.MovedIdWarning`."""
        if self._sources is None:
            m = _models()
            self._sources = redirects.Registry(
                "source", self._raw_sources, self._redirects, m.Source.model_validate
            )
        return self._sources

    def resolve(self, registry: str, entry_id: str) -> redirects.Resolved:
        """Where an actor or source ID leads now: the current ID, and, if it moved, the
        old ID, why and when (``records/redirects.yaml``)."""
        if registry not in ("actor", "source"):
            raise ValueError(f"no registry {registry!r}; registries are actor, source")
        return redirects.resolve(self._redirects, registry, entry_id)

    def _current(self, registry: str, entry_id: str) -> str:
        found = self.resolve(registry, entry_id)
        if found.moved_from is not None:
            import warnings

            warnings.warn(
                redirects.message(registry, found), redirects.MovedIdWarning, stacklevel=3
            )
        return found.id

    @property
    def withdrawn(self) -> dict:
        """Withdrawn record IDs, by ID: why each was withdrawn and what replaces it."""
        m = _models()
        return {k: m.Withdrawal.model_validate(v) for k, v in self._raw_withdrawn.items()}

    # --- tables -----------------------------------------------------------------------

    @property
    def descriptor_path(self) -> Path:
        return self.root / DESCRIPTOR

    @property
    def tables(self):
        """The names of the package's tables, ``events`` first (a list-like view; calling
        it, as in earlier versions, still works and warns that the call is deprecated)."""
        from conflictdata.loader.query import Listing

        def names():
            with open(self.descriptor_path, encoding="utf-8") as f:
                desc = json.load(f)
            return iter([r["name"] for r in desc["resources"] if r.get("type") == "table"])

        return Listing("tables", names)

    def package(self):
        """The release as a :class:`frictionless.Package` (needs ``conflictdata[frictionless]``)."""
        try:
            from frictionless import Package
        except ImportError as exc:
            raise ImportError(
                "package() needs frictionless: pip install 'conflictdata[frictionless]'"
            ) from exc

        return Package(str(self.descriptor_path))

    def to_pandas(self, table: str = "records"):
        """One table of the package as a pandas DataFrame, typed by its Table Schema:
        text stays text (``NA`` is Namibia, not a missing value), empty cells are
        missing, integers are nullable ``Int64``, dates are ``datetime64``."""
        try:
            import pandas  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas needs pandas: pip install 'conflictdata[pandas]'") from exc
        from conflictdata.loader import package

        desc = package.checked(self.root, [table])  # a PackageError names what is wrong
        resources = {r["name"]: r for r in desc["resources"] if r.get("type") == "table"}
        if table not in resources:
            import difflib

            near = difflib.get_close_matches(table, resources, n=3)
            hint = (
                f"; did you mean {', '.join(near)}?"
                if near
                else f"; tables are {', '.join(resources)}"
            )
            raise KeyError(f"no table {table!r}{hint}")
        from conflictdata.loader.storage import read_table

        resource = resources[table]
        return read_table(self.root / resource["path"], resource["schema"]["fields"])


def _involves(raw: dict, actor: str) -> bool:
    if any(p.get("actor") == actor for p in raw.get("parties", ())):
        return True
    return any(c["claimant"] == actor or actor in c.get("via", ()) for c in raw["claims"])
