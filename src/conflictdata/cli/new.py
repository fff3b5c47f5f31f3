"""``conflictdata new``: start a record, actor or source file to fill in."""

from __future__ import annotations

import sys

from conflictdata.cli.common import EXIT_OK, EXIT_USAGE, READS_RECORDS, command

#: What the command needs beyond the core install.
NEEDS = READS_RECORDS


def add(sub):
    p = command(
        sub,
        "new",
        help="write a new record to fill in, with a placeholder ID (ARR-NEW-...), and print its path",
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
        "--year",
        type=int,
        default=None,
        help="ignored: a new record gets a placeholder ID, and the year of its real ID is the "
        "year of its date.latest when 'conflictdata assign-ids' runs on main",
    )
    return p


def run(args) -> int:
    from conflictdata.core.paths import display_path as shown
    from conflictdata.tools.scaffold import ScaffoldError, create

    try:
        path = create(args.root, args.kind, args.id)
    except ScaffoldError as exc:
        print(f"conflictdata new: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(shown(path))
    if args.year is not None:
        print(
            "note: --year is no longer needed: the real ID's year is the year of date.latest",
            file=sys.stderr,
        )
    print(
        f"fill in every field from the sources, then run: conflictdata validate {shown(path)}",
        file=sys.stderr,
    )
    return EXIT_OK
