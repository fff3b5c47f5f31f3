"""Where a release's entries are read from: ``data/records.json``, one entry a line, and
``data/records_index.json``, which says where each entry starts and how long it is.

With the index, opening a release reads only the index (a few megabytes for 100,000
records): an entry is parsed from its own bytes the first time it is asked for, so the
first question is answered in well under a second whatever the size of the release.
Without an index (a release built before there was one) the whole file is parsed at
once, as before.

The index is a resource of the data package (``records_index``): a JSON object with the
sections of ``records.json`` (``records``, ``actors``, ``sources``, ``withdrawn``,
``redirects``), each a
list, in the order of the file, of ``[ID, offset, length]``: where the entry's JSON object
starts, in bytes from the start of ``records.json``, and how many bytes it has. Any
language can use it to read one record: seek to the offset, read that many bytes, parse
them as JSON.
"""

from __future__ import annotations

import json
import mmap
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path

RECORDS_JSON = "data/records.json"
INDEX_JSON = "data/records_index.json"
#: records.json's top-level keys holding entries, by index section.
SECTIONS = {
    "record": "records",
    "actor": "actors",
    "source": "sources",
    "withdrawal": "withdrawn",
    "redirect": "redirects",
}


class Entries(Sequence):
    """The entries of one section, in file order (sorted by ID): each parsed from its
    bytes when it is asked for (and not kept)."""

    def __init__(self, ids: list[str], read):
        self.ids = ids
        self._read = read  # position -> dict

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._read(j) for j in range(*i.indices(len(self.ids)))]
        if i < 0:
            i += len(self.ids)
        if not 0 <= i < len(self.ids):
            raise IndexError(i)
        return self._read(i)

    def __iter__(self) -> Iterator[dict]:
        read = self._read
        for i in range(len(self.ids)):
            yield read(i)


class _Parsed(Entries):
    """A section already parsed (a release without an index)."""

    def __init__(self, items: list[dict]):
        super().__init__([e["id"] for e in items], items.__getitem__)
        self.items = items

    def __iter__(self) -> Iterator[dict]:
        return iter(self.items)


class Store:
    """A release's ``records.json``: its header and its entries by section."""

    def __init__(self, root: Path):
        self.root = Path(root)
        path = self.root / RECORDS_JSON
        index = self.root / INDEX_JSON
        if index.is_file() and path.stat().st_size > 0:
            self._open_indexed(path, index)
        else:
            self._open_whole(path)

    # --- with an index ----------------------------------------------------------------

    def _open_indexed(self, path: Path, index: Path) -> None:
        with open(path, "rb") as f:
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        with open(index, "rb") as f:
            where = json.load(f)
        ids: dict[str, list[str]] = {}
        offsets: dict[str, array] = {}
        lengths: dict[str, array] = {}
        first = None
        for section, key in SECTIONS.items():
            entries = where.get(key, [])
            ids[section] = [e[0] for e in entries]
            offsets[section] = array("q", [e[1] for e in entries])
            lengths[section] = array("q", [e[2] for e in entries])
            if entries and (first is None or entries[0][1] < first):
                first = entries[0][1]
        # The header (name, version, schemaVersion) is the text before the first entry.
        head = self._map[: first if first is not None else 4096].decode("utf-8", "replace")
        self.header = {}
        for line in head.split("\n"):
            if line.startswith('"') and ":" in line and not line.rstrip().endswith("["):
                key, _, value = line.rstrip(",").partition(":")
                try:
                    self.header[json.loads(key)] = json.loads(value)
                except ValueError:
                    pass
        mm, loads = self._map, json.loads

        def reader(section: str):
            offs, lens = offsets[section], lengths[section]

            def read(i: int) -> dict:
                start = offs[i]
                return loads(mm[start : start + lens[i]])

            return read

        self.sections = {s: Entries(ids[s], reader(s)) for s in SECTIONS}

    # --- without one -------------------------------------------------------------------

    def _open_whole(self, path: Path) -> None:
        with open(path, "rb") as f:
            self._parsed(json.load(f))

    def _parsed(self, data: dict) -> None:
        self.header = {k: v for k, v in data.items() if not isinstance(v, list)}
        self.sections = {s: _Parsed(data.get(key, [])) for s, key in SECTIONS.items()}

    @classmethod
    def of(cls, data: dict) -> Store:
        """A store of an already parsed ``records.json``."""
        store = cls.__new__(cls)
        store.root = None
        store._parsed(data)
        return store

    @property
    def records(self) -> Entries:
        return self.sections["record"]

    @property
    def actors(self) -> Entries:
        return self.sections["actor"]

    @property
    def sources(self) -> Entries:
        return self.sections["source"]

    @property
    def withdrawn(self) -> Entries:
        return self.sections["withdrawal"]

    @property
    def redirects(self) -> Entries:
        return self.sections["redirect"]


# --- Tables -------------------------------------------------------------------------------


def read_table(path: Path, fields: list[dict]):
    """A CSV table of the package as a pandas DataFrame typed by its Table Schema
    ``fields``: text stays text (``NA`` is Namibia, not a missing value), empty cells are
    missing, integers are nullable ``Int64``, numbers ``Float64``, booleans ``boolean``,
    dates ``datetime64``. Read by pyarrow's multithreaded CSV reader when pyarrow is
    installed, else by pandas alone (the same frame, more slowly)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return _read_table_pandas(path, fields)
    return _read_table_arrow(path, fields)


def _read_table_arrow(path: Path, fields: list[dict]):
    import pandas as pd
    import pyarrow as pa
    from pyarrow import csv as pacsv

    types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.timestamp("us"),
    }
    names = [f["name"] for f in fields]
    table = pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={f["name"]: types.get(f["type"], pa.string()) for f in fields},
            null_values=[""],
            true_values=["true"],
            false_values=["false"],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,  # a row written all quoted has '""' for missing
        ),
    )
    if table.column_names != names:
        raise ValueError(f"{path}: header does not match the table schema")
    mapping = {
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
    }
    return table.to_pandas(types_mapper=mapping.get)  # text: pandas' own text dtype


def _read_table_pandas(path: Path, fields: list[dict]):
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[], encoding="utf-8")
    for fld in fields:
        name, kind = fld["name"], fld["type"]
        col = frame[name]
        missing = col == ""
        if kind == "integer":
            frame[name] = pd.array(
                [None if m else int(v) for v, m in zip(col, missing, strict=True)], dtype="Int64"
            )
        elif kind == "number":
            frame[name] = pd.array(
                [None if m else float(v) for v, m in zip(col, missing, strict=True)],
                dtype="Float64",
            )
        elif kind == "boolean":
            frame[name] = pd.array(
                [None if m else v == "true" for v, m in zip(col, missing, strict=True)],
                dtype="boolean",
            )
        elif kind == "date":
            frame[name] = pd.to_datetime(col.where(~missing, None), format="%Y-%m-%d")
        else:
            frame[name] = pd.array(
                [None if m else v for v, m in zip(col, missing, strict=True)], dtype="object"
            )
    return frame
