"""Checking a data package before anything reads it.

A package may be downloaded or edited by hand, so its ``datapackage.json`` is input like
any other. Before a table or ``records.json`` is read, :func:`check` makes sure that:

* ``datapackage.json`` is a plain file of JSON (an object, no duplicate keys, of a
  sensible size) with a list of resources;
* its ``schemaVersion`` has the major version this loader reads; otherwise the message
  says which version of conflictdata to install;
* every resource has a unique name of lower-case letters, digits and underscores, and a
  path the build would write for that name (``data/<name>.csv`` for a table,
  ``data/records.json`` for ``records_json``, ``data/records_index.json`` for
  ``records_index``): never a URL, an absolute path, ``..``, a backslash, or a symbolic
  link, so nothing outside the package is read;

and :func:`verify` checks each resource file against the ``bytes`` and ``hash``
(``sha256:<hex>``) the build records for it (Data Package v2), so that a tampered or
half-written package is named as such instead of loading garbage.

``conflictdata verify PATH`` verifies every resource in full. ``load(path)`` and
``to_pandas`` check the descriptor and, for each file they read, its size, and its hash
when the file is at most :data:`HASH_LIMIT` bytes (every release so far): a file cut
short or grown is always caught; a larger file altered without changing its size is
caught by ``conflictdata verify``, which reads it all. (Hashing a 300 MB
``records.json`` would take longer than opening the release is allowed to.)

Every problem is a :class:`PackageError` with one line per problem, each naming the
file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path

DESCRIPTOR = "datapackage.json"
DATA_DIR = "data"
RECORDS_RESOURCE = "records_json"
RECORDS_PATH = f"{DATA_DIR}/records.json"
INDEX_RESOURCE = "records_index"
INDEX_PATH = f"{DATA_DIR}/records_index.json"
#: The files the build writes that are not tables, by resource name.
NOT_TABLES = {RECORDS_RESOURCE: RECORDS_PATH, INDEX_RESOURCE: INDEX_PATH}
#: The largest file whose hash the loader checks each time it reads it (see above).
HASH_LIMIT = 64 * 1024 * 1024
#: The schema version this loader reads (the models' SCHEMA_VERSION, kept here so that
#: loading never imports the models; a test keeps the two equal).
SCHEMA_VERSION = "1.1.0"
#: The largest descriptor read (the built one is a few hundred kilobytes).
MAX_DESCRIPTOR_BYTES = 20_000_000

_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
_VERSION = re.compile(r"([0-9]{1,6})\.([0-9]{1,6})\.([0-9]{1,6})")
_HASH = re.compile(r"sha256:([0-9a-f]{64})")


class PackageError(ValueError):
    """A data package that cannot be trusted: each line names a file and a problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _no_duplicates(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def read_descriptor(root: Path) -> dict:
    """``root/datapackage.json`` as JSON, or a :class:`PackageError` that says why not."""
    from conflictdata.core.safeio import NotReadable, read_plain

    path = Path(root) / DESCRIPTOR
    shown = f"{path}"
    try:
        data = read_plain(path, MAX_DESCRIPTOR_BYTES)
    except NotReadable as exc:
        raise PackageError([f"{shown}: {exc.message}"]) from None
    try:
        desc = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except UnicodeDecodeError as exc:
        raise PackageError([f"{shown}: not UTF-8 (byte {exc.start})"]) from None
    except json.JSONDecodeError as exc:
        raise PackageError(
            [f"{shown}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}"]
        ) from None
    except (ValueError, RecursionError) as exc:
        raise PackageError([f"{shown}: not a data package descriptor: {exc}"]) from None
    if not isinstance(desc, dict):
        raise PackageError([f"{shown}: not a data package descriptor (a JSON object)"])
    return desc


def _version_problem(shown: str, version) -> str | None:
    from conflictdata import __version__

    m = _VERSION.fullmatch(version) if isinstance(version, str) else None
    if m is None:
        return (
            f"{shown}: schemaVersion {version!r} is not a version such as {SCHEMA_VERSION}; "
            "this is not a conflictdata package, or it was edited by hand"
        )
    major, ours = int(m[1]), int(SCHEMA_VERSION.split(".")[0])
    if major == ours:
        return None
    if major > ours:
        advice = (
            f"install a conflictdata release that reads schema {major}.x "
            "(pip install --upgrade conflictdata)"
        )
    else:
        advice = (
            f"install an earlier conflictdata release that reads schema {major}.x, or "
            "rebuild the package from its records with this one"
        )
    return (
        f"{shown}: the package has schema version {version}, and conflictdata {__version__} "
        f"reads schema {ours}.x only; {advice}"
    )


def expected_path(resource: dict) -> str | None:
    """The path the build writes for a resource of this name and type (None: none)."""
    name = resource.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        return None
    return NOT_TABLES.get(name, f"{DATA_DIR}/{name}.csv")


def _path_problem(root: Path, resource: dict) -> str | None:
    """What is wrong with a resource's name and path, if anything."""
    name, path = resource.get("name"), resource.get("path")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        return (
            f"resource name {name!r} is not a name the build writes "
            "(lower-case letters, digits and underscores)"
        )
    if not isinstance(path, str):
        return f"resource {name}: path {path!r} is not one relative file path"
    if "://" in path or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", path):
        return (
            f"resource {name}: path {path!r} is a URL; a package is read from its own folder only"
        )
    if path.startswith(("/", "\\")) or "\\" in path or ".." in path.split("/") or "\x00" in path:
        return f"resource {name}: path {path!r} leads outside the package"
    want = expected_path(resource)
    if path != want:
        return f"resource {name}: path {path!r} is not the file the build writes for it ({want})"
    target = Path(root) / path
    try:
        folder = os.lstat(Path(root) / DATA_DIR)
        st = os.lstat(target)
    except FileNotFoundError:
        return f"{path}: missing (resource {name}); the package is incomplete"
    except OSError as exc:
        return f"{path}: cannot be read: {exc.strerror}"
    if stat.S_ISLNK(folder.st_mode) or stat.S_ISLNK(st.st_mode):
        return f"{path}: a symbolic link; a package's files are plain files inside it"
    if not stat.S_ISREG(st.st_mode):
        return f"{path}: not a plain file"
    return None


def check(root: Path | str) -> dict:
    """The descriptor of the package at ``root``, once it is safe to read the files it
    names; a :class:`PackageError` listing every problem otherwise."""
    root = Path(root)
    desc = read_descriptor(root)
    shown = str(root / DESCRIPTOR)
    problems = []
    version = _version_problem(shown, desc.get("schemaVersion"))
    if version:
        problems.append(version)
    resources = desc.get("resources")
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        problems.append(f"{shown}: 'resources' is not a list of resources")
        raise PackageError(problems)
    seen: set = set()
    for resource in resources:
        name = resource.get("name")
        if isinstance(name, str) and name in seen:
            problems.append(f"{shown}: resource {name} is listed twice")
        seen.add(name if isinstance(name, str) else None)
        problem = _path_problem(root, resource)
        if problem:
            problems.append(problem if problem.startswith(DATA_DIR) else f"{shown}: {problem}")
    if RECORDS_RESOURCE not in seen:
        problems.append(f"{shown}: no {RECORDS_RESOURCE} resource ({RECORDS_PATH})")
    if problems:
        raise PackageError(problems)
    return desc


def file_hash(path: Path) -> tuple[int, str]:
    """(size in bytes, ``sha256:<hex>``) of a file, read in blocks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
            size += len(block)
    return size, f"sha256:{digest.hexdigest()}"


def resource_problems(
    root: Path, resource: dict, *, required: bool = True, hash_limit: int | None = None
) -> list[str]:
    """How a resource's file differs from the ``bytes`` and ``hash`` recorded for it
    (with ``required``, a resource that records neither is a problem too). With
    ``hash_limit``, a file larger than that many bytes has its size checked only."""
    path = resource["path"]
    want_bytes, want_hash = resource.get("bytes"), resource.get("hash")
    if want_bytes is None and want_hash is None:
        if not required:
            return []
        return [
            f"{path}: the package records no bytes or hash for it, so it cannot be verified; "
            "rebuild the package"
        ]
    problems = []
    if want_hash is not None and (not isinstance(want_hash, str) or not _HASH.fullmatch(want_hash)):
        problems.append(f"{path}: recorded hash {want_hash!r} is not sha256:<64 hex digits>")
        want_hash = None
    if want_bytes is not None and (type(want_bytes) is not int or want_bytes < 0):
        problems.append(f"{path}: recorded bytes {want_bytes!r} is not a size")
        want_bytes = None
    try:
        size = os.stat(Path(root) / path).st_size
        digest = None
        if want_hash is not None and (hash_limit is None or size <= hash_limit):
            size, digest = file_hash(Path(root) / path)
    except OSError as exc:
        return [*problems, f"{path}: cannot be read: {exc.strerror}"]
    if want_bytes is not None and size != want_bytes:
        problems.append(
            f"{path}: {size:,} bytes where the package records {want_bytes:,}: "
            "the file was changed or not fully written"
        )
    elif digest is not None and digest != want_hash:
        problems.append(
            f"{path}: its SHA-256 differs from the one the package records: "
            "the file was changed after the build"
        )
    return problems


def verify(root: Path | str, names: list[str] | None = None) -> dict:
    """:func:`check`, then every resource (or those named) against its recorded size and
    hash. Returns the descriptor; raises :class:`PackageError` listing every problem."""
    root = Path(root)
    desc = check(root)
    problems, unrecorded = [], []
    for resource in desc["resources"]:
        if names is None or resource["name"] in names:
            if resource.get("bytes") is None and resource.get("hash") is None:
                unrecorded.append(resource["path"])
            else:
                problems += resource_problems(root, resource)
    if unrecorded:
        which = (
            f"any of its {len(unrecorded)} resources"
            if len(unrecorded) == len(desc["resources"])
            else ", ".join(unrecorded)
        )
        problems.insert(
            0,
            f"{root / DESCRIPTOR}: records no bytes or hash for {which} (a package built "
            "before sizes and hashes were recorded), so it cannot be verified; rebuild it "
            "with 'conflictdata build'",
        )
    if problems:
        raise PackageError(problems)
    return desc


def checked(root: Path | str, names: list[str] | None = None) -> dict:
    """What the loader calls before it reads resources ``names``: :func:`check`, then
    those resources against their recorded size, and hash up to :data:`HASH_LIMIT` bytes.
    A package built before sizes and hashes were recorded has none to check and is read
    as it is (``conflictdata verify`` reports that)."""
    root = Path(root)
    desc = check(root)
    problems = []
    for resource in desc["resources"]:
        if names is None or resource["name"] in names:
            problems += resource_problems(root, resource, required=False, hash_limit=HASH_LIMIT)
    if problems:
        raise PackageError(problems)
    return desc
