"""Where files live: the folders of a checkout, the path of a record or registry entry
from its ID, what kind of file a path under ``records/`` is, and how a path is shown.
"""

from __future__ import annotations

import os
from pathlib import Path

from conflictdata.core import vocab

#: The folder, in the repository root, that holds every record and registry entry.
RECORDS_DIR = "records"

#: Registries that records refer to by ID: folder under ``records/``.
REGISTRIES = {"actor": "actors", "source": "sources"}

#: The list of withdrawn record IDs (tombstones), directly in ``records/``.
WITHDRAWN_FILE = "withdrawn.yaml"
#: The list of redirected actor and source IDs (renamed or merged), directly in ``records/``.
REDIRECTS_FILE = "redirects.yaml"
#: Files in records/ that are not records or registry entries.
EXTRA_FILES = {WITHDRAWN_FILE, REDIRECTS_FILE, "README.md"}
#: The data package's descriptor, at the root of a built release.
DESCRIPTOR = "datapackage.json"
#: Files in one shard folder at most (the serial number's thousands).
SHARD_SIZE = 1000


#: The folder, inside a kind's folder, of records with a placeholder ID (``ARR-NEW-...``).
PENDING_FOLDER = "new"


def record_relpath(record_id: str) -> str:
    """Where a record lives below ``records/``: ``arrests/2015/000/ARR-2015-00001.yaml``;
    a placeholder ``ARR-NEW-3f9a2c1b`` lives in ``arrests/new/ARR-NEW-3f9a2c1b.yaml``."""
    prefix, year, serial = record_id.split("-")
    kind = vocab.KIND_BY_PREFIX[prefix]
    if year == vocab.PENDING:
        return f"{kind.folder}/{PENDING_FOLDER}/{record_id}.yaml"
    return f"{kind.folder}/{year}/{int(serial) // SHARD_SIZE:03d}/{record_id}.yaml"


def is_pending(record_id: str) -> bool:
    """True for a placeholder ID (``ARR-NEW-3f9a2c1b``), waiting for a real one."""
    parts = record_id.split("-")
    return len(parts) == 3 and parts[1] == vocab.PENDING


def pending_files(records: Path) -> list[str]:
    """Paths (relative to ``records/``) of the records that still have a placeholder ID:
    the files in each kind's ``new/`` folder."""
    out = []
    for k in vocab.KINDS:
        folder = Path(records) / k.folder / PENDING_FOLDER
        if folder.is_dir():
            out += sorted(
                f"{k.folder}/{PENDING_FOLDER}/{p.name}"
                for p in folder.iterdir()
                if p.name.endswith(".yaml")
            )
    return out


def registry_relpath(registry: str, entry_id: str) -> str:
    """Where an actor or source lives below ``records/``: ``actors/k/kuwait-moi.yaml``."""
    return f"{REGISTRIES[registry]}/{entry_id[0]}/{entry_id}.yaml"


# --- Listing and showing files ---------------------------------------------------


def entry_id(relpath: str) -> str:
    """The ID a file holds, from its name: ``arrests/2015/000/ARR-2015-00001.yaml`` ->
    ``ARR-2015-00001`` (the file name is the ID, without ``.yaml``)."""
    name = relpath.rsplit("/", 1)[-1]
    return name[: -len(".yaml")] if name.endswith(".yaml") else name


def classify(relpath: str) -> tuple[str, str | None]:
    """What a file under ``records/`` should be, from its folder: ``("record", kind)``,
    ``("actor", None)``, ``("source", None)`` or ``("unknown", None)``."""
    top = relpath.split("/", 1)[0]
    if top in vocab.KIND_BY_FOLDER:
        return "record", vocab.KIND_BY_FOLDER[top].name
    for registry, folder in REGISTRIES.items():
        if top == folder:
            return registry, None
    return "unknown", None


def schema_name(relpath: str) -> str | None:
    """The schema a file under ``records/`` follows (``arrest``, ``actor``, ``withdrawn``;
    ``schema/<name>.schema.json``), or None for a file that is none of them."""
    if relpath == WITHDRAWN_FILE:
        return "withdrawn"
    if relpath == REDIRECTS_FILE:
        return "redirects"
    what, kind = classify(relpath)
    if what == "unknown":
        return None
    return kind if what == "record" else what


def list_files(records: Path) -> list[str]:
    """Every file under ``records/``, as sorted paths relative to it."""
    out: list[str] = []
    stack = [(os.fspath(records), "")]  # (folder on disk, its path relative to records/)
    while stack:
        folder, rel = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, rel + entry.name + "/"))
                else:
                    out.append(rel + entry.name)
    out.sort()
    return out


def display_path(path: Path) -> str:
    """A path as a contributor would type it: relative to the working folder if inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel.replace(os.sep, "/")


_SHOWN_PREFIX: dict = {}


def display_record_path(root: Path, relpath: str) -> str:
    """``display_path(root / "records" / relpath)``, with the folder's part worked out once
    per root and working folder instead of once per file."""
    if os.sep != "/":
        return display_path(root / RECORDS_DIR / relpath)
    cwd = os.getcwd()
    key = (root, cwd)
    prefix = _SHOWN_PREFIX.get(key)
    if prefix is None:
        records = os.path.abspath(root / RECORDS_DIR)
        if cwd.startswith(records + "/"):  # working below records/: some files are inside it
            prefix = False
        else:
            folder = display_path(root / RECORDS_DIR)
            prefix = "" if folder == "." else folder + "/"
        _SHOWN_PREFIX[key] = prefix
    if prefix is False:
        return display_path(root / RECORDS_DIR / relpath)
    return prefix + relpath
