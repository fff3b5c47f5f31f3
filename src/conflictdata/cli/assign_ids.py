"""``conflictdata assign-ids``: give every record with a placeholder ID (``ARR-NEW-...``,
written by ``conflictdata new``) the next free real ID, move its file and rewrite every
reference to it. Run on main after a merge (a workflow does it)."""

from __future__ import annotations

import sys

from conflictdata.cli.common import EXIT_OK, EXIT_PROBLEMS, READS_RECORDS, command

#: What the command needs beyond the core install.
NEEDS = READS_RECORDS


def add(sub):
    p = command(
        sub,
        "assign-ids",
        help="give records with a placeholder ID (ARR-NEW-...) their real IDs, moving the files "
        "and rewriting every reference to them",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="write nothing; print the IDs it would give"
    )
    return p


def run(args) -> int:
    from conflictdata.tools.assign import assign

    outcome = assign(args.root, dry_run=args.dry_run)
    for old, new in outcome.assigned.items():
        print(f"{old} -> {new}")
    for rel, why in outcome.refused:
        print(f"records/{rel}:1:1: id: cannot assign an ID: {why}", file=sys.stderr)
    if outcome.assigned:
        verb = "would give" if args.dry_run else "gave"
        print(
            f"assign-ids: {verb} {len(outcome.assigned)} real ID(s); "
            f"{len(outcome.rewritten)} file(s) {'to rewrite' if args.dry_run else 'rewritten'}",
            file=sys.stderr,
        )
    return EXIT_PROBLEMS if outcome.refused else EXIT_OK
