"""``conflictdata schema``: write or check the JSON Schemas generated from the models."""

from __future__ import annotations

from conflictdata.cli.common import EXIT_OK, EXIT_PROBLEMS, command


def add(sub):
    p = command(sub, "schema", help="write the JSON Schemas in schema/ from the models")
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if schema/ differs from the models",
    )
    return p


def run(args) -> int:
    from conflictdata.model import schemagen

    if args.check:
        stale = schemagen.check(args.root)
        for name in stale:
            print(
                f"{name}: differs from the models; run 'conflictdata schema' and commit the result"
            )
        return EXIT_PROBLEMS if stale else EXIT_OK
    for path in schemagen.write(args.root):
        print(f"wrote {path}")
    return EXIT_OK
