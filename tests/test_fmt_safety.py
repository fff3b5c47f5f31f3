"""fmt never reads or writes through a symbolic link, and replaces a file atomically:
a failed write leaves the record as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conflictdata.tools import fmt

ROOT = Path(__file__).resolve().parent.parent
SECRET = '{"token": "do-not-print-me"}\n'


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "records" / "actors", tmp_path / "records" / "actors")
    return tmp_path


def one_actor(tree: Path) -> Path:
    return sorted((tree / "records" / "actors").rglob("*.yaml"))[0]


def unformat(path: Path) -> bytes:
    """Move the ``id:`` line to the end: valid, but not in the canonical order."""
    lines = path.read_bytes().splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith(b"id:"))
    lines.append(lines.pop(first))
    path.write_bytes(b"".join(lines))
    return path.read_bytes()


def linked(tree: Path) -> tuple[Path, Path]:
    """A record file that is a link to a file outside records/."""
    outside = tree / "outside.json"
    outside.write_text(SECRET, encoding="utf-8")
    link = one_actor(tree)
    link.unlink()
    link.symlink_to(outside)
    return link, outside


def cli(tree: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "conflictdata.cli", "fmt", *args],
        cwd=tree,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("args", [("--check",), ()])
def test_a_linked_record_is_refused_and_its_target_neither_printed_nor_changed(tree, args):
    link, outside = linked(tree)
    done = cli(tree, *args)
    assert done.returncode == 1
    assert "symbolic link" in done.stdout + done.stderr
    assert "do-not-print-me" not in done.stdout + done.stderr
    assert outside.read_text(encoding="utf-8") == SECRET
    assert link.is_symlink()
    assert "Traceback" not in done.stderr


def test_a_failed_write_leaves_the_record_and_no_temporary(tree, monkeypatch):
    path = one_actor(tree)
    changed = unformat(path)

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    outcome = fmt.run(tree, [path])
    assert outcome.failures and "No space left on device" in outcome.failures[0]
    assert path.read_bytes() == changed
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_rewrite_keeps_the_file_mode(tree):
    path = one_actor(tree)
    unformat(path)
    path.chmod(0o640)
    outcome = fmt.run(tree, [path])
    assert outcome.ok and outcome.changed
    assert (path.stat().st_mode & 0o777) == 0o640
    assert not fmt.run(tree, [path], check=True).changed
