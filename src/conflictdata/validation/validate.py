"""Running the validator over a tree: find the files, check each one, then check the
records against each other, and collect every problem.

A full run lists ``records/`` once, checks the registries (actors, sources) and then
the records, in parallel on all cores, and finally runs the cross-record rules over
the small :class:`~conflictdata.validation.rules.Refs` each record leaves behind. A run over
given paths checks only those files; whatever they refer to is looked up by its path
(an ID is its file name), so its cost does not grow with the size of the corpus.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from pydantic import ValidationError

from conflictdata.core import gazetteer, paths, vocab
from conflictdata.core.paths import (
    EXTRA_FILES,
    RECORDS_DIR,
    classify,
    display_path,
    display_record_path,
    entry_id,
    list_files,
)
from conflictdata.core.safeio import NotReadable, read_plain
from conflictdata.model.models import RECORD_MODELS, REGISTRY_MODELS
from conflictdata.reader.yamlreader import MAX_BYTES, YamlError, locator, read
from conflictdata.validation import (
    codes,
    curation_rules,  # noqa: F401  (registers its rules)
    hidden,  # noqa: F401 - registers the hidden-text rule
    people,
    people_cache,
    redirects,
)
from conflictdata.validation.pool import PARALLEL_THRESHOLD, default_jobs, map_chunks
from conflictdata.validation.problems import Problem, field_path, pydantic_message
from conflictdata.validation.rules import Refs, run_rules
from conflictdata.validation.withdrawn import check as check_withdrawn


@dataclass(slots=True)
class FileResult:
    """What checking one file found (slotted: a full run holds one per file)."""

    problems: list[Problem] = field(default_factory=list)
    what: str | None = None  # "record", "actor", "source"
    id: str | None = None
    refs: Refs | None = None
    actor_type: str | None = None
    person_names: tuple[str, ...] = ()  # a named person's name and aliases
    data: dict | None = None  # the validated model as JSON data, when collected
    path: str | None = None  # the file, as shown in problems


@dataclass
class Report:
    """The outcome of a run."""

    problems: list[Problem]
    files: int
    records: dict[str, dict] = field(default_factory=dict)  # relpath -> JSON data, when collected
    registries: dict[str, dict] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- Checking one file ----------------------------------------------------------------------


def check_file(root: Path, relpath: str, lookup, collect: bool = False) -> FileResult:
    """Read, parse and check one file under ``root/records``; never raises for bad data."""
    path = root / RECORDS_DIR / relpath
    shown = display_record_path(root, relpath)
    result = FileResult(path=shown)
    what, kind = classify(relpath)
    if what == "unknown" or not relpath.endswith(".yaml"):
        if relpath not in EXTRA_FILES:
            folders = ", ".join([k.folder for k in vocab.KINDS] + list(paths.REGISTRIES.values()))
            result.problems.append(
                Problem(
                    shown,
                    1,
                    1,
                    "",
                    f"unexpected file in records/: records are .yaml files under {folders}",
                    codes.LAYOUT,
                )
            )
        return result
    try:  # a symbolic link, a FIFO, a device or an oversized file is refused unread
        data_bytes = read_plain(path, MAX_BYTES)
    except NotReadable as exc:
        if exc.size is not None:
            rule = codes.YAML
        else:
            rule = codes.LAYOUT if exc.link else codes.IO
        result.problems.append(Problem(shown, 1, 1, "", exc.message, rule))
        return result
    try:
        data = read(data_bytes)
    except YamlError as exc:
        result.problems.append(Problem(shown, exc.line, exc.col, "", exc.message, codes.YAML))
        return result

    text = data_bytes.decode("utf-8")
    found: list[tuple[str, tuple, str]] = []
    if what == "record":
        declared = data.get("id")
        prefix_kind = vocab.KIND_BY_PREFIX.get(declared[:3]) if isinstance(declared, str) else None
        if prefix_kind is not None and prefix_kind.name != kind:
            found.append(
                (
                    codes.LAYOUT,
                    ("id",),
                    f"{declared} is a {prefix_kind.name} record but sits in "
                    f"records/{relpath.split('/')[0]}/; move it to records/{prefix_kind.folder}/",
                )
            )
            kind = prefix_kind.name
        model_cls = RECORD_MODELS[kind]
    else:
        model_cls = REGISTRY_MODELS[what]
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        for error in errors:
            loc, message = pydantic_message(error, model_cls)
            found.append((codes.SCHEMA, loc, message))
        model = None
        partial, valid = salvage(model_cls, data, errors)
        found.extend(run_rules(what, partial, lookup, valid))
        if what == "record" and not {"claims", "parties"} <= valid:
            found.extend(unknown_refs(data, lookup))

    if model is not None:
        result.what, result.id = what, model.id
        stem = entry_id(relpath)
        if model.id != stem:
            found.append(
                (
                    codes.FILE_NAME,
                    ("id",),
                    f"id {model.id!r} does not match the file name {stem!r}.yaml; the file name is the ID",
                )
            )
        else:
            expected = (
                paths.record_relpath(model.id)
                if what == "record"
                else paths.registry_relpath(what, model.id)
            )
            if relpath != expected:
                found.append(
                    (
                        codes.LAYOUT,
                        ("id",),
                        f"file is at records/{relpath}; {model.id} belongs at records/{expected}",
                    )
                )
        found.extend(run_rules(what, model, lookup))
        if what == "record":
            result.refs = Refs.of(model, shown)
        elif what == "actor":
            result.actor_type = model.type
            if model.type == "person" and not model.anonymous:
                result.person_names = (model.name, *model.aliases)
        if collect:
            result.data = model.model_dump(mode="json", exclude_defaults=False)

    if found:
        where = locator(text)
        for code, loc, message in found:
            line, col = where(loc)
            result.problems.append(Problem(shown, line, col, field_path(loc), message, code))
    return result


def unknown_refs(data: dict, lookup) -> list[tuple[str, tuple, str]]:
    """Unknown actor and source IDs in the raw data of a record whose claims or parties
    have shape problems (so the reference rules could not run on them): every problem of
    a file comes out in one run, whatever else is wrong with it."""
    import re

    from conflictdata.validation.rules import _missing, _no_entry

    def ids(value):
        return isinstance(value, str) and re.fullmatch(vocab.SLUG_PATTERN, value)

    out = []

    def check(registry, path, value, code):
        if ids(value) and _missing(lookup, registry, value):
            out.append((code, path, _no_entry(lookup, registry, value)))

    claims = data.get("claims")
    for i, claim in enumerate(claims if isinstance(claims, list) else []):
        if not isinstance(claim, dict):
            continue
        check("actor", ("claims", i, "claimant"), claim.get("claimant"), codes.ACTOR_REFS)
        via = claim.get("via")
        for j, v in enumerate(via if isinstance(via, list) else []):
            check("actor", ("claims", i, "via", j), v, codes.ACTOR_REFS)
        check("source", ("claims", i, "source"), claim.get("source"), codes.SOURCE_REFS)
    parties = data.get("parties")
    for i, party in enumerate(parties if isinstance(parties, list) else []):
        if isinstance(party, dict):
            check("actor", ("parties", i, "actor"), party.get("actor"), codes.ACTOR_REFS)
    return out


def salvage(model_cls, data: dict, errors: list) -> tuple[object, frozenset[str]]:
    """The valid top-level fields of an invalid record, as a partial model, so that
    rules on those fields can still report their problems in the same run."""
    bad = {e["loc"][0] for e in errors if e["loc"]}
    good = {}
    for name, info in model_cls.model_fields.items():
        if name in bad:
            continue
        if name in data:
            good[name] = _field_value(model_cls, name, data[name])
        elif not info.is_required():
            good[name] = info.get_default(call_default_factory=True)
    return model_cls.model_construct(
        **{k: v for k, v in good.items() if v is not _INVALID}
    ), frozenset(k for k, v in good.items() if v is not _INVALID)


_INVALID = object()
_ADAPTERS: dict = {}


def _field_value(model_cls, name: str, value):
    from pydantic import PydanticUserError, TypeAdapter

    key = (model_cls, name)
    if key not in _ADAPTERS:
        info = model_cls.model_fields[name]
        annotation = info.rebuild_annotation()
        try:
            _ADAPTERS[key] = TypeAdapter(annotation, config=model_cls.model_config)
        except PydanticUserError:  # a model type brings its own (strict) config
            _ADAPTERS[key] = TypeAdapter(annotation)
    try:
        return _ADAPTERS[key].validate_python(value)
    except ValidationError:
        return _INVALID


# --- Looking things up --------------------------------------------------------------------


class IndexLookup:
    """Lookups for a full run: everything comes from the listing and the registries."""

    def __init__(self, files: Iterable[str], moved: dict | None = None):
        self.redirects: dict = moved or {}  # (registry, old ID) -> Redirect
        self.root = None  # the tree, for near matches of an unknown ID
        self.records: dict[str, list[str]] = {}
        self.actors: set[str] = set()
        self.sources: set[str] = set()
        self.actor_types: dict[str, str] = {}
        self.names: dict[str, set[str]] = {}
        self.refs: dict[str, Refs] = {}
        for relpath in files:
            if not relpath.endswith(".yaml"):
                continue
            what, _ = classify(relpath)
            stem = entry_id(relpath)
            if what == "record":
                self.records.setdefault(stem, []).append(relpath)
            elif what == "actor":
                self.actors.add(stem)
            elif what == "source":
                self.sources.add(stem)

    def has_actor(self, actor_id):
        return actor_id in self.actors

    def has_source(self, source_id):
        return source_id in self.sources

    def has_record(self, record_id):
        return record_id in self.records

    def actor_type(self, actor_id):
        return self.actor_types.get(actor_id)

    def moved(self, registry, entry_id):
        return self.redirects.get((registry, entry_id))

    def people_named_in(self, text):
        return people.named_people(text, self.names)

    def record_refs(self, record_id):
        return self.refs.get(record_id)


class PathLookup:
    """Lookups for a run over a few files: an ID is a file name, so each question is
    answered by looking at one path, whatever the size of the corpus."""

    def __init__(self, root: Path):
        self.records_dir = root / RECORDS_DIR
        self.root = root
        self._types: dict[str, str | None] = {}
        self._refs: dict[str, Refs | None] = {}
        self._people: people_cache.RegistryNames | None = None
        self.pending: dict[str, Refs] = {}  # records of this run, by ID
        self._redirects: dict | None = None

    def moved(self, registry, entry_id):
        if self._redirects is None:
            self._redirects = redirects.load(self.root).table()
        return self._redirects.get((registry, entry_id))

    def has_entry(self, registry: str, entry_id: str) -> bool:
        return (self.records_dir / paths.registry_relpath(registry, entry_id)).is_file()

    def has_actor(self, actor_id):
        return self.has_entry("actor", actor_id)

    def has_source(self, source_id):
        return self.has_entry("source", source_id)

    def has_record(self, record_id):
        if record_id in self.pending:
            return True
        try:
            return (self.records_dir / paths.record_relpath(record_id)).is_file()
        except (KeyError, ValueError):
            return False

    def actor_type(self, actor_id):
        if actor_id not in self._types:
            self._types[actor_id] = None
            try:
                data = read(
                    read_plain(
                        self.records_dir / paths.registry_relpath("actor", actor_id), MAX_BYTES
                    )
                )
                value = data.get("type")
                self._types[actor_id] = value if isinstance(value, str) else None
            except (OSError, YamlError):
                pass
        return self._types[actor_id]

    def people_named_in(self, text):
        """From the registry's names kept between runs (:mod:`.people_cache`): reading
        every actor file would make one record cost as much as the registry."""
        if self._people is None:
            self._people = people_cache.RegistryNames(self.records_dir / "actors")
        return self._people.named_in(text)

    def record_refs(self, record_id):
        if record_id in self.pending:
            return self.pending[record_id]
        if record_id not in self._refs:
            self._refs[record_id] = None
            try:
                relpath = paths.record_relpath(record_id)
            except (KeyError, ValueError):
                return None
            result = check_file(self.root, relpath, _NoRefs(self))
            self._refs[record_id] = result.refs
        return self._refs[record_id]


class _NoRefs:
    """A lookup for reading a neighbour: answers like its parent, but never recurses."""

    def __init__(self, parent: PathLookup):
        self.parent = parent

    def __getattr__(self, name):
        return getattr(self.parent, name)

    def record_refs(self, record_id):
        return None


# --- Runs ---------------------------------------------------------------------------------


def _check_chunk(
    root: Path, lookup, collect: bool, render, relpaths: list[str]
) -> list[FileResult]:
    """Check a chunk of files (the per-chunk function of the worker pool)."""
    out = [check_file(root, rp, lookup, collect) for rp in relpaths]
    for r in out:
        if render is not None and r.data is not None:
            r.data = render(r.what, r.data)
        if r.refs is not None:
            # Interned claim IDs are sent once per chunk (pickle keeps one copy of an
            # object), so the parent holds one "c1" per chunk, not one per record.
            r.refs = replace(r.refs, claims=frozenset(map(sys.intern, r.refs.claims)))
    return out


def _map(
    root: Path, relpaths: list[str], lookup, collect: bool, jobs: int, render, sink
) -> list[FileResult]:
    each = None
    if sink is not None:

        def each(part: list[FileResult]) -> None:
            for r in part:
                sink(r)

    return map_chunks(partial(_check_chunk, root, lookup, collect, render), relpaths, jobs, each)


def validate_tree(
    root: Path | str = ".",
    *,
    jobs: int | None = None,
    collect: bool = False,
    render: Callable[[str, dict], object] | None = None,
    sink: Callable[[FileResult], None] | None = None,
) -> Report:
    """Validate every file under ``root/records`` and the records against each other.

    With ``collect``, each valid entry's JSON data is kept in the report. ``render``
    (with ``collect``) turns that data into something else in the worker that checked
    the file (``render(what, data)``, where ``what`` is "record", "actor" or "source"),
    and ``sink`` sees every file's result in this process as soon as it arrives, in
    order; whatever data the sink leaves in ``result.data`` is kept in the report. A
    build uses the two to stream each record's output to disk instead of keeping it."""
    root = Path(root)
    records_dir = root / RECORDS_DIR
    if records_dir.is_symlink():  # it could lead anywhere outside the repository
        return Report(
            [
                Problem(
                    display_path(records_dir),
                    1,
                    1,
                    "",
                    "records/ is a symbolic link; the records are a folder of the repository",
                    codes.LAYOUT,
                )
            ],
            0,
        )
    if not records_dir.is_dir():
        return Report(
            [
                Problem(
                    display_path(records_dir),
                    1,
                    1,
                    "",
                    "no records/ folder here; run in the repository root or pass --root",
                    codes.LAYOUT,
                )
            ],
            0,
        )
    jobs = jobs or default_jobs()
    files = list_files(records_dir)
    lookup = IndexLookup(files, redirects.load(root).table())
    lookup.root = root
    registry_files = [f for f in files if classify(f)[0] in REGISTRY_MODELS]
    registry_set = set(registry_files)
    record_files = [f for f in files if f not in registry_set]
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        results = _map(root, registry_files, lookup, collect, jobs, render, sink)
        for r in results:
            if r.actor_type is not None:
                lookup.actor_types[r.id] = r.actor_type
            for name in r.person_names:
                lookup.names.setdefault(name, set()).add(r.id)
        if jobs > 1 and len(record_files) >= PARALLEL_THRESHOLD:
            gazetteer.cities()  # read once here and shared with the forked workers, not once in each
        results += _map(root, record_files, lookup, collect, jobs, render, sink)
        return _finish(root, results, lookup, collect, len(files))
    finally:
        if was_enabled:
            gc.enable()


def validate_paths(
    root: Path | str, paths: Iterable[Path | str], *, collect: bool = False
) -> Report:
    """Validate the given files (under ``root/records``) and their cross-record rules."""
    root = Path(root).resolve()
    records_dir = root / RECORDS_DIR
    lookup = PathLookup(root)
    results: list[FileResult] = []
    problems: list[Problem] = []
    relpaths = []
    for p in paths:
        full = Path(p).resolve()
        try:
            relpaths.append(full.relative_to(records_dir).as_posix())
        except ValueError:
            problems.append(
                Problem(
                    display_path(Path(p)),
                    1,
                    1,
                    "",
                    f"not under {display_path(records_dir)}/; records live in records/",
                    codes.LAYOUT,
                )
            )
    for rp in sorted(set(relpaths)):
        if not (records_dir / rp).is_file():
            problems.append(
                Problem(display_path(records_dir / rp), 1, 1, "", "no such file", codes.IO)
            )
            continue
        results.append(check_file(root, rp, lookup, collect))
    for r in results:
        if r.refs is not None:
            lookup.pending[r.id] = r.refs
    report = _finish(root, results, lookup, collect, len(results))
    report.problems = sorted(problems + report.problems)
    return report


def _finish(root: Path, results: list[FileResult], lookup, collect: bool, files: int) -> Report:
    """Cross-record rules over what the files left behind, and the final report."""
    problems = [p for r in results for p in r.problems]
    first: dict[tuple, FileResult] = {}
    by_id: dict[tuple, list[FileResult]] = {}  # only the IDs used more than once
    for r in results:
        if r.id is not None:
            key = (r.what, r.id)
            if key in first:
                by_id.setdefault(key, [first[key]]).append(r)
            else:
                first[key] = r
    del first
    duplicates = []
    for same in by_id.values():
        for r in same:
            others = ", ".join(o.path for o in same if o is not r)
            duplicates.append(
                (r.path, codes.DUPLICATE_ID, ("id",), f"duplicate ID {r.id}: also used by {others}")
            )
    if isinstance(lookup, IndexLookup):
        lookup.refs = {r.id: r.refs for r in results if r.refs is not None}
    cross = [r.refs for r in results if r.refs is not None]
    found = duplicates
    for refs in cross:
        for code, loc, message in run_rules("cross", refs, lookup):
            found.append((refs.path, code, loc, message))
    if found:
        locators: dict[str, object] = {}
        for path, code, loc, message in found:
            if path not in locators:
                locators[path] = locator(Path(path).read_text(encoding="utf-8"))
            line, col = locators[path](loc)
            problems.append(Problem(path, line, col, field_path(loc), message, code))
    problems += check_withdrawn(root)  # records/withdrawn.yaml: tombstones
    problems += redirects.check(root)  # records/redirects.yaml: renamed and merged entries
    report = Report(sorted(set(problems)), files)
    if collect:
        for r in results:
            if r.data is not None:
                (report.records if r.what == "record" else report.registries)[
                    f"{r.what}:{r.id}"
                ] = r.data
    return report
