"""``conflictdata codebook``: write or check ``docs/codebook.md``."""

from __future__ import annotations

from conflictdata.cli.common import command


def add(sub):
    p = command(
        sub,
        "codebook",
        help="write docs/codebook.md from the models, the vocabularies and the rules",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if docs/codebook.md is out of date",
    )
    return p


def run(args) -> int:
    from conflictdata.publish.codebook import run

    return run(args.root, check=args.check)
