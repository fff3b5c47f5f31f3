"""``conflictdata build``: validate, then write the data package into a folder.

The committed ``datapackage.json`` and ``data/`` hold the latest release and are
written only by ``conflictdata release``; a build goes to ``build/`` (or ``--out``), so
that checking that the records build never touches the release.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conflictdata.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    VALIDATES,
    command,
    print_report,
)

#: What the command needs beyond the core install.
NEEDS = VALIDATES

#: Where a build goes by default, relative to the repository root (ignored by git).
DEFAULT_OUT = "build"


def add(sub):
    p = command(
        sub,
        "build",
        help="validate, then write datapackage.json, data/*.csv and data/records.json into build/",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"the folder to write the data package into (default: {DEFAULT_OUT}/ in the root); "
        "the committed release is written only by 'conflictdata release'",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 naming each file in the output folder that differs from "
        "what the records produce",
    )
    add_archive_option(p)
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    return p


def add_archive_option(p) -> None:
    p.add_argument(
        "--archive",
        type=Path,
        default=None,
        metavar="DIR",
        help="the folder of archived source texts, <source-id>.txt (default: the "
        "CONFLICTDATA_ARCHIVE environment variable, else ../shared/sources beside the root)",
    )


def run(args) -> int:
    from conflictdata.publish import build
    from conflictdata.validation.quotes import Archive, archive_dir

    out = args.out if args.out is not None else args.root / DEFAULT_OUT
    archive = Archive(archive_dir(args.root, args.archive))
    # The release is written one record at a time into a temporary folder (inside the
    # output folder, so that its files can be moved into place), then compared or moved.
    folder = None
    if not args.check and args.root.is_dir():
        out.mkdir(parents=True, exist_ok=True)
        folder = out
    report, staged = build.stage(args.root, jobs=args.jobs, folder=folder, archive=archive)
    if staged is None:
        print_report(report, "text")
        print("build: nothing written; fix the problems above first", file=sys.stderr)
        return EXIT_PROBLEMS
    if not archive.available:
        print(
            f"build: no archive of source texts at {archive.folder}; quotes are published "
            "as not checked",
            file=sys.stderr,
        )
    with staged:
        outputs = staged.outputs
        if args.check:
            stale = build.differences(out, outputs)
            for rel, why in stale:
                print(f"{rel}: {why}")
            if not stale:
                print(f"ok: {len(outputs)} built file(s) match the records", file=sys.stderr)
            return EXIT_PROBLEMS if stale else EXIT_OK
        from conflictdata.core.paths import RECORDS_DIR, pending_files

        pending = pending_files(args.root / RECORDS_DIR)
        if pending:
            print(
                f"build: {len(pending)} record(s) still have a placeholder ID (ARR-NEW-...); "
                "this build checks that they publish, but is no release: 'conflictdata "
                "assign-ids' gives them real IDs on main, and 'conflictdata release' refuses "
                "placeholders",
                file=sys.stderr,
            )
        try:
            written, removed = build.write(out, outputs)
        except OSError as exc:  # a WriteError names the file and the reason
            print(
                f"build: {exc}; the previous release in {out} was left as it was",
                file=sys.stderr,
            )
            return EXIT_USAGE
    for rel in removed:
        print(f"removed {rel}")
    for rel in written:
        print(f"wrote {rel}")
    print(
        f"built {staged.records} record(s) into {len(outputs)} file(s) in {out}; "
        f"{len(written)} changed",
        file=sys.stderr,
    )
    return EXIT_OK
