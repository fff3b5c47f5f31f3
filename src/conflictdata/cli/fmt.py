"""``conflictdata fmt``: lay records out the one canonical way."""

from __future__ import annotations

from pathlib import Path

from conflictdata.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, READS_RECORDS, command

#: What the command needs beyond the core install.
NEEDS = READS_RECORDS + ("ruamel.yaml",)


def add(sub):
    p = command(
        sub,
        "fmt",
        help="rewrite records in the one canonical layout (comments kept, values never changed)",
    )
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="files to format (default: every .yaml file under records/)",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; print the diff to apply and exit 1 if any file would change",
    )
    return p


def run(args) -> int:
    import sys

    from conflictdata.tools.fmt import run

    out = run(args.root, args.paths, check=args.check)
    for diff in out.diffs:
        sys.stdout.write(diff)
    for failure in out.failures:
        print(failure, file=sys.stderr)
    if out.check:
        if out.changed:
            print(
                f"{len(out.changed)} file(s) not in the canonical layout; run 'conflictdata fmt' "
                "(or apply the diff above with 'git apply')",
                file=sys.stderr,
            )
    elif out.changed:
        print(f"formatted {len(out.changed)} file(s)", file=sys.stderr)
    if out.failures:
        print(f"{len(out.failures)} file(s) could not be formatted", file=sys.stderr)
    for failure in out.unwritten:
        print(failure, file=sys.stderr)
    if out.unwritten:
        print(
            f"{len(out.unwritten)} file(s) could not be written; each was left as it was",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return EXIT_OK if out.ok else EXIT_PROBLEMS
