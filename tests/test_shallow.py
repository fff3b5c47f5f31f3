"""A shallow clone (``git clone --depth 1``, CI's default checkout) lacks the commit a
branch shares with main. ``validate --changed`` and ``validate --base`` then say that the
history is too shallow and how to fetch more (exit 2); they never compare with main's
tip instead, which would report what main gained since as lost on the branch."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from seeds import cli, git, make_tree

ACTOR = "records/actors/f/fsb.yaml"


@pytest.fixture
def shallow(tmp_path: Path) -> Path:
    """A branch cloned with --depth 1 whose fork point with main is not in the clone:
    main gained an actor after the branch started, the branch changed another file."""
    origin = make_tree(tmp_path / "origin")
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", "records")
    git(origin, "commit", "-q", "-m", "records")
    git(origin, "switch", "-q", "-c", "feature")
    path = origin / ACTOR
    path.write_text(path.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    git(origin, "commit", "-q", "-am", "feature")
    git(origin, "switch", "-q", "main")
    added = origin / "records/actors/f/fsb-press-office.yaml"
    added.write_text(
        path.read_text(encoding="utf-8").replace("id: fsb\n", "id: fsb-press-office\n"),
        encoding="utf-8",
    )
    git(origin, "add", "records")
    git(origin, "commit", "-q", "-m", "main gains an actor")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--branch", "feature", origin.as_uri(), str(clone)],
        check=True,
    )
    git(clone, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    return clone


@pytest.mark.parametrize(
    "args",
    [("validate", "--changed"), ("validate", "--base", "origin/main")],
    ids=["changed", "base"],
)
def test_a_shallow_history_is_named_not_reported_as_lost_ids(shallow, args):
    done = cli(shallow, *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "history is too shallow" in done.stderr
    assert "git fetch --unshallow" in done.stderr
    assert "fsb-press-office" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    "args",
    [("validate", "--changed"), ("validate", "--base", "origin/main")],
    ids=["changed", "base"],
)
def test_with_the_history_fetched_the_same_run_passes(shallow, args):
    git(shallow, "fetch", "-q", "--unshallow", "origin", "+main:refs/remotes/origin/main")
    done = cli(shallow, *args)
    assert done.returncode == 0, done.stdout + done.stderr
