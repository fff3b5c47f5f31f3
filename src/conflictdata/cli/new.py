"""``conflictdata new``: start a record, actor or source file to fill in."""

from __future__ import annotations

import sys

from conflictdata.cli.common import EXIT_OK, EXIT_USAGE, READS_RECORDS, command

#: What the command needs beyond the core install.
NEEDS = READS_RECORDS


def add(sub):
    p = command(
        sub, "new", help="write a new record to fill in, with the next free ID, and print its path"
    )
    p.add_argument(
        "kind",
        metavar="KIND",
        help="incident, arrest, weapons_transfer or recruitment; or actor ID / source ID",
    )
    p.add_argument(
        "id", nargs="?", default=None, metavar="ID", help="the slug of a new actor or source"
    )
    p.add_argument(
        "--year", type=int, default=None, help="the year of the event (default: this year)"
    )
    return p


def run(args) -> int:
    from conflictdata.core.paths import display_path as shown
    from conflictdata.tools.scaffold import ScaffoldError, create

    try:
        path = create(args.root, args.kind, args.id, args.year)
    except ScaffoldError as exc:
        print(f"conflictdata new: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(shown(path))
    print(
        f"fill in every field from the sources, then run: conflictdata validate {shown(path)}",
        file=sys.stderr,
    )
    return EXIT_OK
