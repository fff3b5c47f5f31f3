"""``conflictdata validate``: check records and cross-references, report every problem."""

from __future__ import annotations

import sys
from pathlib import Path

from conflictdata.cli.common import EXIT_USAGE, VALIDATES, command, print_report

#: What the command needs beyond the core install.
NEEDS = VALIDATES


def add(sub):
    p = command(
        sub, "validate", help="check every record and cross-reference; report all problems at once"
    )
    p.add_argument(
        "paths", nargs="*", type=Path, help="files to check (default: the whole records/ tree)"
    )
    p.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text: path:line:col: field: message; github: workflow annotations; json: a list",
    )
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument(
        "--changed",
        action="store_true",
        help="check only files changed against the git base (committed, uncommitted and untracked), "
        "the records they link to, and that no record ID was lost",
    )
    p.add_argument(
        "--base",
        metavar="REF",
        default=None,
        help="git base to compare with (default: origin/main, else main, else HEAD); "
        "without --changed: a full run that also fails on record IDs gone since REF without a tombstone",
    )
    return p


def run(args) -> int:
    from conflictdata.validation.validate import validate_paths, validate_tree

    if args.changed and args.paths:
        print("conflictdata validate: give either --changed or paths, not both", file=sys.stderr)
        return EXIT_USAGE
    lost = []
    if args.changed or args.base is not None:
        from conflictdata.core.git import GitError
        from conflictdata.validation.changes import check_base, validate_changed

        try:
            if args.changed:
                status = print_report(validate_changed(args.root, args.base), args.format)
                return _pending_notice(args.root, status)
            lost = check_base(args.root, args.base)
        except GitError as exc:
            print(f"conflictdata validate: {exc}", file=sys.stderr)
            return EXIT_USAGE
    report = (
        validate_paths(args.root, args.paths)
        if args.paths
        else validate_tree(args.root, jobs=args.jobs)
    )
    if lost:
        report.problems = sorted(set(report.problems) | set(lost))
    return _pending_notice(args.root, print_report(report, args.format))


def _pending_notice(root, status: int) -> int:
    """A note (not a problem) naming the records that still have a placeholder ID."""
    from conflictdata.core.paths import RECORDS_DIR, entry_id, pending_files

    pending = pending_files(root / RECORDS_DIR)
    if pending:
        names = ", ".join(entry_id(p) for p in pending)
        print(
            f"note: {len(pending)} record(s) pending a real ID ({names}); after the merge, "
            "'conflictdata assign-ids' gives them one on main",
            file=sys.stderr,
        )
    return status
