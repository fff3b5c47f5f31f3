"""Redirects: renamed and merged actors and sources keep their old IDs as pointers.

An actor or source ID, once merged on the main branch, is cited by records, by users of
the published data and by other datasets. Renaming an actor (a corrected spelling) or
merging two sources that were the same article must not make the old ID vanish, so the
old ID is listed in ``records/redirects.yaml`` (schema ``schema/redirects.schema.json``),
a list of :class:`~conflictdata.model.models.Redirect` entries::

    - registry: actor
      id: igor-rogachev
      replaced_by: ilya-rogachev
      reason: renamed
      moved: "2026-11-29"
      note: The sources name him Ilya Rogachev.

The rules here:

* ``redirects``: the file is a valid list; an old ID is listed once per registry; the
  old ID has no file any more; ``replaced_by`` names an existing entry of the same
  registry that is not itself redirected (a redirect points straight to the current ID);
* ``moved-id`` (in :mod:`conflictdata.validation.rules`): a record, actor or source
  that still uses an old ID is told the new one;
* ``id-loss``: an actor or source ID present at a base revision is still an entry, or
  has a redirect (:func:`lost_entries`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from conflictdata.core import paths
from conflictdata.core.paths import RECORDS_DIR, REDIRECTS_FILE, classify, display_path, entry_id
from conflictdata.core.safeio import NotReadable, read_plain
from conflictdata.model.models import Redirect
from conflictdata.reader.yamlreader import MAX_BYTES, RootError, YamlError, decode, locator, read
from conflictdata.validation import codes
from conflictdata.validation.problems import Problem, field_path, pydantic_message

FILE_NAME = REDIRECTS_FILE


@dataclass
class Redirects:
    """The parsed redirect list, with the problems found while reading it."""

    entries: list[tuple[int, Redirect]] = field(default_factory=list)  # (index, entry)
    problems: list[Problem] = field(default_factory=list)
    path: str = f"{RECORDS_DIR}/{FILE_NAME}"
    where: object = None  # field path -> (line, col)

    def table(self) -> dict[tuple[str, str], Redirect]:
        """(registry, old ID) -> entry (the first, if one is listed twice)."""
        out: dict[tuple[str, str], Redirect] = {}
        for _, entry in self.entries:
            out.setdefault((entry.registry, entry.id), entry)
        return out

    def line_of(self, loc: tuple) -> tuple[int, int]:
        return self.where(loc) if self.where else (1, 1)


def load(root: Path | str) -> Redirects:
    """Read ``records/redirects.yaml`` (a missing file is an empty list)."""
    path = Path(root) / RECORDS_DIR / FILE_NAME
    shown = display_path(path)
    out = Redirects(path=shown)
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
                "redirects.yaml is a list of entries, each starting with '- registry: actor|source'",
                codes.REDIRECTS,
            )
        )
        return out
    except YamlError as exc:
        out.problems.append(Problem(shown, exc.line, exc.col, "", exc.message, codes.YAML))
        return out
    where = out.where = locator(text, root=list)
    for index, item in enumerate(value):
        try:
            out.entries.append((index, Redirect.model_validate(item)))
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc, message = pydantic_message(error, Redirect)
                loc = (index,) + tuple(loc)
                line, col = where(loc)
                out.problems.append(
                    Problem(shown, line, col, field_path(loc), message, codes.REDIRECTS)
                )
    return out


def _entry_path(root: Path, registry: str, entry_id: str) -> Path:
    return Path(root) / RECORDS_DIR / paths.registry_relpath(registry, entry_id)


def check(root: Path | str, redirects: Redirects | None = None) -> list[Problem]:
    """The rules on the redirect list itself."""
    root = Path(root)
    found = redirects if redirects is not None else load(root)
    problems = list(found.problems)
    old = {(e.registry, e.id) for _, e in found.entries}
    seen: set[tuple[str, str]] = set()

    def problem(index: int, name: str, message: str) -> None:
        loc = (index, name)
        line, col = found.line_of(loc)
        problems.append(Problem(found.path, line, col, field_path(loc), message, codes.REDIRECTS))

    for index, entry in found.entries:
        key = (entry.registry, entry.id)
        if key in seen:
            problem(index, "id", f"{entry.registry} {entry.id} is listed twice; list it once")
            continue
        seen.add(key)
        relpath = paths.registry_relpath(entry.registry, entry.id)
        if _entry_path(root, entry.registry, entry.id).is_file():
            problem(
                index,
                "id",
                f"{entry.registry} {entry.id} redirects to {entry.replaced_by} but records/{relpath} "
                f"still exists; delete it (an old ID is never used again)",
            )
        target = entry.replaced_by
        if target == entry.id:
            problem(index, "replaced_by", "an ID cannot redirect to itself")
        elif (entry.registry, target) in old:
            final = found.table()[(entry.registry, target)].replaced_by
            problem(
                index,
                "replaced_by",
                f"{target} is itself redirected (to {final}); point straight to the current ID",
            )
        elif not _entry_path(root, entry.registry, target).is_file():
            problem(
                index,
                "replaced_by",
                f"{entry.registry} {target} does not exist "
                f"(no records/{paths.registry_relpath(entry.registry, target)})",
            )
    return problems


def registry_ids(relpaths: Iterable[str]) -> dict[tuple[str, str], str]:
    """(registry, ID) -> path relative to ``records/``, for the actors and sources among
    ``relpaths``."""
    out = {}
    for rel in relpaths:
        if not rel.endswith(".yaml"):
            continue
        what, _ = classify(rel)
        if what in paths.REGISTRIES:
            out[(what, entry_id(rel))] = rel
    return out


def lost_entries(
    root: Path | str,
    before: dict[tuple[str, str], str],
    now_exists,
    base: str,
    redirects: Redirects | None = None,
) -> list[Problem]:
    """``id-loss`` problems: actors and sources in ``before`` ((registry, ID) -> path at
    ``base``) that no longer exist (``now_exists(registry, id)`` is false) and have no
    redirect."""
    found = redirects if redirects is not None else load(root)
    moved = found.table()
    problems = []
    for (registry, old), relpath in sorted(before.items()):
        if (registry, old) in moved or now_exists(registry, old):
            continue
        problems.append(
            Problem(
                found.path,
                1,
                1,
                "",
                f"{registry} {old} (records/{relpath} at {base}) is gone and has no redirect: "
                f"published IDs never disappear silently. Restore the file, or add an entry to "
                f"{found.path}: '- {{registry: {registry}, id: {old}, replaced_by: NEW-ID, "
                f'reason: renamed|merged, moved: "YYYY-MM-DD"}}\'',
                codes.ID_LOSS,
            )
        )
    return problems
