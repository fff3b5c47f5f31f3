"""An integer too long for Python to convert (more than 4,300 digits) is a located
problem of its file, not a traceback, and the other files are still checked."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "conflictdata.cli"]


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_validate_reports_a_5000_digit_integer_where_it_is(tmp_path, fmt):
    shutil.copytree(ROOT / "records", tmp_path / "records")
    files = sorted((tmp_path / "records" / "arrests").rglob("*.yaml"))
    hit, other = files[0], files[1]
    lines = hit.read_text(encoding="utf-8").count("\n")
    with open(hit, "a", encoding="utf-8") as f:
        f.write("x: " + "1" * 5000 + "\n")
    text = other.read_text(encoding="utf-8")
    other.write_text(text.replace("status: ", "status: no-such-status-", 1), encoding="utf-8")
    done = subprocess.run(
        [*CLI, "validate", "--root", str(tmp_path), "--format", fmt],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "numbers are limited to" in done.stdout
    assert hit.name in done.stdout and other.name in done.stdout  # the other file too
    if fmt == "text":
        assert f"{hit.name}:{lines + 1}:4:" in done.stdout
