"""``conflictdata export``: the built release in another format."""

from __future__ import annotations

from pathlib import Path

from conflictdata.cli.common import EXIT_OK, EXIT_PROBLEMS


def add(sub):
    p = sub.add_parser(
        "export", help="export the built release to another format (sqlite, parquet)"
    )
    p.add_argument(
        "format",
        choices=("sqlite", "parquet"),
        help="sqlite: a SQLite database and a Datasette metadata.json; parquet: one file per table",
    )
    p.add_argument(
        "path",
        type=Path,
        help="the file (sqlite, such as conflictdata.db) or folder (parquet) to write",
    )
    p.add_argument(
        "--root",
        type=Path,
        default=None,
        help="a checkout or built package to export (default: the installed release)",
    )
    return p


def run(args) -> int:
    import sys

    from conflictdata.publish.export import ExportError, export

    try:
        written = export(args.format, args.path, args.root)
    except ExportError as exc:
        print(exc, file=sys.stderr)
        return EXIT_PROBLEMS
    for path in written:
        print(f"wrote {path}")
    if args.format == "sqlite":
        db_path, meta_path = written
        print(f"open it with: datasette {db_path} --metadata {meta_path}", file=sys.stderr)
    return EXIT_OK
