"""The strict YAML reader: JSON-like data out of YAML, on top of libyaml's C parser.

What it accepts is YAML 1.2 restricted to what JSON can say:

* plain scalars resolve like JSON: ``null``/``~``/empty, ``true``/``false``, integers
  without leading zeros, decimal floats; everything else is a string, so ``NO``,
  ``off``, ``yes``, ``0755``, ``1:20`` and ``2015-07-16`` stay strings;
* ``.nan`` and ``.inf`` resolve to floats so that the model can reject them by name;
* no anchors, aliases or merge keys; no tags but the JSON-like core tags;
* mapping keys are strings and unique; the root is a mapping; one document per file;
* UTF-8 without a byte-order mark, LF line endings, a size limit and a depth limit;
* a number is at most :data:`MAX_NUMBER_CHARS` characters long (Python refuses to
  convert integers of more than 4,300 digits, and no field needs more than a few).

Every error is a :class:`YamlError` with a line and column (1-based).

:func:`read` is the fast path: plain Python values, no positions. When a record turns
out to be invalid, :func:`locator` reads the text again and finds the line and column
of any field path, so that positions cost nothing for valid files.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from yaml import MarkedYAMLError

from conflictdata.reader import LIBYAML_FIX

try:  # libyaml's parser, through PyYAML's public C loader (events only, nothing constructed)
    from yaml import CBaseLoader as CParser
except ImportError:  # PyYAML built without libyaml
    raise ImportError(LIBYAML_FIX) from None
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.reader import ReaderError

MAX_BYTES = 1_000_000
MAX_DEPTH = 32
#: The longest number literal the reader converts; longer ones are a located error.
MAX_NUMBER_CHARS = 100

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_SPECIAL_FLOATS = {
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
    ".inf": math.inf,
    ".Inf": math.inf,
    ".INF": math.inf,
    "+.inf": math.inf,
    "+.Inf": math.inf,
    "+.INF": math.inf,
    "-.inf": -math.inf,
    "-.Inf": -math.inf,
    "-.INF": -math.inf,
}
#: First characters of the plain scalars that may resolve to something other than text
#: (null, true/false, numbers, special floats); every other plain scalar is a string.
_RESOLVE_FIRST = frozenset("~nNtTfF-+.0123456789")
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq")} | {"!"}


@dataclass
class YamlError(Exception):
    """A located problem with the YAML text itself."""

    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}:{self.col}: {self.message}"


class RootError(YamlError):
    """Well-formed YAML whose top level is not the kind of value the file holds."""


class _NumberTooLong(ValueError):
    """A number literal longer than :data:`MAX_NUMBER_CHARS` (located by the caller)."""


def _too_long(value: str, mark) -> YamlError:
    return YamlError(
        mark.line + 1,
        mark.column + 1,
        f"a number of {len(value):,} characters; numbers are limited to {MAX_NUMBER_CHARS} "
        "characters (quote the value if it is text)",
    )


def resolve_plain(value: str):
    """What a plain (unquoted, untagged) scalar means: None, a bool, an int, a float or
    the text itself."""
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    first = value[0]
    if first == "-" or first.isdigit():
        if len(value) > MAX_NUMBER_CHARS and _FLOAT.fullmatch(value):
            raise _NumberTooLong(value)
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
    if first in "-.+" and value in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[value]
    return value


def _tagged(value: str, tag: str, mark):
    """A scalar with an explicit core tag: it must be what the tag says."""
    name = tag[len(_CORE) :] if tag.startswith(_CORE) else "str"
    if name == "str":
        return value
    try:
        resolved = resolve_plain(value)
    except _NumberTooLong:
        raise _too_long(value, mark) from None
    ok = {
        "int": lambda v: type(v) is int,
        "float": lambda v: type(v) in (int, float),
        "bool": lambda v: type(v) is bool,
        "null": lambda v: v is None,
    }.get(name)
    if ok is None or not ok(resolved):
        raise YamlError(mark.line + 1, mark.column + 1, f"value {value!r} is not a valid !!{name}")
    return float(resolved) if name == "float" else resolved


def decode(data: bytes) -> str:
    """UTF-8 text from bytes, or a located :class:`YamlError`."""
    if len(data) > MAX_BYTES:
        raise YamlError(
            1, 1, f"file is {len(data):,} bytes; records are limited to {MAX_BYTES:,} bytes"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        raise YamlError(1, 1, "file starts with a byte-order mark; save it as UTF-8 without BOM")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlError(
            line, col, f"invalid UTF-8 byte {data[exc.start]:#04x}; save the file as UTF-8"
        ) from None
    if "\r" in text:
        pos = text.index("\r")
        line = text.count("\n", 0, pos) + 1
        raise YamlError(
            line,
            pos - (text.rfind("\n", 0, pos) + 1) + 1,
            "carriage return (CRLF or CR line ending); records use LF line endings",
        )
    return text


def read(data: bytes | str, *, marks: dict | None = None, root: type = dict):
    """Parse one record file into plain Python values.

    With ``marks``, also fill it with ``{path: (line, col)}`` for every mapping key and
    sequence item, where a path is a tuple of keys and indexes.

    ``root`` is what the file holds at the top: a mapping (``dict``, a record) or a list
    (``list``, such as records/withdrawn.yaml, where an empty file is an empty list).
    """
    text = decode(data) if isinstance(data, bytes) else data
    parser = CParser(text)
    try:
        return _build(parser, marks, root)
    except ReaderError as exc:  # a character YAML does not allow, such as a control character
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        raise YamlError(
            line, col, f"character {exc.character!r} is not allowed in YAML; remove it"
        ) from None
    except MarkedYAMLError as exc:
        if "maximum nesting depth" in (exc.problem or ""):
            # libyaml's own depth limit, met while its scanner looks ahead: read again with
            # PyYAML's Python parser (same events, no such limit), which stops at MAX_DEPTH
            # where it is crossed.
            return read_nested(text, marks, root)
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
            problem = "tab character; indent with spaces, never tabs"
        raise YamlError(
            mark.line + 1 if mark else 1,
            mark.column + 1 if mark else 1,
            f"YAML syntax error: {problem}",
        ) from None
    finally:
        parser.dispose()


def read_nested(text: str, marks: dict | None, root: type):
    """:func:`read` with PyYAML's pure-Python parser, for text nested beyond libyaml's limit."""
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _PyParser(Reader, Scanner, Parser):
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

    try:
        return _build(_PyParser(text), marks, root)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(
            mark.line + 1 if mark else 1,
            mark.column + 1 if mark else 1,
            f"YAML syntax error: {exc.problem or 'invalid YAML'}",
        ) from None


_ROOTS = {
    dict: (MappingStartEvent, "a record is a mapping of fields (key: value)"),
    list: (SequenceStartEvent, "this file is a list of entries, each starting with '- '"),
}


def _build(parser, marks, root_type=dict):  # noqa: C901 - one tight loop, kept together for speed
    start_event, expected = _ROOTS[root_type]
    get = parser.get_event
    get()  # StreamStartEvent
    event = get()
    if isinstance(event, StreamEndEvent):
        if root_type is list:
            return []
        raise YamlError(1, 1, "file is empty (or only comments); a record is a mapping of fields")
    if not isinstance(event, DocumentStartEvent):  # pragma: no cover - libyaml guarantees it
        raise YamlError(1, 1, "expected a document")
    first = get()
    if not isinstance(first, start_event):
        m = first.start_mark
        what = {
            SequenceStartEvent: "a list",
            MappingStartEvent: "a mapping",
            AliasEvent: "an alias",
        }.get(type(first), "a single value")
        raise RootError(m.line + 1, m.column + 1, f"the file holds {what}; {expected}")

    # The loop keeps the innermost open container in locals (container, is_map, key,
    # path) and the enclosing ones on a stack; paths are built only when marks are wanted.
    root = root_type()
    _check_node(first)
    track = marks is not None
    if track:
        marks[()] = (first.start_mark.line + 1, first.start_mark.column + 1)
    stack: list = []  # (container, is_map, path) of each enclosing container
    container, is_map, key, path = root, root_type is dict, None, ()
    depth = 1
    resolve, special = resolve_plain, _RESOLVE_FIRST
    scalar_cls, map_start, seq_start, map_end, seq_end = (
        ScalarEvent,
        MappingStartEvent,
        SequenceStartEvent,
        MappingEndEvent,
        SequenceEndEvent,
    )
    while True:
        event = get()
        cls = type(event)
        if cls is scalar_cls:
            if event.anchor is not None:
                _no_anchor(event)
            tag = event.tag
            if tag is None and not event.style and event.implicit[0]:
                value = event.value
                if not value or value[0] in special:  # anything else is a plain string
                    try:
                        value = resolve(value)
                    except _NumberTooLong:
                        raise _too_long(value, event.start_mark) from None
            elif tag is None or tag == "!":
                value = event.value
            elif tag in _ALLOWED_TAGS:
                value = _tagged(event.value, tag, event.start_mark)
            else:
                _bad_tag(event)
            if is_map:
                if key is None:
                    if type(value) is not str:
                        m = event.start_mark
                        raise YamlError(
                            m.line + 1,
                            m.column + 1,
                            f"key {event.value!r} must be a field name (text), not {_type_name(value)}",
                        )
                    if value in container:
                        m = event.start_mark
                        raise YamlError(
                            m.line + 1,
                            m.column + 1,
                            f"duplicate key {value!r}: each field may appear once",
                        )
                    if value == "<<" and event.implicit[0] and not event.style:
                        m = event.start_mark
                        raise YamlError(
                            m.line + 1,
                            m.column + 1,
                            "merge keys (<<) are not allowed; write the fields out",
                        )
                    key = value
                    if track:
                        marks[path + (value,)] = (
                            event.start_mark.line + 1,
                            event.start_mark.column + 1,
                        )
                    continue
                container[key] = value
                key = None
            else:
                if track:
                    marks[path + (len(container),)] = (
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                    )
                container.append(value)
        elif cls is map_start or cls is seq_start:
            if event.anchor is not None or event.tag is not None:
                _check_node(event)
            if is_map and key is None:
                m = event.start_mark
                raise YamlError(
                    m.line + 1, m.column + 1, "a key must be a field name, not a mapping or list"
                )
            if depth >= MAX_DEPTH:
                m = event.start_mark
                raise YamlError(m.line + 1, m.column + 1, f"nesting deeper than {MAX_DEPTH} levels")
            new = {} if cls is map_start else []
            if is_map:
                container[key] = new
                inner = path + (key,) if track else None
            else:
                inner = path + (len(container),) if track else None
                if track:
                    marks[inner] = (event.start_mark.line + 1, event.start_mark.column + 1)
                container.append(new)
            stack.append((container, is_map, path))
            container, is_map, key, path = new, cls is map_start, None, inner
            depth += 1
        elif cls is map_end or cls is seq_end:
            if not stack:
                break
            container, is_map, path = stack.pop()
            key = None
            depth -= 1
        elif cls is AliasEvent:
            m = event.start_mark
            raise YamlError(
                m.line + 1,
                m.column + 1,
                f"alias *{event.anchor} is not allowed; repeat the value instead of referring to it",
            )
        else:  # pragma: no cover - libyaml emits nothing else inside a document
            m = event.start_mark
            raise YamlError(m.line + 1, m.column + 1, f"unexpected {cls.__name__}")
    get()  # DocumentEndEvent
    event = get()
    if not isinstance(event, StreamEndEvent):
        m = event.start_mark
        raise YamlError(
            m.line + 1, m.column + 1, "a second document (---) in the file; one record per file"
        )
    return root


def _check_node(event) -> None:
    if event.anchor is not None:
        _no_anchor(event)
    if event.tag is not None and event.tag not in _ALLOWED_TAGS:
        _bad_tag(event)


def _no_anchor(event):
    m = event.start_mark
    raise YamlError(
        m.line + 1,
        m.column + 1,
        f"anchor &{event.anchor} is not allowed; records use no anchors or aliases",
    )


def _bad_tag(event):
    m = event.start_mark
    raise YamlError(
        m.line + 1,
        m.column + 1,
        f"tag {event.tag.replace(_CORE, '!!')} is not allowed; records hold only text, "
        "numbers, true/false, null, lists and mappings",
    )


def _type_name(value) -> str:
    return {bool: "true/false", int: "a number", float: "a number", type(None): "null"}.get(
        type(value), "a value"
    )


def locator(text: str, root: type = dict):
    """A function from field path to (line, col), reading ``text`` once."""
    marks: dict = {}
    try:
        read(text, marks=marks, root=root)
    except YamlError:
        pass

    def find(path: tuple) -> tuple[int, int]:
        for end in range(len(path), -1, -1):
            if path[:end] in marks:
                return marks[path[:end]]
        return (1, 1)

    return find
