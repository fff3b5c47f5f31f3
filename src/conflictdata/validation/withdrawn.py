"""Withdrawn record IDs: the tombstones that keep a published ID from vanishing.

``records/withdrawn.yaml`` is a list of :class:`~conflictdata.model.models.Withdrawal`
entries (schema ``schema/withdrawn.schema.json``)::

    - id: ARR-2015-00002
      reason: duplicate
      replaced_by: ARR-2015-00001
      withdrawn: "2026-11-22"
      note: Same arrests as ARR-2015-00001, reported twice.

The rules here:

* ``withdrawn``: the file is a valid list; an ID is listed once; ``replaced_by`` is
  given for ``duplicate`` and ``merged`` (and only names a record that exists and is not
  itself withdrawn);
* ``withdrawn-reused``: a withdrawn ID never exists as a record again;
* ``id-loss``: a record ID present at a base revision is still in the tree, or is
  listed here (:func:`lost_ids`).

Every check costs one path lookup per withdrawn or deleted ID, never a walk of the
corpus, so the same functions serve a full run and a run over changed files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from conflictdata.core import paths
from conflictdata.core.paths import RECORDS_DIR, WITHDRAWN_FILE, classify, display_path, entry_id
from conflictdata.core.safeio import NotReadable, read_plain
from conflictdata.model.models import Withdrawal
from conflictdata.reader.yamlreader import MAX_BYTES, RootError, YamlError, decode, locator, read
from conflictdata.validation import codes
from conflictdata.validation.problems import Problem, field_path, pydantic_message

#: Reasons that need ``replaced_by``.
NEEDS_REPLACEMENT = frozenset({"duplicate", "merged"})


@dataclass
class Tombstones:
    """The parsed withdrawn list, with the problems found while reading it."""

    entries: list[tuple[int, Withdrawal]] = field(
        default_factory=list
    )  # (index in the file, entry)
    problems: list[Problem] = field(default_factory=list)
    path: str = f"{RECORDS_DIR}/{WITHDRAWN_FILE}"
    where: object = None  # field path -> (line, col)

    @property
    def ids(self) -> set[str]:
        return {e.id for _, e in self.entries}

    def line_of(self, loc: tuple) -> tuple[int, int]:
        return self.where(loc) if self.where else (1, 1)


def load(root: Path | str) -> Tombstones:
    """Read ``records/withdrawn.yaml`` (a missing file is an empty list)."""
    path = Path(root) / RECORDS_DIR / WITHDRAWN_FILE
    shown = display_path(path)
    out = Tombstones(path=shown)
    if not os.path.lexists(path):
        return out
    try:
        raw = read_plain(path, MAX_BYTES)
    except NotReadable as exc:
        out.problems.append(Problem(shown, 1, 1, "", exc.message, codes.IO))
        return out
    try:
        text = decode(raw)
        value = read(text, root=list)
    except RootError as exc:
        out.problems.append(
            Problem(
                shown,
                exc.line,
                exc.col,
                "",
                "withdrawn.yaml is a list of entries, each starting with '- id: ...'",
                codes.WITHDRAWN,
            )
        )
        return out
    except YamlError as exc:
        out.problems.append(Problem(shown, exc.line, exc.col, "", exc.message, codes.YAML))
        return out
    where = out.where = locator(text, root=list)
    for index, item in enumerate(value):
        try:
            out.entries.append((index, Withdrawal.model_validate(item)))
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc, message = pydantic_message(error, Withdrawal)
                loc = (index,) + tuple(loc)
                line, col = where(loc)
                out.problems.append(
                    Problem(shown, line, col, field_path(loc), message, codes.WITHDRAWN)
                )
    return out


def _record_path(root: Path, record_id: str) -> Path:
    return Path(root) / RECORDS_DIR / paths.record_relpath(record_id)


def check(root: Path | str, tombstones: Tombstones | None = None) -> list[Problem]:
    """The rules on the withdrawn list itself, and that no withdrawn ID is a record again."""
    root = Path(root)
    stones = tombstones if tombstones is not None else load(root)
    problems = list(stones.problems)
    seen: dict[str, int] = {}
    withdrawn = stones.ids
    for index, entry in stones.entries:
        if entry.id in seen:
            line, col = stones.line_of((index, "id"))
            problems.append(
                Problem(
                    stones.path,
                    line,
                    col,
                    field_path((index, "id")),
                    f"{entry.id} is listed twice; list each withdrawn ID once",
                    codes.WITHDRAWN,
                )
            )
            continue
        seen[entry.id] = index
        if entry.reason in NEEDS_REPLACEMENT and entry.replaced_by is None:
            line, col = stones.line_of((index, "reason"))
            problems.append(
                Problem(
                    stones.path,
                    line,
                    col,
                    field_path((index, "replaced_by")),
                    f"reason {entry.reason!r} needs replaced_by: the ID of the record that replaces {entry.id}",
                    codes.WITHDRAWN,
                )
            )
        if entry.replaced_by is not None:
            loc = (index, "replaced_by")
            line, col = stones.line_of(loc)
            if entry.replaced_by == entry.id:
                problems.append(
                    Problem(
                        stones.path,
                        line,
                        col,
                        field_path(loc),
                        "a record cannot replace itself",
                        codes.WITHDRAWN,
                    )
                )
            elif entry.replaced_by in withdrawn:
                problems.append(
                    Problem(
                        stones.path,
                        line,
                        col,
                        field_path(loc),
                        f"{entry.replaced_by} is itself withdrawn; name the record that replaces it now",
                        codes.WITHDRAWN,
                    )
                )
            elif not _record_path(root, entry.replaced_by).is_file():
                problems.append(
                    Problem(
                        stones.path,
                        line,
                        col,
                        field_path(loc),
                        f"record {entry.replaced_by} does not exist (no "
                        f"records/{paths.record_relpath(entry.replaced_by)})",
                        codes.WITHDRAWN,
                    )
                )
        path = _record_path(root, entry.id)
        if path.is_file():
            shown = display_path(path)
            try:
                line, col = locator(path.read_text(encoding="utf-8"))(("id",))
            except (OSError, UnicodeDecodeError):
                line, col = 1, 1
            problems.append(
                Problem(
                    shown,
                    line,
                    col,
                    "id",
                    f"{entry.id} was withdrawn ({entry.reason}, listed in {stones.path}); a "
                    "withdrawn ID is never used again: "
                    f"run 'conflictdata new' for a fresh ID",
                    codes.WITHDRAWN_REUSED,
                )
            )
    return problems


def record_ids(relpaths: Iterable[str]) -> dict[str, str]:
    """Record ID -> path relative to ``records/``, for the record files among ``relpaths``."""
    return {
        entry_id(rel): rel
        for rel in relpaths
        if rel.endswith(".yaml") and classify(rel)[0] == "record"
    }


def lost_ids(
    root: Path | str,
    before: dict[str, str],
    now_exists,
    base: str,
    tombstones: Tombstones | None = None,
) -> list[Problem]:
    """``id-loss`` problems: IDs in ``before`` (ID -> path at ``base``) that no longer
    exist (``now_exists(id)`` is false) and have no tombstone."""
    root = Path(root)
    stones = tombstones if tombstones is not None else load(root)
    withdrawn = stones.ids
    problems = []
    for record_id, relpath in sorted(before.items()):
        if record_id in withdrawn or now_exists(record_id):
            continue
        problems.append(
            Problem(
                stones.path,
                1,
                1,
                "",
                f"{record_id} (records/{relpath} at {base}) is gone and has no tombstone: published IDs never "
                f"disappear silently. Restore the file, or add an entry to {stones.path}: "
                f"'- {{id: {record_id}, reason: duplicate|merged|out_of_scope|retracted|privacy, "
                f'replaced_by: ID (for duplicate and merged), withdrawn: "YYYY-MM-DD"}}\'',
                codes.ID_LOSS,
            )
        )
    return problems
