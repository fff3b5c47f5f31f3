"""``conflictdata cite``: how to cite the release, from its CITATION.cff."""

from __future__ import annotations

import sys
from pathlib import Path

from conflictdata.cli.common import EXIT_OK, EXIT_PROBLEMS


def add(sub):
    p = sub.add_parser("cite", help="print the citation of the installed release")
    p.add_argument(
        "--format",
        choices=("apa", "bibtex", "cff"),
        default="apa",
        help="APA text (default), a BibTeX entry, or the CITATION.cff file itself",
    )
    p.add_argument(
        "--root",
        type=Path,
        default=None,
        help="a checkout whose CITATION.cff to use (default: the installed release's)",
    )
    return p


def run(args) -> int:
    from conflictdata.loader import citation, release

    path = release.extra_file("CITATION.cff", args.root)
    if path is None:
        where = args.root if args.root is not None else "the installed package"
        print(f"cite: no CITATION.cff in {where}", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        text = citation.render(path, args.format)
    except citation.CitationError as exc:
        print(f"cite: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(text)
    print(f"cite: from {path}", file=sys.stderr)
    return EXIT_OK
