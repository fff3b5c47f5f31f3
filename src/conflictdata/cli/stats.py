"""``conflictdata stats``: counts by kind, country, year and status."""

from __future__ import annotations

from conflictdata.cli.common import EXIT_OK, READS_RECORDS, command

#: What the command needs beyond the core install.
NEEDS = READS_RECORDS


def add(sub):
    p = command(sub, "stats", help="count records by kind, country, year and status")
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="a readable table, or JSON"
    )
    return p


def run(args) -> int:
    import json
    import sys

    from conflictdata.tools.stats import count, render

    stats = count(args.root)
    if args.format == "json":
        print(json.dumps(stats, indent=1, ensure_ascii=False))
    else:
        print(render(stats))
    if stats["unreadable"]:
        print(
            "some files could not be read; run 'conflictdata validate' for the problems",
            file=sys.stderr,
        )
    return EXIT_OK
