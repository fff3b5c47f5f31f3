"""Choosing IDs: the next free serial number of a kind and year, never one that is
taken or was withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from conflictdata.core import paths, vocab
from conflictdata.core.git import DEFAULT_BASES, ids_at, is_revision
from conflictdata.validation import withdrawn


def next_free_serial(taken: Iterable[str], prefix: str, year: int) -> int:
    """The serial after the highest one of ``prefix``-``year`` among ``taken`` IDs."""
    head = f"{prefix}-{year:04d}-"
    serials = [
        int(i[len(head) :]) for i in taken if i.startswith(head) and i[len(head) :].isdigit()
    ]
    return max(serials, default=0) + 1


def next_record_id(root: Path | str, kind: str, year: int) -> str:
    """The next free ID of ``kind`` for ``year``: one past the highest serial used by a
    record in the tree, a record on the base branch (``origin/main`` or ``main``, when
    the tree is a git checkout) or a withdrawn ID, so that no ID is ever used twice."""

    k = vocab.KIND_BY_NAME[kind]
    relfolder = f"{paths.RECORDS_DIR}/{k.folder}/{year:04d}"
    folder = Path(root) / relfolder
    taken = {p.stem for p in folder.glob("*/*.yaml")} if folder.is_dir() else set()
    taken |= withdrawn.load(root).ids
    base = next((b for b in DEFAULT_BASES[:-1] if is_revision(Path(root), b)), None)
    if base is not None:
        taken |= ids_at(Path(root), base, relfolder)
    serial = next_free_serial(taken, k.prefix, year)
    return f"{k.prefix}-{year:04d}-{serial:05d}"


# --- Rendering the template from the schema ----------------------------------------------
