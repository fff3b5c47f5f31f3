"""The ``conflictdata`` command line.

Exit status: 0 when all is well, 1 when the data has problems (or generated files are
stale), 2 on usage errors. Bad data never produces a traceback.

Each command is one module of this package with two functions: ``add(sub)`` declares
its arguments and ``run(args)`` runs it and returns the exit status. :data:`COMMANDS`
lists them in the order ``--help`` shows. Only the command line prints; the library
returns data.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings

from conflictdata.cli.common import EXIT_OK, EXIT_USAGE, missing
from conflictdata.core.terminal import EscapingStream

#: The commands, one module each, in the order ``--help`` lists them.
COMMANDS = [
    "validate",
    "quotes",
    "schema",
    "new",
    "assign-ids",
    "fmt",
    "stats",
    "codebook",
    "build",
    "release",
    "export",
    "site",
    "cite",
    "verify",
]


class _Version(argparse.Action):
    """``--version``: read when asked, not every time the parser is built."""

    def __call__(self, parser, namespace, values, option_string=None):
        from conflictdata.loader.release import versions

        v = versions()
        print(f"conflictdata {v['package']} (data {v['data']}, schema {v['schema']})")
        parser.exit()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="conflictdata", description="Validate, build and use the conflictdata dataset."
    )
    p.add_argument(
        "--version",
        action=_Version,
        nargs=0,
        help="show the package's version and the data and schema versions of its release",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"conflictdata.cli.{name.replace('-', '_')}")
        module.add(sub).set_defaults(
            run=module.run,
            needs=getattr(module, "NEEDS", ()),
            extra=getattr(module, "EXTRA", "validate"),
        )
    return p


def main(argv: list[str] | None = None) -> int:
    # The command line uses no pydantic plugins; looking for them reads the entry points
    # of every installed distribution, which costs more than checking a record. Setting
    # the variable yourself (for example to an empty string) turns the search back on.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # Whatever a command prints reaches the terminal with control and bidirectional
    # characters escaped (see conflictdata.core.terminal).
    saved = sys.stdout, sys.stderr, warnings.showwarning
    sys.stdout, sys.stderr = EscapingStream(sys.stdout), EscapingStream(sys.stderr)
    warnings.showwarning = _show_warning
    try:
        args = parser().parse_args(argv)
        if not getattr(args, "run", None):
            parser().print_help(sys.stderr)
            return EXIT_USAGE
        cannot = missing(args.needs, args.extra)
        if cannot:
            print(f"conflictdata {args.command}: {cannot}", file=sys.stderr)
            return EXIT_USAGE
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a full disk, a folder that cannot be written, a vanished file
        name = (argv or sys.argv[1:] or ["conflictdata"])[0]
        print(f"conflictdata {name}: could not run: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        sys.stdout, sys.stderr, warnings.showwarning = saved


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """A warning (such as a cache rebuilt) as one line on stderr, without source code."""
    print(f"conflictdata: warning: {message}", file=sys.stderr)
