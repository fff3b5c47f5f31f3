"""``conflictdata quotes``: check every quote word for word against its source's
archived text; report where each one first differs."""

from __future__ import annotations

import sys

from conflictdata.cli.build import add_archive_option
from conflictdata.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, VALIDATES, command

#: What the command needs beyond the core install.
NEEDS = VALIDATES


def add(sub):
    p = command(
        sub,
        "quotes",
        help="check every quote word for word against the archived text of its source",
    )
    add_archive_option(p)
    p.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text: path:line:col: field: message; github: workflow annotations; json: a list",
    )
    return p


def run(args) -> int:
    from conflictdata.validation.problems import format_problems
    from conflictdata.validation.quotes import ENV, Archive, archive_dir, check_tree

    archive = Archive(archive_dir(args.root, args.archive))
    if not archive.available:
        print(
            f"conflictdata quotes: the archive of source texts {archive.folder} does not exist; "
            f"give its folder with --archive DIR or the {ENV} environment variable",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not (args.root / "records").is_dir():
        print(f"conflictdata quotes: no records/ folder in {args.root}", file=sys.stderr)
        return EXIT_USAGE
    report = check_tree(args.root, archive)
    if report.problems:
        print(format_problems(report.problems, args.format))
    if args.format != "json":
        summary = (
            f"{report.verified} of {report.quotes} quote(s) found word for word in {archive.folder}"
            + (f"; {report.unchecked} not checked: no text" if report.unchecked else "")
            + (
                f"; {report.unavailable} of sources that say no text can exist"
                if report.unavailable
                else ""
            )
        )
        if report.problems:
            print(f"{len(report.problems)} problem(s); {summary}", file=sys.stderr)
        else:
            print(f"ok: {summary}", file=sys.stderr)
    return EXIT_PROBLEMS if report.problems else EXIT_OK
