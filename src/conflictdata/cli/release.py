"""``conflictdata release``: rebuild the committed release, bump the data version and
write its section of CHANGELOG.md (for maintainers, on main)."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime

from conflictdata.cli.build import add_archive_option
from conflictdata.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, VALIDATES, command

#: What the command needs beyond the core install.
NEEDS = VALIDATES


def _day(text: str) -> date:
    return date.fromisoformat(text)


def add(sub):
    p = command(
        sub,
        "release",
        help="rebuild datapackage.json and data/, bump the data version, write CHANGELOG.md",
    )
    p.add_argument(
        "--date",
        type=_day,
        default=None,
        metavar="YYYY-MM-DD",
        help="the release date (default: today, UTC); sets the version's year and month",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 unless every file that states the data version states the same",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="write nothing; print the version and the changelog section",
    )
    add_archive_option(p)
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    return p


def run(args) -> int:
    from conflictdata.publish import changelog, release
    from conflictdata.validation.problems import format_problems
    from conflictdata.validation.quotes import Archive, archive_dir

    if args.check:
        problems = release.check(args.root)
        for problem in problems:
            print(problem)
        if not problems:
            print("ok: the committed release states one data version", file=sys.stderr)
        return EXIT_PROBLEMS if problems else EXIT_OK
    today = args.date or datetime.now(UTC).date()
    archive = Archive(archive_dir(args.root, args.archive))
    try:
        made = release.prepare(args.root, archive, today, jobs=args.jobs)
    except release.ReleaseError as exc:
        print(f"conflictdata release: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if made.problems:
        print(format_problems(made.problems, "text"))
        print(
            f"release: nothing written; fix the {len(made.problems)} problem(s) above first",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    if args.dry_run:
        text = made.files[changelog.FILE].decode("utf-8")
        start = text.index(f"## {made.version} ")
        end = text.find("\n## ", start + 1)
        print(text[start : end if end > 0 else None].rstrip())
        return EXIT_OK
    for rel in release.write(args.root, made):
        print(f"wrote {rel}")
    print(
        f"released {made.version} (after {made.previous}); commit, tag v{made.version} and push",
        file=sys.stderr,
    )
    return EXIT_OK
