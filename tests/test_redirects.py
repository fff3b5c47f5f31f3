"""Redirects in ``records/redirects.yaml``: a renamed or merged actor or source keeps its
old ID as a pointer. One fixture per rule, each failing for that reason alone; the
``--base`` check covers actors and sources; ``load()`` resolves an old ID and says
that it moved."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import conflictdata
from conflictdata.publish import build
from conflictdata.validation import redirects
from conflictdata.validation.changes import check_base
from conflictdata.validation.validate import validate_paths, validate_tree
from seeds import cli, git, make_tree

OLD, NEW = "osama-khayat", "osama-al-khayat"
ARREST = "arrests/2015/000/ARR-2015-00001.yaml"  # names osama-khayat as a party
TRANSFER = "weapons-transfers/2015/000/WTR-2015-00001.yaml"  # and so does this one
GOOD = f"""\
# Renamed and merged actors and sources.
- registry: actor
  id: {OLD}
  replaced_by: {NEW}
  reason: renamed
  moved: "2026-11-29"
  note: The sources spell the name al-Khayat.
"""


def rename_actor(tree: Path, old: str = OLD, new: str = NEW) -> None:
    """Move an actor's file to its new ID (the redirect is written separately)."""
    folder = tree / "records" / "actors"
    text = (folder / old[0] / f"{old}.yaml").read_text(encoding="utf-8")
    (folder / old[0] / f"{old}.yaml").unlink()
    (folder / new[0]).mkdir(exist_ok=True)
    (folder / new[0] / f"{new}.yaml").write_text(
        text.replace(f"id: {old}", f"id: {new}"), encoding="utf-8"
    )


def rewrite_references(tree: Path, old: str = OLD, new: str = NEW) -> None:
    for path in (tree / "records").rglob("*.yaml"):
        if path.name == redirects.FILE_NAME:
            continue
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new), encoding="utf-8")


def write(tree: Path, text: str) -> Path:
    path = tree / "records" / redirects.FILE_NAME
    path.write_text(text, encoding="utf-8")
    return path


def only(problems, rule: str):
    assert [p.rule for p in problems] == [rule], problems
    return problems[0]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path)


@pytest.fixture
def renamed(tree: Path) -> Path:
    """The seed tree after a complete rename: file moved, references rewritten, redirect."""
    rename_actor(tree)
    rewrite_references(tree)
    write(tree, GOOD)
    return tree


def test_a_complete_rename_passes_every_run(renamed):
    assert redirects.check(renamed) == []
    assert validate_tree(renamed).problems == []
    assert validate_paths(renamed, [renamed / "records" / ARREST]).problems == []


def test_a_missing_file_is_an_empty_list(tree):
    assert redirects.load(tree).entries == []
    assert redirects.check(tree) == []


def test_a_record_still_using_the_old_id_is_told_the_new_one(tree):
    rename_actor(tree)
    write(tree, GOOD)
    full = validate_tree(tree).problems
    assert [(p.rule, p.path.split("records/")[-1]) for p in full] == [
        ("moved-id", ARREST),
        ("moved-id", TRANSFER),
    ]
    for problem in (
        full[0],
        only(validate_paths(tree, [tree / "records" / ARREST]).problems, "moved-id"),
    ):
        assert (problem.line, problem.field) == (25, "parties[1].actor")
        assert f"actor '{OLD}' was renamed to '{NEW}' on 2026-11-29" in problem.message
        assert f"write '{NEW}' instead" in problem.message


def test_a_rename_without_a_redirect_is_an_unknown_actor(tree):
    rename_actor(tree)
    problems = validate_tree(tree).problems
    assert [p.rule for p in problems] == ["actor-refs", "actor-refs"]  # the arrest, the transfer
    assert all(f"actor '{OLD}' does not exist" in p.message for p in problems)


def test_the_old_file_must_be_gone(tree):
    (tree / "records/actors/o/osama-al-khayat.yaml").write_text(
        (tree / "records/actors/o/osama-khayat.yaml")
        .read_text(encoding="utf-8")
        .replace(f"id: {OLD}", f"id: {NEW}"),
        encoding="utf-8",
    )
    write(tree, GOOD)
    problem = only(redirects.check(tree), "redirects")
    assert (problem.line, problem.field) == (3, "[0].id")
    assert "still exists" in problem.message


def test_replaced_by_must_exist(renamed):
    write(renamed, GOOD.replace(f"replaced_by: {NEW}", "replaced_by: osama-alkhayat"))
    problem = only(redirects.check(renamed), "redirects")
    assert (problem.line, problem.field) == (4, "[0].replaced_by")
    assert "actor osama-alkhayat does not exist" in problem.message


def test_replaced_by_is_looked_up_in_the_same_registry(renamed):
    write(renamed, GOOD.replace("registry: actor", "registry: source"))
    problem = only(redirects.check(renamed), "redirects")
    assert f"source {NEW} does not exist" in problem.message


def test_a_redirect_points_straight_to_the_current_id(renamed):
    write(
        renamed,
        GOOD
        + GOOD.split("\n", 1)[1]
        .replace(f"id: {OLD}", "id: osama-hayat")
        .replace(f"replaced_by: {NEW}", f"replaced_by: {OLD}"),
    )
    problem = only(redirects.check(renamed), "redirects")
    assert f"{OLD} is itself redirected (to {NEW})" in problem.message


def test_an_old_id_is_listed_once(renamed):
    write(renamed, GOOD + GOOD.split("\n", 1)[1])
    problem = only(redirects.check(renamed), "redirects")
    assert "listed twice" in problem.message


def test_an_entry_has_the_schema(renamed):
    write(renamed, GOOD.replace("reason: renamed", "reason: renamd"))
    problem = only(redirects.check(renamed), "redirects")
    assert (problem.line, problem.field) == (5, "[0].reason")
    assert "renamed" in problem.message


def test_a_list_is_required(renamed):
    write(renamed, "registry: actor\n")
    only(redirects.check(renamed), "redirects")


# --- validate --base: actor and source IDs never vanish -----------------------------------


@pytest.fixture
def repo(tree: Path) -> Path:
    git(tree, "init", "-q", "-b", "main")
    git(tree, "add", "records")
    git(tree, "commit", "-q", "-m", "records")
    git(tree, "switch", "-q", "-c", "rename")
    return tree


def test_base_check_fails_for_an_actor_gone_without_a_redirect(repo):
    rename_actor(repo)
    rewrite_references(repo)
    lost = check_base(repo, "main")
    problem = only(lost, "id-loss")
    assert f"actor {OLD} (records/actors/o/{OLD}.yaml at main) is gone and has no redirect" in (
        problem.message
    )
    for args in (("validate", "--base", "main"), ("validate", "--changed", "--base", "main")):
        done = cli(repo, *args)
        assert done.returncode == 1, done.stdout + done.stderr
        assert f"actor {OLD} " in done.stdout and "no redirect" in done.stdout


def test_base_check_fails_for_a_source_gone_without_a_redirect(repo):
    (repo / "records/sources/m/moscow-times-2023-05-16-fsb-ex-is-fighters.yaml").unlink()
    problem = only(check_base(repo, "main"), "id-loss")
    assert "source moscow-times-2023-05-16-fsb-ex-is-fighters" in problem.message


def test_base_check_passes_with_the_redirect(repo):
    rename_actor(repo)
    rewrite_references(repo)
    write(repo, GOOD)
    assert check_base(repo, "main") == []
    for args in (("validate", "--base", "main"), ("validate", "--changed", "--base", "main")):
        done = cli(repo, *args)
        assert done.returncode == 0, done.stdout + done.stderr


# --- The release: published, and resolved by load() -------------------------------------


@pytest.fixture
def release(renamed: Path) -> Path:
    report, outputs = build.produce(renamed, jobs=1)
    assert outputs is not None, report.problems
    build.write(renamed, outputs)
    return renamed


def test_the_release_publishes_the_redirects(release):
    rows = (release / "data" / "redirects.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "registry,id,replaced_by,reason,moved,note"
    assert rows[1].startswith(f"actor,{OLD},{NEW},renamed,2026-11-29,")


def test_load_resolves_an_old_id_and_says_it_moved(release):
    ds = conflictdata.load(release)
    with pytest.warns(conflictdata.MovedIdWarning, match=f"'{OLD}' was renamed to '{NEW}'"):
        actor = ds.actors[OLD]
    assert actor.id == NEW
    found = ds.resolve("actor", OLD)
    assert (found.id, found.moved_from, found.reason) == (NEW, OLD, "renamed")
    assert ds.resolve("actor", NEW).moved_from is None
    assert OLD not in ds.actors and NEW in ds.actors
    assert ds.actors.moved() == {OLD: NEW}
    with pytest.warns(conflictdata.MovedIdWarning):
        by_old = ds.filter(actor=OLD)
    assert [r.id for r in by_old] == [r.id for r in ds.filter(actor=NEW)] != []


def test_a_current_id_loads_without_a_warning(release):
    ds = conflictdata.load(release)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ds.actors[NEW].id == NEW
        assert ds.actors.get("nobody") is None
