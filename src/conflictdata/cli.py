"""The ``conflictdata`` command line.

Exit status: 0 when all is well, 1 when the data has problems (or generated files are
stale), 2 on usage errors. Bad data never produces a traceback.

Each command is one ``_cmd_*`` function and one ``_add_*`` function that declares its
arguments; :data:`COMMANDS` lists them in the order ``--help`` shows.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from conflictdata import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _print_report(report, fmt: str, what: str = "file") -> int:
    from conflictdata.validation.problems import format_problems

    if report.problems:
        print(format_problems(report.problems, fmt))
    files = {p.path for p in report.problems}
    if fmt != "json":
        if report.problems:
            print(
                f"{len(report.problems)} problem(s) in {len(files)} {what}(s); {report.files} {what}(s) checked",
                file=sys.stderr,
            )
        else:
            print(f"ok: {report.files} {what}(s) checked, no problems", file=sys.stderr)
    return EXIT_PROBLEMS if report.problems else EXIT_OK


def _command(sub, name: str, help: str) -> argparse.ArgumentParser:
    """A command that works in a checkout: every one takes ``--root``."""
    p = sub.add_parser(name, help=help)
    p.add_argument("--root", type=Path, default=Path("."), help="the repository root (default: .)")
    return p


# --- validate ---------------------------------------------------------------------------


def _add_validate(sub):
    p = _command(
        sub, "validate", help="check every record and cross-reference; report all problems at once"
    )
    p.add_argument(
        "paths", nargs="*", type=Path, help="files to check (default: the whole records/ tree)"
    )
    p.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text: path:line:col: field: message; github: workflow annotations; json: a list",
    )
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument(
        "--changed",
        action="store_true",
        help="check only files changed against the git base (committed, uncommitted and untracked), "
        "the records they link to, and that no record ID was lost",
    )
    p.add_argument(
        "--base",
        metavar="REF",
        default=None,
        help="git base to compare with (default: origin/main, else main, else HEAD); "
        "without --changed: a full run that also fails on record IDs gone since REF without a tombstone",
    )
    return p


def _cmd_validate(args) -> int:
    from conflictdata.validation.validate import validate_paths, validate_tree

    if args.changed and args.paths:
        print("conflictdata validate: give either --changed or paths, not both", file=sys.stderr)
        return EXIT_USAGE
    lost = []
    if args.changed or args.base is not None:
        from conflictdata.core.git import GitError
        from conflictdata.validation.changes import check_base, validate_changed

        try:
            if args.changed:
                return _print_report(validate_changed(args.root, args.base), args.format)
            lost = check_base(args.root, args.base)
        except GitError as exc:
            print(f"conflictdata validate: {exc}", file=sys.stderr)
            return EXIT_USAGE
    report = (
        validate_paths(args.root, args.paths)
        if args.paths
        else validate_tree(args.root, jobs=args.jobs)
    )
    if lost:
        report.problems = sorted(set(report.problems) | set(lost))
    return _print_report(report, args.format)


# --- schema -----------------------------------------------------------------------------


def _add_schema(sub):
    p = _command(sub, "schema", help="write the JSON Schemas in schema/ from the models")
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if schema/ differs from the models",
    )
    return p


def _cmd_schema(args) -> int:
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


# --- new ------------------------------------------------------------------------------


def _add_new(sub):
    p = _command(
        sub, "new", help="write a new record to fill in, with the next free ID, and print its path"
    )
    p.add_argument(
        "kind",
        metavar="KIND",
        help="incident, arrest, weapons_transfer or recruitment; or actor ID / source ID",
    )
    p.add_argument(
        "id", nargs="?", default=None, metavar="ID", help="the slug of a new actor or source"
    )
    p.add_argument(
        "--year", type=int, default=None, help="the year of the event (default: this year)"
    )
    return p


def _cmd_new(args) -> int:
    from conflictdata.core.paths import display_path as shown
    from conflictdata.tools.scaffold import ScaffoldError, create

    try:
        path = create(args.root, args.kind, args.id, args.year)
    except ScaffoldError as exc:
        print(f"conflictdata new: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(shown(path))
    print(
        f"fill in every field from the sources, then run: conflictdata validate {shown(path)}",
        file=sys.stderr,
    )
    return EXIT_OK


# --- fmt ------------------------------------------------------------------------------


def _add_fmt(sub):
    p = _command(
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


def _cmd_fmt(args) -> int:
    from conflictdata.tools.fmt import run

    return run(args.root, args.paths, check=args.check)


# --- stats ----------------------------------------------------------------------------


def _add_stats(sub):
    p = _command(sub, "stats", help="count records by kind, country, year and status")
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="a readable table, or JSON"
    )
    return p


def _cmd_stats(args) -> int:
    from conflictdata.tools.stats import run

    return run(args.root, args.format)


# --- codebook -------------------------------------------------------------------------


def _add_codebook(sub):
    p = _command(
        sub,
        "codebook",
        help="write docs/codebook.md from the models, the vocabularies and the rules",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if docs/codebook.md is out of date",
    )
    return p


def _cmd_codebook(args) -> int:
    from conflictdata.publish.codebook import run

    return run(args.root, check=args.check)


# --- build ----------------------------------------------------------------------------


def _add_build(sub):
    p = _command(
        sub, "build", help="validate, then write datapackage.json, data/*.csv and data/records.json"
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 naming each built file that differs from what the records produce",
    )
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    return p


def _cmd_build(args) -> int:
    from conflictdata.publish import build

    report, outputs = build.produce(args.root, jobs=args.jobs)
    if outputs is None:
        _print_report(report, "text")
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


# --- export ---------------------------------------------------------------------------


def _add_export(sub):
    p = sub.add_parser(
        "export", help="export the built release to another format (sqlite, parquet)"
    )
    p.add_argument(
        "format",
        choices=("sqlite", "parquet"),
        help="sqlite: a SQLite database and a Datasette metadata.json; parquet: one file per table",
    )
    p.add_argument(
        "path",
        type=Path,
        help="the file (sqlite, such as conflictdata.db) or folder (parquet) to write",
    )
    p.add_argument(
        "--root",
        type=Path,
        default=None,
        help="a checkout or built package to export (default: the installed release)",
    )
    return p


def _cmd_export(args) -> int:
    from conflictdata.publish import export

    return export.run(args.format, args.path, args.root)


COMMANDS = [
    (_add_validate, _cmd_validate),
    (_add_schema, _cmd_schema),
    (_add_new, _cmd_new),
    (_add_fmt, _cmd_fmt),
    (_add_stats, _cmd_stats),
    (_add_codebook, _cmd_codebook),
    (_add_build, _cmd_build),
    (_add_export, _cmd_export),
]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="conflictdata", description="Validate, build and use the conflictdata dataset."
    )
    p.add_argument("--version", action="version", version=f"conflictdata {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for add, run in COMMANDS:
        add(sub).set_defaults(run=run)
    return p


def main(argv: list[str] | None = None) -> int:
    # The command line uses no pydantic plugins; looking for them reads the entry points
    # of every installed distribution, which costs more than checking a record. Setting
    # the variable yourself (for example to an empty string) turns the search back on.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = parser().parse_args(argv)
    if not getattr(args, "run", None):
        parser().print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
