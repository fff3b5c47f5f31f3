"""``conflictdata fmt`` against hostile files: a link is refused (its target never read,
printed or written), a failed or killed run keeps the old record, a huge file is
refused quickly instead of formatted for a minute."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conflictdata.core import atomic
from conflictdata.tools import fmt
from seeds import cli, make_tree

MESSY = "id: 'fsb'\nname: Federal Security Service\ntype: state_body\n"
ACTOR = "records/actors/f/fsb.yaml"


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return cli(root, "fmt", "--root", ".", *args, timeout=120)


@pytest.fixture
def tree(tmp_path) -> Path:
    root = make_tree(tmp_path / "repo")
    (root / ACTOR).parent.mkdir(parents=True, exist_ok=True)
    (root / ACTOR).write_text(MESSY, encoding="utf-8")
    return root


@pytest.fixture
def linked(tree, tmp_path) -> tuple[Path, Path]:
    """A record that is a link to a file outside the repository."""
    outside = tmp_path / "config.json"
    outside.write_text('{"secret": "do-not-print", "id": "fsb"}\n')
    link = tree / "records/actors/s/secret.yaml"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside)
    return link, outside


@pytest.mark.parametrize("args", [[], ["records/actors/s/secret.yaml"], ["records/actors"]])
def test_check_refuses_a_link_and_never_prints_its_target(tree, linked, args):
    done = _cli(tree, "--check", *args)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "do-not-print" not in done.stdout + done.stderr
    assert "secret.yaml:1:1: is a symbolic link" in done.stderr


def test_fmt_never_writes_through_a_link(tree, linked):
    link, outside = linked
    done = _cli(tree)
    assert done.returncode == 1 and "symbolic link" in done.stderr
    assert outside.read_text() == '{"secret": "do-not-print", "id": "fsb"}\n'
    assert link.is_symlink()
    assert (tree / ACTOR).read_text().startswith("id: fsb\n")  # the other files are formatted


def test_a_full_disk_keeps_the_record_and_exits_two(tree, monkeypatch, capsys):
    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", full)
    out = fmt.run(tree, [tree / ACTOR])
    assert not out.ok and not out.changed
    assert (tree / ACTOR).read_text() == MESSY
    assert "No space left on device" in out.unwritten[0]
    assert not [p for p in (tree / ACTOR).parent.iterdir() if p.name != "fsb.yaml"]


def test_a_killed_fmt_keeps_the_record(tree):
    """fmt killed while writing (after its temporary is written, before the rename)."""
    script = (
        "import sys, time\n"
        "from conflictdata.core import atomic\n"
        "real = atomic._finish\n"
        "def slow(*a):\n"
        "    real(*a)\n"
        "    print('written', flush=True)\n"
        "    time.sleep(60)\n"
        "atomic._finish = slow\n"
        "from conflictdata.cli import main\n"
        "sys.exit(main(['fmt', '--root', '.', sys.argv[1]]))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, ACTOR], cwd=tree, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline() == "written\n"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert (tree / ACTOR).read_text() == MESSY


def test_a_huge_list_is_refused_not_formatted_for_a_minute(tree):
    items = "".join(f"- x{i}\n" for i in range(450_000))
    text = "id: fsb\nname: F\ntype: state_body\naliases:\n" + items
    assert len(text.encode()) < 10_000_000
    with pytest.raises(
        fmt.FormatError, match=r"holds 450,005 values; fmt formats files of at most"
    ):
        fmt.format_text(text, "actors/f/fsb.yaml")


@pytest.mark.parametrize("args", [["records/actors/f/odd.yaml"], []])
def test_a_fifo_is_refused_not_waited_on(tree, args):
    os.mkfifo(tree / "records/actors/f/odd.yaml")
    done = _cli(tree, "--check", *args)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "odd.yaml:1:1: cannot format: a named pipe (FIFO), not a plain file" in done.stderr


def test_a_rewrite_keeps_the_file_mode(tree):
    (tree / ACTOR).chmod(0o640)
    out = fmt.run(tree, [tree / ACTOR])
    assert out.ok and out.changed
    assert ((tree / ACTOR).stat().st_mode & 0o777) == 0o640
    assert not fmt.run(tree, [tree / ACTOR], check=True).changed
