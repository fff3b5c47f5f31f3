"""``conflictdata codebook``: write or check ``docs/codebook.md``."""

from __future__ import annotations

from conflictdata.cli.common import EXIT_OK, EXIT_PROBLEMS, VALIDATES, command

#: What the command needs beyond the core install.
NEEDS = VALIDATES


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
    import sys

    from conflictdata.publish import codebook

    if args.check:
        stale = codebook.check(args.root)
        if stale:
            print(stale, file=sys.stderr)
            return EXIT_PROBLEMS
        return EXIT_OK
    print(f"wrote {codebook.write(args.root)}")
    return EXIT_OK
