"""``conflictdata fmt``: lay records out the one canonical way."""

from __future__ import annotations

from pathlib import Path

from conflictdata.cli.common import command


def add(sub):
    p = command(
        sub,
        "fmt",
        help="rewrite records in the one canonical layout (comments kept, values never changed)",
    )
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="files to format (default: every .yaml file under records/)",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; print the diff to apply and exit 1 if any file would change",
    )
    return p


def run(args) -> int:
    from conflictdata.tools.fmt import run

    return run(args.root, args.paths, check=args.check)
