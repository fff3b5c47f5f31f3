"""Replacing a file atomically (conflictdata.core.atomic): the old file or the new one,
never a half-written one, never through a link, never a shared temporary name."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conflictdata.core import atomic
from conflictdata.core.atomic import WriteError


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if atomic.is_temporary(p.name))


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    target = tmp_path / "new.yaml"
    atomic.write_text(target, "a: 1\n")
    assert target.read_text() == "a: 1\n"
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert _temporaries(tmp_path) == []


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "old.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    atomic.write_bytes(target, b"new\n")
    assert target.read_bytes() == b"new\n" and target.stat().st_mode & 0o777 == 0o640


def test_an_exception_while_writing_keeps_the_old_file(tmp_path):
    target = tmp_path / "r.yaml"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic.replacing(target) as out:
        out.write(b"half")
        raise RuntimeError("stop")
    assert target.read_text() == "old\n" and _temporaries(tmp_path) == []


def test_a_full_disk_keeps_the_old_file_and_names_it(tmp_path, monkeypatch):
    target = tmp_path / "r.yaml"
    target.write_text("old\n")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(WriteError) as info:
        atomic.write_text(target, "new and longer\n")
    assert str(target) in str(info.value) and "No space left" in str(info.value)
    assert target.read_text() == "old\n" and _temporaries(tmp_path) == []


def test_a_folder_that_cannot_be_written_is_named(tmp_path):
    with pytest.raises(WriteError) as info:
        atomic.write_text(tmp_path / "missing" / "r.yaml", "x")
    assert "cannot create a file beside it" in str(info.value)


def test_a_link_at_the_target_is_refused_and_its_target_untouched(tmp_path):
    elsewhere = tmp_path / "config.json"
    elsewhere.write_text('{"keep": true}\n')
    link = tmp_path / "r.yaml"
    link.symlink_to(elsewhere)
    with pytest.raises(WriteError) as info:
        atomic.write_text(link, "a: 1\n")
    assert "symbolic link" in str(info.value)
    assert link.is_symlink() and elsewhere.read_text() == '{"keep": true}\n'
    assert _temporaries(tmp_path) == []


def test_a_folder_at_the_target_is_refused(tmp_path):
    (tmp_path / "r.yaml").mkdir()
    with pytest.raises(WriteError, match="not a plain file"):
        atomic.write_text(tmp_path / "r.yaml", "x")


def test_runs_at_the_same_time_never_share_a_temporary(tmp_path):
    target = tmp_path / "r.csv"
    with atomic.replacing(target) as a, atomic.replacing(target) as b:
        assert a.name != b.name
        a.write(b"a")
        b.write(b"b")
    assert target.read_bytes() in (b"a", b"b") and _temporaries(tmp_path) == []


def test_a_batch_failing_midway_keeps_every_old_file(tmp_path, monkeypatch):
    names = ["datapackage.json", "a.csv", "b.csv"]
    for n in names:
        (tmp_path / n).write_text(f"old {n}\n")
    real = atomic.tempfile.mkstemp
    calls = []

    def third_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    monkeypatch.setattr(atomic.tempfile, "mkstemp", third_fails)
    with pytest.raises(WriteError), atomic.Batch() as batch:
        for n in names:
            batch.add(tmp_path / n, f"new {n}\n".encode())
    assert [(tmp_path / n).read_text() for n in names] == [f"old {n}\n" for n in names]
    assert _temporaries(tmp_path) == []


def test_a_batch_replaces_all_files_when_all_are_written(tmp_path):
    with atomic.Batch() as batch:
        for n in ("a", "b"):
            batch.add(tmp_path / n, n.encode())
        assert not (tmp_path / "a").exists()  # nothing renamed before every file is written
    assert (tmp_path / "a").read_bytes() == b"a" and (tmp_path / "b").read_bytes() == b"b"


def test_a_killed_writer_leaves_the_old_file_and_a_named_temporary(tmp_path):
    target = tmp_path / "r.yaml"
    target.write_text("old\n")
    script = (
        "import sys, time\n"
        "from conflictdata.core import atomic\n"
        "with atomic.replacing(sys.argv[1]) as out:\n"
        "    out.write(b'x' * 1_000_000)\n"
        "    out.flush()\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline() == "writing\n"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    time.sleep(0.05)
    assert target.read_text() == "old\n"
    assert len(_temporaries(tmp_path)) == 1


def test_create_writes_a_new_file_and_never_replaces_one(tmp_path):
    target = tmp_path / "new.yaml"
    atomic.create(target, b"first\n")
    assert target.read_bytes() == b"first\n"
    with pytest.raises(WriteError, match="already exists"):
        atomic.create(target, b"second\n")
    assert target.read_bytes() == b"first\n" and _temporaries(tmp_path) == []
    link = tmp_path / "link.yaml"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(WriteError, match="symbolic link"):
        atomic.create(link, b"x")
    assert not (tmp_path / "nowhere").exists()
