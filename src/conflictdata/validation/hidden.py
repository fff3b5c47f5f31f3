"""The ``hidden-text`` rule: no text holds a character that changes how text is shown.

A bidirectional embedding, override or isolate (U+202A to U+202E, U+2066 to U+2069)
makes the text after it show in another order than it is stored: a title or a quote
could read one way in a terminal, a review or a web page and say another in the data.
A control character (an escape such as ``\\e[31m``, a backspace, a bell) can hide or
repaint text where it is printed; line breaks (LF, CR, NEL) and the tab are text. The
YAML reader refuses these characters written raw, except the bidirectional ones, and a
double-quoted escape gets any of them through, so this rule looks at the values. The
bidirectional marks (U+200E, U+200F, U+061C), which some right-to-left text needs, are
allowed; outputs show all of these escaped (:mod:`conflictdata.core.terminal`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

from conflictdata.core.terminal import describe
from conflictdata.validation import codes
from conflictdata.validation.rules import rule

#: Control characters but the line breaks and the tab (LF, CR, NEL, TAB: text may hold
#: lines, and outputs escape them where they could act), and the bidirectional
#: embeddings, overrides and isolates.
HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")


def _texts(value, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name, None), path + (name,))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _texts(item, path + (i,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, path + (key,))


def _hidden(model, lookup):
    for path, text in _texts(model):
        found = HIDDEN.search(text)
        if found:
            yield (
                path,
                f"holds {describe(found.group())} at character {found.start() + 1}, which "
                "changes how the text is shown; check the source and write the text without it",
            )


for _kind in ("record", "actor", "source"):
    rule(codes.HIDDEN_TEXT, _kind, needs=("*",))(_hidden)
