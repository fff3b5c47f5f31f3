"""``conflictdata build``: validate, then write the data package."""

from __future__ import annotations

import sys

from conflictdata.cli.common import EXIT_OK, EXIT_PROBLEMS, command, print_report


def add(sub):
    p = command(
        sub, "build", help="validate, then write datapackage.json, data/*.csv and data/records.json"
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 naming each built file that differs from what the records produce",
    )
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    return p


def run(args) -> int:
    from conflictdata.publish import build

    report, outputs = build.produce(args.root, jobs=args.jobs)
    if outputs is None:
        print_report(report, "text")
        print("build: nothing written; fix the problems above first", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.check:
        stale = build.differences(args.root, outputs)
        for rel, why in stale:
            print(f"{rel}: {why}")
        if not stale:
            print(f"ok: {len(outputs)} built file(s) match the records", file=sys.stderr)
        return EXIT_PROBLEMS if stale else EXIT_OK
    written, removed = build.write(args.root, outputs)
    for rel in removed:
        print(f"removed {rel}")
    for rel in written:
        print(f"wrote {rel}")
    print(
        f"built {len(report.records)} record(s) into {len(outputs)} file(s); {len(written)} changed",
        file=sys.stderr,
    )
    return EXIT_OK
