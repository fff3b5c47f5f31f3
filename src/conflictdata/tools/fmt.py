"""``conflictdata fmt``: one canonical layout for every record file, comments kept.

The layout (``ruamel.yaml`` round trip, so comments survive):

* keys in the order of the model's fields (unknown keys, which validation reports,
  keep their place after the known ones). A comment at the end of a line moves with
  its field; where a comment on a line of its own sits among fields that are out of
  order, ``fmt`` reports the file instead of guessing which field the comment is about;
* two-space indentation; a list's ``- `` at the indentation of its key;
* mappings and lists of mappings in block style;
* lists of plain values (claim references, country codes, simple names) in flow style
  ``[c1, c2]`` when the line stays within :data:`WIDTH` characters and every item is a
  number or simple text (letters, digits, spaces and ``.'’‘“”()/&+-``), else one per line;
* a date ``YYYY-MM-DD`` always in double quotes;
* other text plain when plain YAML reads it back as the same text, else quoted
  (single quotes, or double quotes when the text holds an apostrophe or needs an
  escape); folded (``>-``) and literal (``|``) text is kept as the author wrapped it,
  and single-line text is never wrapped;
* text with a line break, a tab or another invisible character (a non-breaking
  space, a zero-width space...) in double quotes, where escapes keep it exact;
* one newline at the end.

A formatted file must read back (with the strict reader) to exactly the values of the
original; a file for which that would fail is left alone and reported. Files that do
not parse are reported and left alone.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
)
from ruamel.yaml.tag import Tag

from conflictdata.core import paths
from conflictdata.core.paths import RECORDS_DIR
from conflictdata.model.schemaview import SchemaView
from conflictdata.reader.yamlreader import YamlError, decode, locator, read, resolve_plain

#: The longest line a flow-style list may make.
WIDTH = 88
#: The most values (scalars, lists, mappings) a file may hold to be formatted.
MAX_VALUES = 20_000
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# --- Reading plain scalars exactly as the strict reader does --------------------------------

#: The YAML tag of each type the strict reader makes of a plain scalar.
_TAG_OF = {
    type(None): "tag:yaml.org,2002:null",
    bool: "tag:yaml.org,2002:bool",
    int: "tag:yaml.org,2002:int",
    float: "tag:yaml.org,2002:float",
    str: "tag:yaml.org,2002:str",
}


class _JsonLikeResolver(VersionedResolver):
    """Plain scalars resolve with the strict reader's own function
    (:func:`conflictdata.reader.yamlreader.resolve_plain`): JSON's null, booleans and
    numbers, everything else text (so ``2015-07-16``, ``NO`` and ``0755`` stay text).
    The same function decides, when writing, which text needs quotes."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode and implicit[0]:
            return Tag(suffix=_TAG_OF.get(type(resolve_plain(value)), _TAG_OF[str]))
        return super().resolve(kind, value, implicit)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.Resolver = _JsonLikeResolver
    y.indent(mapping=2, sequence=2, offset=0)
    y.width = 1_000_000  # never wrap a line of text
    y.preserve_quotes = False
    y.allow_unicode = True
    return y


# --- Field order from the schema -------------------------------------------------------------


@lru_cache(maxsize=1)
def _schemas() -> dict:
    from conflictdata.model.schemagen import schemas

    return schemas()


def _schema_for(relpath: str) -> SchemaView | None:
    """The schema of a file under ``records/``, or None for a file that has none."""
    name = paths.schema_name(relpath)
    if name is None:
        return None
    return SchemaView(_schemas()[f"{name}.schema.json"])


def _canonical(
    node, schema: dict | None, view: SchemaView, indent: int, path: tuple = (), where=None
) -> None:
    """Reorder keys, set block/flow styles and quote dates, in place."""
    schema = view.unwrap(schema)[0] if schema else {}
    if isinstance(node, CommentedMap):
        node.fa.set_block_style()
        props = schema.get("properties", {})
        order = [k for k in props if k in node] + [k for k in node if k not in props]
        if list(node) != order:
            if _has_line_comments(node, top=not path):
                first = next(k for k, want in zip(node, order, strict=True) if k != want)
                line, col = where(path + (first,)) if where else (1, 1)
                raise FormatError(
                    line,
                    col,
                    (
                        f"fields out of order around comment lines: put {', '.join(order)} in this order by hand "
                        "(fmt moves fields only where no comment line could end up above the wrong field)"
                    ),
                )
            for key in order:
                node.move_to_end(key)
        for key in list(node):
            value = node[key]
            if isinstance(value, str):
                node[key] = _scalar(value)
            else:
                _canonical(value, props.get(key), view, indent + 2, path + (key,), where)
        for key in list(node):
            value = node[key]
            if isinstance(value, CommentedSeq) and all(_is_scalar(v) for v in value):
                _flow_if_short(value, indent + len(str(key)) + 2)
    elif isinstance(node, CommentedSeq):
        items = schema.get("items") if schema else None
        for i, value in enumerate(node):
            if isinstance(value, str):
                node[i] = _scalar(value)
            else:
                _canonical(value, items, view, indent + 2, path + (i,), where)
        if not all(_is_scalar(v) for v in node):
            node.fa.set_block_style()


def _has_line_comments(node, top: bool = False) -> bool:
    """Whether a comment on a line of its own sits anywhere inside ``node`` (ruamel keeps
    such a comment with the field before it, so moving fields would misplace it). A
    comment at the end of a field's line moves with the field and is fine; so are the
    comments at the top of the file."""
    if not isinstance(node, (CommentedMap, CommentedSeq)):
        return False
    if not top and any(_tokens(node.ca.comment)):
        return True
    for entry in node.ca.items.values():
        for token in _tokens(entry):
            if any(line.strip().startswith("#") for line in token.value.split("\n")[1:]):
                return True
    children = node.values() if isinstance(node, CommentedMap) else node
    return any(_has_line_comments(child) for child in children)


def _tokens(entry):
    if entry is None:
        return
    if isinstance(entry, list):
        for item in entry:
            yield from _tokens(item)
    elif hasattr(entry, "value"):
        yield entry


def _is_scalar(value) -> bool:
    return not isinstance(value, (CommentedMap, CommentedSeq, dict, list))


def _scalar(value: str):
    if isinstance(value, (FoldedScalarString, LiteralScalarString)):
        return value
    if _DATE.fullmatch(value) or not all(c.isprintable() or c == " " for c in value):
        # dates; and text with line breaks, tabs or other invisible characters, which
        # only double quotes keep exactly (as escapes such as \n and \t)
        return DoubleQuotedScalarString(value)
    return value


#: Text simple enough for a flow list: every YAML parser reads it back the same.
_SIMPLE = re.compile(r"[^\W_](?:[\w .'’‘“”()/&+-]*[\w.'’‘“”()/&+-])?")


def _flow_if_short(seq: CommentedSeq, used: int) -> None:
    """Flow style for a short list of numbers, booleans and simple text; else block."""
    has_comments = bool(seq.ca.items) or bool(getattr(seq.ca, "comment", None))
    simple = all(not isinstance(v, str) or (type(v) is str and _SIMPLE.fullmatch(v)) for v in seq)
    rendered = "[" + ", ".join(v if isinstance(v, str) else json.dumps(v) for v in seq) + "]"
    if simple and not has_comments and used + len(rendered) <= WIDTH:
        seq.fa.set_flow_style()
    else:
        seq.fa.set_block_style()


# --- Formatting a file ------------------------------------------------------------------------


class FormatError(Exception):
    """A file that cannot be formatted safely: located like a validation problem."""

    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _root_type(relpath: str) -> type:
    """What the file holds at the top: the withdrawn and redirect lists are lists, the
    rest mappings."""
    return list if relpath in (paths.WITHDRAWN_FILE, paths.REDIRECTS_FILE) else dict


def _count(value) -> int:
    """How many values (scalars, lists and mappings) ``value`` holds, itself included."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def format_text(text: str, relpath: str) -> str:
    """The canonical form of ``text``, a file at ``records/<relpath>``."""
    root = _root_type(relpath)
    try:
        before = read(text, root=root)
    except YamlError as exc:
        raise FormatError(exc.line, exc.col, f"cannot format: {exc.message}") from None
    size = _count(before)
    if size > MAX_VALUES:
        # the round-trip parser takes about 0.1 ms and 1 kB per value: a file of many
        # thousands of values would take minutes; the validator still checks it
        raise FormatError(
            1,
            1,
            f"left as is: the file holds {size:,} values; fmt formats files of at most "
            f"{MAX_VALUES:,} (a record holds a few hundred)",
        )
    y = _yaml()
    try:
        data = y.load(text)
    except Exception as exc:  # ruamel's errors have no common base worth naming
        raise FormatError(1, 1, f"cannot format: {exc}") from None
    view = _schema_for(relpath)
    if view is not None and isinstance(data, (CommentedMap, CommentedSeq)):
        _canonical(data, view.schema, view, 0, (), locator(text, root=root))
    buf = io.StringIO()
    y.dump(data, buf)
    out = buf.getvalue().rstrip("\n") + "\n"
    try:
        after = read(out, root=root)
    except YamlError as exc:
        raise FormatError(
            1, 1, f"left as is: the formatted text would not read back ({exc})"
        ) from None
    if after != before:
        raise FormatError(
            1, 1, "left as is: formatting would change a value; please report this file"
        )
    return out


def files(root: Path, paths: list[Path]) -> list[Path]:
    """The .yaml files to format: those given (folders searched, links to folders not
    followed), or all of records/. Anything else found is left to the reader to refuse."""
    from conflictdata.core.paths import list_files

    if not paths:
        paths = [root / RECORDS_DIR]
    out: list[Path] = []
    for p in paths:
        if p.is_dir() and not p.is_symlink():
            out += [p / rel for rel in list_files(p) if rel.endswith(".yaml")]
        else:
            out.append(p)
    return out


@dataclass
class Outcome:
    """What formatting a set of files found: the files not in the canonical layout (and,
    with ``check``, their diffs), and the files that could not be formatted."""

    check: bool
    changed: list[str] = field(default_factory=list)  # paths as shown
    diffs: list[str] = field(default_factory=list)  # with check: a unified diff per file
    failures: list[str] = field(default_factory=list)  # "path:line:col: message"
    unwritten: list[str] = field(default_factory=list)  # could not be written; kept as it was

    @property
    def ok(self) -> bool:
        return not self.failures and not self.unwritten and not (self.check and self.changed)


def run(root: Path | str, paths: list[Path], check: bool = False) -> Outcome:
    """Format the files (with ``check``, write nothing and collect the diffs instead).

    A file is read only if it is a plain file (a symbolic link is refused, never
    followed: its target could be anywhere) and replaced atomically
    (:mod:`conflictdata.core.atomic`): a file that cannot be written is kept as it was."""
    from conflictdata.core import atomic
    from conflictdata.core.paths import display_path
    from conflictdata.core.safeio import NotReadable, read_plain
    from conflictdata.core.terminal import shown_path
    from conflictdata.reader.yamlreader import MAX_BYTES

    root = Path(root)
    records = (root / RECORDS_DIR).resolve()
    out = Outcome(check)
    for path in files(root, list(paths)):
        shown = shown_path(display_path(path))
        try:
            relpath = path.resolve().relative_to(records).as_posix()
        except (ValueError, OSError, RuntimeError):
            relpath = path.name
        if path.is_symlink():
            out.failures.append(
                f"{shown}:1:1: is a symbolic link; fmt never reads or writes through a link "
                "(replace it with the file itself)"
            )
            continue
        try:
            original = decode(read_plain(path, MAX_BYTES))
        except NotReadable as exc:
            out.failures.append(f"{shown}:1:1: cannot format: {exc.message}")
            continue
        except YamlError as exc:
            out.failures.append(f"{shown}:{exc.line}:{exc.col}: cannot format: {exc.message}")
            continue
        try:
            formatted = format_text(original, relpath)
        except FormatError as exc:
            out.failures.append(f"{shown}:{exc.line}:{exc.col}: {exc.message}")
            continue
        if formatted == original:
            continue
        if check:
            out.changed.append(shown)
            out.diffs.append(
                "".join(
                    difflib.unified_diff(
                        original.splitlines(keepends=True),
                        formatted.splitlines(keepends=True),
                        fromfile=f"a/{shown}",
                        tofile=f"b/{shown}",
                    )
                )
            )
        else:
            try:
                atomic.write_text(path, formatted)
            except atomic.WriteError as exc:
                out.unwritten.append(f"{shown}:1:1: not formatted: {exc}")
                continue
            out.changed.append(shown)
    return out
