"""``conflictdata export``: the built release in another format."""

from __future__ import annotations

from pathlib import Path


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
    from conflictdata.publish import export

    return export.run(args.format, args.path, args.root)
