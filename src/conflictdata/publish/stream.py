"""Streaming the release: every entry (record, actor, source, withdrawn ID) is rendered
on its own, spilled to a temporary file, and the release is written from the spill in ID
order, so a build holds one entry's output at a time, whatever the size of the corpus.

An entry's output is a set of *parts*: its line of ``data/records.json``, the CSV text
of the rows it adds to each table, and for a source its entry in the descriptor's
``sources``. The rows come from :func:`conflictdata.publish.tables.entity_rows`: every
table is sorted by the key of the entry its rows come from first, so the parts of all
entries, concatenated in ID order, are byte for byte the files an in-memory build of all
entries writes. A table added to the layout (and to ``entity_rows``) reaches the
release without any change here.

:class:`Renderer` runs in the validation workers, right after a file is checked, so
rendering is spread over the cores; :class:`Spill` keeps the rendered parts on disk in
the build process with a small index (ID, offset, length) per entry.
"""

from __future__ import annotations

import csv
import io
import json
import marshal
import os
import tempfile
from array import array
from collections.abc import Iterator, Mapping
from pathlib import Path

from conflictdata.publish import tables

#: The part that is the entry's line of records.json.
JSON_PART = "records.json"
#: The part that is a source's entry in the descriptor's ``sources`` list.
SOURCE_PART = "datapackage.json"

#: Entry kinds, in the order their sections appear in records.json.
SECTIONS = (("record", "records"), ("actor", "actors"), ("source", "sources"))


def json_line(data: dict) -> str:
    """One entry as it appears on its line of records.json: compact JSON."""
    return _compact(data)


# json.dumps(data, ensure_ascii=False, separators=(",", ":")) without building an encoder
# per call; the data is a model's JSON dump, a tree with no cycles to look for.
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def source_entry(source: dict) -> dict:
    """A source as listed in the descriptor's ``sources``."""
    out = {"title": f"{source['publisher']}: {source['title']} ({source['published']['earliest']})"}
    if source.get("url"):
        out["path"] = source["url"]
    return out


def source_entry_text(source: dict) -> str:
    """A source's descriptor entry as ``json.dumps(descriptor, indent=2)`` writes an item
    of the top-level ``sources`` list: indented by four spaces."""
    text = json.dumps(source_entry(source), ensure_ascii=False, indent=2)
    return "\n".join("    " + line for line in text.split("\n"))


class CsvRenderer:
    """The CSV text of a table's rows, without the header (see ``build`` for the rules)."""

    def __init__(self, table: tables.Table):
        self.texts = [i for i, c in enumerate(table.columns) if c.type == "string"]
        # Text and integers are written as they are and None as an empty cell by the csv
        # module itself; only booleans and numbers go through tables.cell.
        self.convert = [i for i, c in enumerate(table.columns) if c.type in ("boolean", "number")]
        # One buffer and one writer for every body, emptied before each: a body is
        # rendered per entry and per table, hundreds of thousands of times in a build.
        self._out = io.StringIO(newline="")
        self._writer = csv.writer(self._out, lineterminator="\n")

    def header(self, table: tables.Table) -> str:
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\n").writerow(table.field_names)
        return out.getvalue()

    def body(self, rows: list[tuple]) -> str:
        # The rows are written as they are when every value to convert is one the csv
        # module writes as tables.cell would (None, text, an integer, a float: the
        # same characters); a boolean, or anything else, sends the row through cell.
        convert = self.convert
        plain = rows
        if convert:
            for n, row in enumerate(rows):
                for i in convert:
                    if row[i].__class__ not in _AS_IS:
                        if plain is rows:
                            plain = list(rows)
                        plain[n] = _cells(row, convert)
                        break
        out = self._out
        out.seek(0)
        out.truncate()
        self._writer.writerows(plain)
        text = out.getvalue()
        if "\r" in text:  # a value holds a carriage return: quoted rows, see _quoting_body
            return self._quoting_body(rows)
        return text

    def _quoting_body(self, rows: list[tuple]) -> str:
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\n")
        # The csv module quotes a value holding a comma, a quote or a line feed, but not
        # a lone carriage return (not part of the LF line terminator), which readers take
        # for a line end: a row with one is written with every cell quoted. A missing
        # value then reads '""', still an empty cell to CSV readers, and no text value is
        # ever empty.
        quoted = None
        texts, convert = self.texts, self.convert
        for row in rows:
            if convert:
                row = _cells(row, convert)
            if any(row[i] is not None and "\r" in row[i] for i in texts):
                if quoted is None:
                    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
                quoted.writerow(row)
            else:
                writer.writerow(row)
        return out.getvalue()


#: Types the csv module writes exactly as ``tables.cell`` does (``repr`` of a float, ``str``
#: of an exact int or str, an empty cell for None), so their cells need no conversion.
_AS_IS = frozenset({type(None), str, int, float})


def _cells(row: tuple, convert: list[int]) -> list:
    row = list(row)
    cell = tables.cell
    for i in convert:
        row[i] = cell(row[i])
    return row


class Registry(Mapping):
    """The few fields of each actor or source that records' rows draw on, by ID (see
    ``events.REGISTRY_FIELDS``): a few dozen bytes an entry instead of the whole entry."""

    def __init__(self, fields: tuple[str, ...]):
        self.fields = fields
        self._values: dict[str, tuple] = {}

    def summary(self, data: dict) -> tuple:
        return tuple(data.get(f) for f in self.fields)

    def add(self, entry_id: str, summary: tuple) -> None:
        self._values[entry_id] = summary

    def __getitem__(self, entry_id: str) -> dict:
        try:
            values = self._values[entry_id]
        except KeyError:
            raise UnknownEntry(entry_id) from None
        return {k: v for k, v in zip(self.fields, values, strict=True) if v is not None}

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


class UnknownEntry(KeyError):
    """A record names an actor or source that was not remembered: its own file has
    problems (which stop the build), so the record cannot be rendered."""


class Renderer:
    """Renders one entry into its parts. Called as ``renderer(what, data)`` in a
    validation worker it returns ``(parts as bytes, summary)``: the parts, encoded in
    UTF-8, ``marshal``led
    (or, given a :class:`Spill`, put in the worker's own spill file, and where they are),
    and for an actor or source the summary the build keeps (:meth:`remember`) so that
    the workers which render the records, forked after the registries were read, can
    look it up."""

    def __init__(
        self,
        layout: dict[str, tables.Table] | None = None,
        actors: Mapping[str, dict] | None = None,
        sources: Mapping[str, dict] | None = None,
        computed: dict | None = None,
        spill: Spill | None = None,
    ):
        """``computed``: the functions of the computed columns (see ``tables.rows``);
        ``spill``: where a call puts the parts (then it returns their location)."""
        from conflictdata.publish import events

        self.computed = computed or {}
        self.spill = spill
        self.layout = layout if layout is not None else tables.layout()
        self.csv = {name: CsvRenderer(t) for name, t in self.layout.items()}
        self.registries = {
            "actor": actors if actors is not None else Registry(events.REGISTRY_FIELDS["actor"]),
            "source": sources
            if sources is not None
            else Registry(events.REGISTRY_FIELDS["source"]),
        }

    def parts(self, what: str, data: dict) -> dict[str, str]:
        """``what`` is "record", "actor", "source" or "withdrawal"."""
        rows = tables.entity_rows(
            self.layout,
            what,
            data,
            self.registries["actor"],
            self.registries["source"],
            self.computed,
        )
        out = {name: self.csv[name].body(r) for name, r in rows.items()}
        out[JSON_PART] = json_line(data)
        if what == "source":
            out[SOURCE_PART] = source_entry_text(data)
        return out

    def __call__(
        self, what: str, data: dict
    ) -> tuple[bytes | tuple[str, int, int] | None, tuple | None]:
        """The parts (or, given a :class:`Spill`, where this process put them), or None
        when the entry names an actor or source whose own file has problems (the build
        stops on those)."""
        registry = self.registries.get(what)
        summary = registry.summary(data) if isinstance(registry, Registry) else None
        try:
            parts = self.parts(what, data)
        except UnknownEntry:
            return None, summary
        # encoded here, in the worker, so that the build process writes the bytes as they are
        blob = marshal.dumps({name: text.encode("utf-8") for name, text in parts.items()})
        if self.spill is not None:
            return self.spill.put(blob), summary  # the worker writes it; the location travels
        return blob, summary

    def remember(self, what: str, entry_id: str, summary: tuple | None) -> None:
        """Keep an actor's or source's summary for the records rendered after it."""
        if summary is not None:
            self.registries[what].add(entry_id, summary)


class Spill:
    """Rendered entries on disk, read back in ID order per kind of entry.

    Each process that renders entries (every validation worker, or the build process
    itself) appends them to a file of its own with :meth:`put`, which returns where the
    entry is; only that location travels back to the build process, which records it
    with :meth:`add`. In memory the build keeps, per entry, its ID and where its parts
    are: about a hundred bytes an entry, against tens of kilobytes for the parts."""

    def __init__(self, directory: Path | str | None = None):
        self.directory = Path(directory if directory is not None else tempfile.gettempdir())
        self._writer: tuple[int, int, str] | None = None  # (pid, fd, name) of this process
        self._pos = 0
        self._names: list[str] = []  # the files entries were put in, as add() saw them
        self._number: dict[str, int] = {}
        self._readers: dict[int, int] = {}
        self._ids: dict[str, list[str]] = {}
        self._files: dict[str, array] = {}
        self._offsets: dict[str, array] = {}
        self._lengths: dict[str, array] = {}

    def put(self, blob: bytes) -> tuple[str, int, int]:
        """Append ``blob`` to this process's file: (file name, offset, length)."""
        pid = os.getpid()
        if self._writer is None or self._writer[0] != pid:  # first put, or a forked worker
            fd, name = tempfile.mkstemp(dir=self.directory, prefix="spill-")
            self._writer, self._pos = (pid, fd, os.path.basename(name)), 0
        _, fd, name = self._writer
        offset = self._pos
        view = memoryview(blob)
        while view:
            view = view[os.write(fd, view) :]
        self._pos += len(blob)
        return name, offset, len(blob)

    def add(self, what: str, entry_id: str, where: tuple[str, int, int] | bytes) -> None:
        """Record where an entry's parts are (as :meth:`put` gave it; parts given as
        bytes are put first)."""
        if isinstance(where, bytes):
            where = self.put(where)
        name, offset, length = where
        number = self._number.get(name)
        if number is None:
            number = self._number[name] = len(self._names)
            self._names.append(name)
        if what not in self._ids:
            self._ids[what] = []
            self._files[what], self._offsets[what], self._lengths[what] = (
                array("l"),
                array("q"),
                array("q"),
            )
        self._ids[what].append(entry_id)
        self._files[what].append(number)
        self._offsets[what].append(offset)
        self._lengths[what].append(length)

    def count(self, what: str) -> int:
        return len(self._ids.get(what, ()))

    def ordered(self, what: str) -> Iterator[dict[str, str]]:
        """The parts of every entry of one kind, in ID order."""
        ids = self._ids.get(what, [])
        files, offsets, lengths = (
            self._files.get(what),
            self._offsets.get(what),
            self._lengths.get(what),
        )
        readers = self._readers
        for i in sorted(range(len(ids)), key=ids.__getitem__):
            fd = readers.get(files[i])
            if fd is None:
                fd = readers[files[i]] = os.open(
                    self.directory / self._names[files[i]], os.O_RDONLY
                )
            yield marshal.loads(os.pread(fd, lengths[i], offsets[i]))

    def close(self) -> None:
        """Close and remove the files (this process's, and every one :meth:`add` saw)."""
        for fd in self._readers.values():
            os.close(fd)
        self._readers.clear()
        names = set(self._names)
        if self._writer is not None and self._writer[0] == os.getpid():
            os.close(self._writer[1])
            names.add(self._writer[2])
        self._writer = None
        for name in names:
            try:
                os.unlink(self.directory / name)
            except FileNotFoundError:
                pass
