"""``conflictdata stats``: counts by kind, country, year and status.

In a checkout it counts the record files; elsewhere (an installed package, a downloaded
release) it counts the records of the release, and says which release it read."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conflictdata.cli.common import EXIT_OK, EXIT_USAGE, READS_RECORDS, missing


def add(sub):
    p = sub.add_parser("stats", help="count records by kind, country, year and status")
    p.add_argument(
        "--root",
        type=Path,
        default=None,
        help="a checkout (its records/) or a built release; default: the checkout in the "
        "current folder, else the release installed with the package",
    )
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="a readable table, or JSON"
    )
    return p


def run(args) -> int:
    from conflictdata.core.paths import RECORDS_DIR
    from conflictdata.loader import release
    from conflictdata.loader.dataset import RECORDS_JSON, ReleaseNotFound
    from conflictdata.tools import stats

    root = args.root
    checkout = Path(".") if root is None else root
    if (checkout / RECORDS_DIR).is_dir():
        cannot = missing(READS_RECORDS)  # reading record files needs the contributor tools
        if cannot:
            print(f"conflictdata stats: {cannot}", file=sys.stderr)
            return EXIT_USAGE
        result = stats.count(checkout)
        source = f"the record files in {(checkout / RECORDS_DIR).resolve()}"
    else:
        try:
            folder = release.find(root)
        except ReleaseNotFound as exc:
            print(f"stats: {exc}", file=sys.stderr)
            return EXIT_USAGE
        with open(folder / RECORDS_JSON, encoding="utf-8") as f:
            result = stats.count_release(json.load(f)["records"])
        source = release.describe(folder, bundled=root is None)
    if args.format == "json":
        print(json.dumps(result, indent=1, ensure_ascii=False))
    else:
        print(stats.render(result))
    print(f"stats: read {source}", file=sys.stderr)
    if result["unreadable"]:
        print(
            "some files could not be read; run 'conflictdata validate' for the problems",
            file=sys.stderr,
        )
    return EXIT_OK
