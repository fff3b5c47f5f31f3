"""``conflictdata verify``: check a data package before trusting it."""

from __future__ import annotations

import sys
from pathlib import Path

from conflictdata.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE


def add(sub):
    p = sub.add_parser(
        "verify",
        help="check a built or downloaded data package: safe resource paths, the schema "
        "version, and every file against the size and SHA-256 its datapackage.json records",
    )
    p.add_argument(
        "path",
        type=Path,
        help="the package: its folder or its datapackage.json",
    )
    return p


def run(args) -> int:
    from conflictdata.loader.package import DESCRIPTOR, PackageError, verify

    root = args.path.parent if args.path.name == DESCRIPTOR else args.path
    if not (root / DESCRIPTOR).exists() and not (root / DESCRIPTOR).is_symlink():
        print(f"verify: no {DESCRIPTOR} in {root}", file=sys.stderr)
        return EXIT_USAGE
    try:
        desc = verify(root)
    except PackageError as exc:
        for problem in exc.problems:
            print(problem)
        print(
            f"verify: {len(exc.problems)} problem(s); do not use this package as it is",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print(
        f"ok: {len(desc['resources'])} resource(s) in {root} match their recorded size and SHA-256",
        file=sys.stderr,
    )
    return EXIT_OK
