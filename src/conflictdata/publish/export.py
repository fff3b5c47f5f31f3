"""Exporting a built release to SQLite, with a Datasette ``metadata.json`` beside it.

The database holds the same tables as the data package, with their primary keys and
foreign keys (composite ones included), typed from the Table Schema: integers as
INTEGER, numbers as REAL, booleans as 0/1, dates as ``YYYY-MM-DD`` text, missing
values as NULL. Rows are inserted with ``sqlite-utils``. The same tables can also be
written as Parquet files (with ``pyarrow``) for DuckDB, Polars or Spark.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conflictdata.core import metadata
from conflictdata.core.paths import DESCRIPTOR

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


def sqlite(root: Path, path: Path) -> tuple[Path, Path]:
    """Write the release at ``root`` to a SQLite database at ``path`` (replacing it) and
    a Datasette ``metadata.json`` beside it. Returns both paths."""
    import sqlite_utils

    desc = json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))
    tables = [r for r in desc["resources"] if r.get("type") == "table"]
    path = Path(path)
    if path.exists():
        path.unlink()
    db = sqlite_utils.Database(path)
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
    meta_path = path.with_name("metadata.json")
    meta_path.write_text(
        json.dumps(datasette_metadata(desc, path.stem), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return path, meta_path


def datasette_metadata(desc: dict, database: str) -> dict:
    """Datasette metadata: title, description, licence, sources and per-table texts."""
    tables = {}
    for r in desc["resources"]:
        if r.get("type") != "table":
            continue
        tables[r["name"]] = {
            "title": r.get("title", r["name"]),
            "description": r.get("description", ""),
            "columns": {f["name"]: f.get("description", "") for f in r["schema"]["fields"]},
        }
    return {
        "title": desc.get("title", metadata.TITLE),
        "description": desc.get("description", ""),
        "license": "CC BY 4.0",
        "license_url": metadata.DATA_LICENSE["path"],
        "source": f"conflictdata {desc.get('version', '')} (schema {desc.get('schemaVersion', '')})",
        "source_url": desc.get("homepage", metadata.HOMEPAGE),
        "databases": {database: {"tables": tables}},
    }


ARROW_TYPES = {
    "string": "string",
    "integer": "int64",
    "number": "float64",
    "boolean": "bool_",
    "date": "date32",
}


def parquet(root: Path, folder: Path) -> list[Path]:
    """Write each table of the release at ``root`` to ``folder/<table>.parquet``, typed
    from the Table Schema (dates as date32, missing values as nulls), with the field
    descriptions as column metadata. Returns the files written."""
    from datetime import date

    import pyarrow as pa
    import pyarrow.parquet as pq

    desc = json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for resource in desc["resources"]:
        if resource.get("type") != "table":
            continue
        fields = resource["schema"]["fields"]
        with open(root / resource["path"], encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            next(reader)
            columns = [[] for _ in fields]
            for row in reader:
                for i, (fl, v) in enumerate(zip(fields, row, strict=True)):
                    value = _convert(fl["type"], v)
                    if fl["type"] == "boolean" and value is not None:
                        value = bool(value)
                    elif fl["type"] == "date" and value is not None:
                        value = date.fromisoformat(value)
                    columns[i].append(value)
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
        table = pa.Table.from_arrays(
            [pa.array(c, type=schema.field(i).type) for i, c in enumerate(columns)], schema=schema
        )
        out = folder / f"{resource['name']}.parquet"
        pq.write_table(table, out)
        written.append(out)
    return written


class ExportError(Exception):
    """Why an export cannot run: a missing optional dependency, or no release."""


def export(fmt: str, path: Path, root: Path | None = None) -> list[Path]:
    """Write the release at ``root`` (default: the installed one) as ``sqlite`` (a
    database and its Datasette metadata) or ``parquet``; the files written."""
    from conflictdata.loader.dataset import (
        ReleaseNotFound,
        _release_dir,
        bundled_release,
    )

    needs = {"sqlite": "sqlite_utils", "parquet": "pyarrow"}[fmt]
    try:
        __import__(needs)
    except ImportError:
        raise ExportError(
            f"export {fmt} needs {needs}: pip install 'conflictdata[export]'"
        ) from None
    try:
        release_dir = bundled_release() if root is None else _release_dir(root)
    except ReleaseNotFound as exc:
        raise ExportError(f"export: {exc}") from None
    if fmt == "parquet":
        return parquet(release_dir, path)
    return list(sqlite(release_dir, path))
