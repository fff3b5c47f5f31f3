"""``conflictdata export``: the release in another format (csv, xlsx, sqlite, parquet)."""

from __future__ import annotations

import sys
from pathlib import Path

from conflictdata.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE


def add(sub):
    p = sub.add_parser(
        "export", help="export the release to another format (csv, xlsx, sqlite, parquet)"
    )
    p.add_argument(
        "format",
        choices=("csv", "xlsx", "sqlite", "parquet"),
        help="csv: a copy of the data package in a folder; xlsx: one workbook, a sheet per "
        "table and a README sheet; sqlite: a database and a Datasette metadata.json; "
        "parquet: one file per table in a folder",
    )
    p.add_argument(
        "path",
        type=Path,
        help="the file (xlsx, sqlite) or folder (csv, parquet) to write; missing folders "
        "are created",
    )
    p.add_argument(
        "--events-only",
        action="store_true",
        help="export the events table alone (one row per record)",
    )
    p.add_argument(
        "--root",
        type=Path,
        default=None,
        help="a checkout or built package to export (default: the release installed with "
        "the package)",
    )
    return p


def run(args) -> int:
    import csv
    import sqlite3

    from conflictdata.loader import release
    from conflictdata.loader.dataset import ReleaseNotFound
    from conflictdata.loader.package import PackageError
    from conflictdata.publish import export

    fmt = args.format
    needs = export.NEEDS[fmt]
    if needs:
        try:
            __import__(needs)
        except ImportError:
            print(
                f"export {fmt} needs {needs}: pip install 'conflictdata[export]'", file=sys.stderr
            )
            return EXIT_USAGE
    try:
        folder = release.find(args.root)
    except ReleaseNotFound as exc:
        print(f"export: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"export: reading {release.describe(folder, bundled=args.root is None)}", file=sys.stderr)
    events_only = args.events_only
    try:
        if fmt == "csv":
            written = export.csv_files(folder, args.path, events_only)
        elif fmt == "parquet":
            written = export.parquet(folder, args.path, events_only)
        elif fmt == "xlsx":
            from conflictdata.publish import xlsx

            written = [xlsx.workbook(folder, args.path, events_only)]
        else:
            written = list(export.sqlite(folder, args.path, events_only))
    except export.ExportError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PackageError as exc:
        print(f"export: the package cannot be trusted; nothing written:\n{exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except (OSError, ValueError, csv.Error, sqlite3.Error) as exc:
        print(f"export: {exc}; nothing written, existing files kept", file=sys.stderr)
        return EXIT_USAGE
    for path in written:
        print(f"wrote {path}")
    if fmt == "sqlite":
        db, meta = written
        print(f"open it with: datasette {db} --metadata {meta}", file=sys.stderr)
    return EXIT_OK
