"""Every command of the command line over hostile input: never a traceback.

The commands are enumerated from :data:`conflictdata.cli.COMMANDS` and their arguments
from their parsers, so a new command is covered as soon as it is listed. Each runs (in
this process, for speed) against one tree that holds the whole hostile corpus
(``tests/hostile``) next to the seed records, plus what cannot be committed: file names
with control characters or bytes that are not UTF-8, a very long name, a FIFO, links to
files and folders outside the tree. Every path argument is also given hostile values (a
link, a file where a folder is expected, a name starting with ``-`` or ``::``).

What must hold for every run: it returns an exit status 0, 1 or 2 (argparse's own usage
errors included), no exception escapes, nothing outside the scratch folder changes, and
nothing it prints holds a raw control character.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conflictdata import cli
from conflictdata.core import gazetteer
from seeds import RECORDS as SEED_RECORDS
from test_hostile import FORGING_NAMES, GENERATED, HOSTILE, UNSAFE_OUTPUT

#: Extra arguments each command is also run with, where it takes them.
OPTION_VALUES = {
    "--check": [[]],
    "--format": None,  # every choice
    "--jobs": [["1"], ["0"], ["-3"]],
    "--base": [["--output=x"], ["no-such-ref"], ["HEAD@{99}"]],
    "--changed": [[]],
    "--year": [["99999"]],
}


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = cli.parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _hostile_tree(base: Path) -> Path:
    root = base / "tree"
    shutil.copytree(SEED_RECORDS, root / "records")
    # a repository whose main holds the seeds (for --changed and --base); the hostile
    # files come after, as a pull request's would: one committed, the rest untracked
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "seeds"], check=True)
    (root / "records" / os.fsdecode(b"actors/\xff-committed.yaml")).write_text("id: x\n")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "a name that is not UTF-8"], check=True)
    shutil.copytree(HOSTILE / "records", root / "records", dirs_exist_ok=True)
    for rel, content, _, _ in GENERATED:
        (root / "records" / rel).write_bytes(content)
    folder = root / "records/arrests/2015/000"
    seed = (folder / "ARR-2015-00001.yaml").read_bytes()
    for name in FORGING_NAMES:
        (folder / name).write_bytes(seed)
    (folder / os.fsdecode(b"ARR-2015-\xff\xfe.yaml")).write_bytes(seed)  # not UTF-8
    (folder / ("A" * 250 + ".yaml")).write_bytes(seed)  # near the 255-byte limit
    os.mkfifo(folder / "ARR-2015-00800.yaml")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("id: ARR-2015-00801\nsecret: do-not-print\n")
    (folder / "ARR-2015-00801.yaml").symlink_to(outside / "secret.yaml")
    (root / "records/arrests/2014").mkdir(parents=True, exist_ok=True)
    (root / "records/arrests/2014/000").symlink_to(outside, target_is_directory=True)
    (root / "records/actors/x").mkdir(parents=True, exist_ok=True)
    (root / "records/actors/x/dangling.yaml").symlink_to(base / "nowhere.yaml")
    return root


def _snapshot(folder: Path) -> dict[str, tuple]:
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        out[str(p)] = (
            st.st_mode,
            p.read_bytes()
            if stat.S_ISREG(st.st_mode)
            else os.readlink(p)
            if p.is_symlink()
            else None,
        )
    return out


def _runs(name: str, sub: argparse.ArgumentParser, root: Path, scratch: Path) -> list[list[str]]:
    """The argument lists to run ``name`` with."""
    base = [name]
    positional = [a for a in sub._actions if not a.option_strings]
    options = {s: a for a in sub._actions for s in a.option_strings}
    if "--root" in options:
        base += ["--root", str(root)]
    if "--jobs" in options:
        base += ["--jobs", "1"]
    fillers: list[list[str]] = [[]]
    for action in positional:
        if action.nargs in ("*", "?"):
            continue
        values: list[str]
        if action.choices:
            values = list(action.choices)
        elif action.type is Path:
            values = [
                str(scratch / f"out-{name}"),
                str(root / "records/arrests/2015/000/ARR-2015-00801.yaml"),  # a link
                str(root / "records/arrests/2015/000/ARR-2015-00001.yaml"),  # a record
                str(scratch / "::error::x"),
            ]
        else:
            values = ["arrest", "actor", "../../outside", "-", "x\n::error::y"]
        fillers = [f + [v] for f in fillers for v in values]
    runs = [base + f for f in fillers]
    runs.append(base[:1] + fillers[-1])  # without --root: the installed release or cwd
    for option, values in OPTION_VALUES.items():
        if option not in options:
            continue
        action = options[option]
        if values is None:
            values = [[c] for c in action.choices or []]
        for v in values:
            runs.append(base + fillers[0] + [option, *v])
    # hostile paths as the paths argument of the commands that take files
    if any(a.dest == "paths" for a in positional):
        for p in (
            "records/arrests/2015/000/ARR-2015-00800.yaml",  # FIFO
            "records/arrests/2015/000/ARR-2015-00801.yaml",  # link out
            "records/arrests/2014/000",  # a linked folder
            "records/nope.yaml",
            "records",
            "/dev/null",
        ):
            runs.append(base + [str(root / p) if not p.startswith("/") else p])
    return runs


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(argv)
        except SystemExit as exc:  # argparse: --help or a usage error
            status = exc.code if isinstance(exc.code, int) else 2
    return status, out.getvalue() + err.getvalue()


def test_every_command_is_enumerated():
    assert set(_subparsers()) == set(cli.COMMANDS)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("cli-hostile")
    return base, _hostile_tree(base)


@pytest.mark.parametrize("name", cli.COMMANDS)
def test_no_command_gives_a_traceback_on_hostile_input(name, hostile, tmp_path, monkeypatch):
    base, root = hostile
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    # a corrupt GeoNames cache where the commands will look for it
    cache = gazetteer._cache_file(gazetteer._source_file())
    cache.parent.mkdir(parents=True)
    cache.write_bytes(gazetteer._MAGIC + b"\xff" * 100)
    gazetteer.cities.cache_clear()
    outside = _snapshot(base / "outside")
    sub = _subparsers()[name]
    failures = []
    for argv in _runs(name, sub, root, tmp_path):
        try:
            status, printed = _run(argv)
        except Exception as exc:  # the point of the test: nothing may escape
            failures.append(f"{argv!r}: {type(exc).__name__}: {exc}")
            continue
        if status not in (0, 1, 2):
            failures.append(f"{argv!r}: exit status {status}")
        if "Traceback" in printed or UNSAFE_OUTPUT.search(printed):
            failures.append(f"{argv!r}: printed {printed[-400:]!r}")
        if "do-not-print" in printed:
            failures.append(f"{argv!r}: printed a linked file's contents")
    gazetteer.cities.cache_clear()
    assert not failures, "\n".join(failures)
    assert _snapshot(base / "outside") == outside, "a file outside the tree changed"


def test_a_records_folder_that_is_a_link_is_refused(tmp_path):
    outside = tmp_path / "outside"
    shutil.copytree(SEED_RECORDS, outside / "records")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo/records").symlink_to(outside / "records", target_is_directory=True)
    for command in (["validate"], ["fmt", "--check"], ["build", "--check"]):
        status, printed = _run([*command, "--root", str(tmp_path / "repo")])
        assert status == 1 and "symbolic link" in printed, (command, printed)
