"""Exporting a built release: CSV, Excel, SQLite (with a Datasette ``metadata.json``
beside it) or Parquet.

The SQLite database holds the same tables as the data package, with their primary keys
and foreign keys (composite ones included), typed from the Table Schema: integers as
INTEGER, numbers as REAL, booleans as 0/1, dates as ``YYYY-MM-DD`` text, missing
values as NULL. Rows are inserted with ``sqlite-utils``. The same tables can also be
written as Parquet files (with ``pyarrow``) for DuckDB, Polars or Spark, as CSV files
(a copy of the data package) or as one Excel workbook (:mod:`conflictdata.publish.xlsx`).
Every format can be limited to the ``events`` table.

The functions return what they wrote; they print nothing.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from conflictdata.core import atomic

#: What each format needs beyond the package's own dependencies (the ``export`` extra).
NEEDS = {"csv": None, "xlsx": "xlsxwriter", "sqlite": "sqlite_utils", "parquet": "pyarrow"}
#: Formats written to one file; the others are written to a folder.
FILE_FORMATS = ("xlsx", "sqlite")
EVENTS = "events"


class ExportError(Exception):
    """An export that cannot be written where it was asked to go."""


def prepare(path: Path | str, folder: bool) -> Path:
    """Make sure ``path`` can take a file (``folder=False``) or a folder of files: missing
    parent folders are created; a folder where a file is asked for (or the reverse) is
    refused, as is a place that cannot be written."""
    path = Path(path)
    try:
        if folder:
            if path.exists() and not path.is_dir():
                raise ExportError(f"{path} is a file; give a folder to write the tables into")
            path.mkdir(parents=True, exist_ok=True)
        else:
            if path.is_dir():
                raise ExportError(f"{path} is a folder; give the name of the file to write")
            path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ExportError(
            f"cannot create the folder for {path}: a file stands in the way"
        ) from None
    except PermissionError:
        raise ExportError(f"cannot write to {path}: permission denied") from None
    except OSError as exc:
        raise ExportError(f"cannot write to {path}: {exc.strerror or exc}") from None
    return path


def read_descriptor(root: Path, events_only: bool = False) -> dict:
    """The release's descriptor, once the package is checked and its files match their
    recorded sizes and hashes (:mod:`conflictdata.loader.package`; a
    :class:`~conflictdata.loader.package.PackageError` otherwise); with ``events_only``,
    with the ``events`` table alone (and without its foreign keys to the tables left
    out)."""
    from conflictdata.loader import package

    desc = package.checked(root)
    if events_only:
        desc = dict(desc)
        events = json.loads(json.dumps(next(r for r in desc["resources"] if r["name"] == EVENTS)))
        events["schema"].pop("foreignKeys", None)
        desc["resources"] = [events]
    return desc


def table_resources(desc: dict) -> list[dict]:
    return [r for r in desc["resources"] if r.get("type") == "table"]


def csv_files(root: Path, folder: Path, events_only: bool = False) -> list[Path]:
    """The release as a data package in ``folder``: ``datapackage.json`` and the tables
    (``data/*.csv``, byte for byte, and ``data/records.json``); with ``events_only``, the
    ``events`` table alone. Returns the files written."""
    root, folder = Path(root), prepare(folder, folder=True)
    desc = read_descriptor(root, events_only)
    written = []
    out = folder / "datapackage.json"
    with atomic.Batch() as batch:  # the files replace those there only when all are written
        for resource in desc["resources"]:
            target = folder / resource["path"]  # a checked path: inside data/
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / resource["path"], batch.reserve(target))
            written.append(target)
        batch.add(out, (json.dumps(desc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return [out, *written]


SQL_TYPES = {
    "string": "TEXT",
    "integer": "INTEGER",
    "number": "REAL",
    "boolean": "INTEGER",
    "date": "TEXT",
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_sql(resource: dict) -> str:
    """The CREATE TABLE statement of one table resource."""
    schema = resource["schema"]
    lines = []
    for f in schema["fields"]:
        required = f.get("constraints", {}).get("required")
        lines.append(f"  {_q(f['name'])} {SQL_TYPES[f['type']]}{' NOT NULL' if required else ''}")
    if schema.get("primaryKey"):
        lines.append(f"  PRIMARY KEY ({', '.join(_q(c) for c in schema['primaryKey'])})")
    for fk in schema.get("foreignKeys", []):
        target = fk["reference"].get("resource") or resource["name"]
        lines.append(
            f"  FOREIGN KEY ({', '.join(_q(c) for c in fk['fields'])}) "
            f"REFERENCES {_q(target)} ({', '.join(_q(c) for c in fk['reference']['fields'])})"
        )
    return f"CREATE TABLE {_q(resource['name'])} (\n" + ",\n".join(lines) + "\n)"


def _convert(kind: str, text: str):
    if text == "":
        return None
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        return 1 if text == "true" else 0
    return text


def sqlite(root: Path, path: Path, events_only: bool = False) -> tuple[Path, Path]:
    """Write the release at ``root`` to a SQLite database at ``path`` (replacing it) and
    a Datasette ``metadata.json`` beside it. Returns both paths."""
    import sqlite_utils

    desc = read_descriptor(root, events_only)
    tables = table_resources(desc)
    path = prepare(path, folder=False)
    meta_path = path.with_name("metadata.json")
    # the database and metadata.json are written beside the old ones and replace them
    # together only when both are complete: a failed export keeps the user's files
    with atomic.Batch() as batch:
        _sqlite_into(sqlite_utils.Database(batch.reserve(path)), root, tables)
        batch.add(
            meta_path,
            (
                json.dumps(datasette_metadata(desc, path.stem), ensure_ascii=False, indent=2) + "\n"
            ).encode("utf-8"),
        )
    return path, meta_path


def _sqlite_into(db, root: Path, tables: list[dict]) -> None:
    for resource in tables:
        db.execute(create_sql(resource))
    for resource in tables:
        fields = resource["schema"]["fields"]
        with open(root / resource["path"], encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            if header != [fl["name"] for fl in fields]:
                raise ValueError(f"{resource['path']}: header does not match the table schema")
            rows = (
                {fl["name"]: _convert(fl["type"], v) for fl, v in zip(fields, row, strict=True)}
                for row in reader
            )
            db[resource["name"]].insert_all(rows, batch_size=1000)
    db.conn.commit()
    db.close()


def datasette_metadata(desc: dict, database: str) -> dict:
    """Datasette metadata (see :mod:`conflictdata.publish.datasette_meta`)."""
    from conflictdata.publish.datasette_meta import metadata_for

    return metadata_for(desc, database)


ARROW_TYPES = {
    "string": "string",
    "integer": "int64",
    "number": "float64",
    "boolean": "bool_",
    "date": "date32",
}


def parquet(root: Path, folder: Path, events_only: bool = False) -> list[Path]:
    """Write each table of the release at ``root`` to ``folder/<table>.parquet``, typed
    from the Table Schema (dates as date32, missing values as nulls), with the field
    descriptions as column metadata. Returns the files written.

    Each CSV is read by pyarrow's streaming reader and written batch by batch, so the
    memory used does not grow with the size of the table."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pyarrow import csv as pacsv

    desc = read_descriptor(root, events_only)
    folder = prepare(folder, folder=True)
    written = []
    with atomic.Batch() as batch:
        for resource in desc["resources"]:
            if resource.get("type") == "table":
                out = folder / f"{resource['name']}.parquet"  # a checked name: no / or ..
                _parquet_table(pa, pq, pacsv, root, desc, resource, batch.reserve(out))
                written.append(out)
    return written


def _parquet_table(pa, pq, pacsv, root: Path, desc: dict, resource: dict, out: Path) -> None:
    """Write one table resource to a Parquet file at ``out``, one batch of rows at a time."""
    fields = resource["schema"]["fields"]
    schema = pa.schema(
        [
            pa.field(
                fl["name"],
                getattr(pa, ARROW_TYPES[fl["type"]])(),
                nullable=not fl.get("constraints", {}).get("required", False),
                metadata={"description": fl.get("description", "")},
            )
            for fl in fields
        ],
        metadata={
            "table": resource["name"],
            "description": resource.get("description", ""),
            "version": desc.get("version", ""),
            "license": "CC-BY-4.0",
        },
    )
    reader = pacsv.open_csv(
        root / resource["path"],
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={f.name: f.type for f in schema},
            null_values=[""],
            true_values=["true"],
            false_values=["false"],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,  # a row written all quoted: '""' is missing
        ),
    )
    if reader.schema.names != schema.names:
        raise ValueError(f"{resource['path']}: header does not match the table schema")
    with pq.ParquetWriter(out, schema) as writer:
        for batch in reader:
            writer.write_batch(pa.RecordBatch.from_arrays(batch.columns, schema=schema))
