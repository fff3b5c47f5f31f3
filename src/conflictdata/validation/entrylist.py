"""Reading a list file of ``records/`` (the tombstones of ``withdrawn.yaml``, the
redirects of ``redirects.yaml``): a YAML list whose items are validated one by one
against a model, every problem located in the file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from conflictdata.core.paths import display_path
from conflictdata.core.safeio import NotReadable, read_plain
from conflictdata.reader.yamlreader import MAX_BYTES, RootError, YamlError, decode, locator, read
from conflictdata.validation import codes
from conflictdata.validation.problems import Problem, field_path, pydantic_message


@dataclass
class EntryList:
    """A parsed list file, with the problems found while reading it."""

    entries: list[tuple[int, BaseModel]] = field(default_factory=list)  # (index in file, entry)
    problems: list[Problem] = field(default_factory=list)
    path: str = ""  # as shown in problems
    where: object = None  # field path -> (line, col)

    def line_of(self, loc: tuple) -> tuple[int, int]:
        return self.where(loc) if self.where else (1, 1)


def read_entries(out: EntryList, path: Path, model: type[BaseModel], code: str, shape: str):
    """Fill ``out`` from the list file at ``path`` (a missing file is an empty list):
    each item validated against ``model``; a file that is not a list gets ``shape`` (what
    the file should look like) as its message; item problems are reported under ``code``."""
    shown = out.path = display_path(path)
    if not os.path.lexists(path):
        return out
    try:  # a link, a folder, a FIFO or an oversized file is refused, never read
        raw = read_plain(path, MAX_BYTES)
    except NotReadable as exc:
        out.problems.append(Problem(shown, 1, 1, "", exc.message, codes.IO))
        return out
    try:
        text = decode(raw)
        value = read(text, root=list)
    except RootError as exc:
        out.problems.append(Problem(shown, exc.line, exc.col, "", shape, code))
        return out
    except YamlError as exc:
        out.problems.append(Problem(shown, exc.line, exc.col, "", exc.message, codes.YAML))
        return out
    where = out.where = locator(text, root=list)
    for index, item in enumerate(value):
        try:
            out.entries.append((index, model.model_validate(item)))
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc, message = pydantic_message(error, model)
                loc = (index,) + tuple(loc)
                line, col = where(loc)
                out.problems.append(Problem(shown, line, col, field_path(loc), message, code))
    return out
