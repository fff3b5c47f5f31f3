"""The committed tree is valid, and the CLI reports it as such."""

from __future__ import annotations

import subprocess
import sys

from conflictdata.validation.validate import validate_tree


def test_committed_records_are_valid(root):
    report = validate_tree(root)
    assert report.problems == []
    assert report.files > 0


def test_cli_validate_exits_zero_on_committed_tree(root):
    done = subprocess.run(
        [sys.executable, "-m", "conflictdata.cli", "validate", "--root", str(root)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no problems" in done.stderr


def test_cli_usage_error_exits_two():
    done = subprocess.run(
        [sys.executable, "-m", "conflictdata.cli", "validate", "--format", "xml"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2


def test_schema_files_match_models(root):
    from conflictdata.model import schemagen

    assert schemagen.check(root) == []
