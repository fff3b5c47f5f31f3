"""``conflictdata stats``: counts by kind, country, year and status."""

from __future__ import annotations

from conflictdata.cli.common import command


def add(sub):
    p = command(sub, "stats", help="count records by kind, country, year and status")
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="a readable table, or JSON"
    )
    return p


def run(args) -> int:
    from conflictdata.tools.stats import run

    return run(args.root, args.format)
