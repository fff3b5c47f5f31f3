"""``validate --changed [--base REF]`` checks what a branch changed, the records linked to
it, and that no record ID disappeared; ``validate --base REF`` does the last over a
full run. Every problem is located, in text and as GitHub annotations."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conflictdata.core import git as gitrefs
from conflictdata.core.terminal import shown_path
from conflictdata.reader.yamlreader import read
from seeds import cli, make_tree

ARREST = "records/arrests/2015/000/ARR-2015-00001.yaml"
TRANSFER = "records/weapons-transfers/2015/000/WTR-2015-00001.yaml"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-C",
            str(root),
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The fixed seed tree in a fresh git repository, committed on branch main."""
    tree = make_tree(tmp_path)
    git(tree, "init", "-q", "-b", "main")
    git(tree, "add", "records")
    git(tree, "commit", "-q", "-m", "records")
    return tree


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unchanged_tree_checks_nothing_and_passes(repo):
    done = cli(repo, "validate", "--changed")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 file(s) checked" in done.stderr


def test_changes_lists_modified_untracked_and_deleted_files(repo):
    edit(repo / ARREST, "status: disputed", "status: reported")
    new = repo / "records/actors/z/zz-new-actor.yaml"
    new.parent.mkdir(parents=True)
    new.write_text("id: zz-new-actor\nname: New\ntype: person\n", encoding="utf-8")
    gone = next((repo / "records/actors").rglob("*.yaml"))
    gone.unlink()
    found = gitrefs.changes(repo, "HEAD")
    assert ARREST.removeprefix("records/") in found.changed
    assert "actors/z/zz-new-actor.yaml" in found.changed
    assert found.deleted == (gone.relative_to(repo / "records").as_posix(),)


def test_committed_changes_on_a_branch_are_compared_with_the_fork_point(repo):
    git(repo, "checkout", "-q", "-b", "topic")
    edit(repo / ARREST, "status: disputed", "status: reported")
    git(repo, "commit", "-q", "-am", "change")
    found = gitrefs.changes(repo, gitrefs.fork_point(repo, "main"))
    assert found.changed == (ARREST.removeprefix("records/"),)


def test_a_record_with_three_mistakes_gives_three_located_messages(repo):
    path = repo / ARREST
    edit(path, "status: disputed", "status: disputted")
    edit(path, 'earliest: "2015-11-01"', 'earliest: "2015-11-31"')
    edit(path, "- actor: osama-khayat", "- actor: osama-khayat-typo")
    done = cli(repo, "validate", "--changed")
    assert done.returncode == 1
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 3, done.stdout
    text = path.read_text(encoding="utf-8").splitlines()
    expected = {
        "status": "status: disputted",
        "date.earliest": 'earliest: "2015-11-31"',
        "parties[1].actor": "- actor: osama-khayat-typo",
    }
    for line in lines:
        m = re.fullmatch(r"(\S+):(\d+):(\d+): (\S+): (.+)", line)
        assert m, line
        assert m.group(1) == ARREST
        field = m.group(4)
        assert expected[field] in text[int(m.group(2)) - 1], line
    assert {re.fullmatch(r"\S+:\d+:\d+: (\S+): .+", line).group(1) for line in lines} == set(
        expected
    )
    assert "did you mean 'disputed'" in done.stdout

    github = cli(repo, "validate", "--changed", "--format", "github")
    annotations = github.stdout.strip().splitlines()
    assert len(annotations) == 3
    for note in annotations:
        assert re.fullmatch(
            rf"::error file={ARREST},line=\d+,col=\d+,title=conflictdata [a-z-]+::.+", note
        ), note


def test_only_changed_files_and_their_links_are_checked(repo):
    # Break a record that the change does not touch: --changed must not look at it.
    untouched = repo / "records/recruitment"
    broken = sorted(untouched.rglob("*.yaml"))[0]
    edit(broken, "status:", "status: nonsense\nstatus_old:")
    git(repo, "commit", "-qam", "broken elsewhere")
    edit(repo / ARREST, "status: disputed", "status: disputed\n")
    done = cli(repo, "validate", "--changed")
    assert done.returncode == 0, done.stdout + done.stderr
    # the arrest links to the transfer, so both are checked
    assert "2 file(s) checked" in done.stderr


def test_removing_a_link_rechecks_the_record_that_still_links_back(repo):
    path = repo / ARREST
    data = read(path.read_bytes())
    assert {"record": "WTR-2015-00001", "relation": "alleges"} in data["related"]
    text = path.read_text(encoding="utf-8")
    start = text.index("related:\n")
    end = text.index("notes:", start)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    done = cli(repo, "validate", "--changed")
    assert done.returncode == 1
    assert TRANSFER in done.stdout
    assert "ARR-2015-00001 must link back" in done.stdout


def test_deleting_a_record_without_a_tombstone_fails_naming_its_id(repo):
    (repo / ARREST).unlink()
    for args in (("validate", "--changed", "--base", "HEAD"), ("validate", "--base", "HEAD")):
        done = cli(repo, *args)
        assert done.returncode == 1, args
        lost = [line for line in done.stdout.splitlines() if "no tombstone" in line]
        assert len(lost) == 1 and "ARR-2015-00001" in lost[0], done.stdout
        assert lost[0].startswith("records/withdrawn.yaml:1:1: ")
    github = cli(repo, "validate", "--changed", "--format", "github")
    assert any(
        line.startswith(
            "::error file=records/withdrawn.yaml,line=1,col=1,title=conflictdata id-loss::ARR-2015-00001"
        )
        for line in github.stdout.splitlines()
    ), github.stdout


def test_a_deletion_committed_on_the_branch_is_still_caught(repo):
    git(repo, "checkout", "-q", "-b", "topic")
    git(repo, "rm", "-q", ARREST)
    git(repo, "commit", "-qm", "remove")
    done = cli(repo, "validate", "--changed", "--base", "main")
    assert done.returncode == 1
    assert "ARR-2015-00001" in done.stdout and "no tombstone" in done.stdout


def test_a_record_added_on_the_base_after_the_fork_is_not_reported_lost(repo):
    git(repo, "checkout", "-q", "-b", "topic")
    git(repo, "checkout", "-q", "main")
    target = repo / ARREST.replace("00001", "00090")
    text = (repo / ARREST).read_text(encoding="utf-8").replace("ARR-2015-00001", "ARR-2015-00090")
    text = text[: text.index("related:")] + text[text.index("notes:") :]
    target.write_text(text, encoding="utf-8")
    git(repo, "add", "records")
    git(repo, "commit", "-qm", "added on main")
    git(repo, "checkout", "-q", "topic")
    done = cli(repo, "validate", "--base", "main")
    assert "ARR-2015-00090" not in done.stdout, done.stdout


def test_a_tombstone_makes_the_deletion_pass(repo):
    (repo / ARREST).unlink()
    edit(repo / TRANSFER, "related:\n- record: ARR-2015-00001\n  relation: alleged_in\n", "")
    (repo / "records/withdrawn.yaml").write_text(
        '- id: ARR-2015-00001\n  reason: out_of_scope\n  withdrawn: "2026-11-22"\n',
        encoding="utf-8",
    )
    done = cli(repo, "validate", "--changed", "--base", "HEAD")
    assert done.returncode == 0, done.stdout + done.stderr
    done = cli(repo, "validate", "--base", "HEAD")
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_unknown_base_is_a_usage_error_not_a_traceback(repo):
    done = cli(repo, "validate", "--changed", "--base", "no-such-branch")
    assert done.returncode == 2
    assert "no-such-branch" in done.stderr and "Traceback" not in done.stderr


def test_outside_a_repository_is_a_usage_error(tmp_path):
    tree = make_tree(tmp_path)
    done = cli(tree, "validate", "--changed")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr.strip()


def test_default_base_prefers_origin_main_then_main(repo):
    assert gitrefs.resolve_base(repo, None) == "main"
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    assert gitrefs.resolve_base(repo, None) == "origin/main"


def test_ci_and_pre_commit_run_these_checks():
    import shlex

    import yaml

    from conflictdata.cli import parser

    root = Path(__file__).resolve().parent.parent
    workflow = yaml.safe_load((root / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["check"]["permissions"] == {"contents": "read"}
    steps = workflow["jobs"]["check"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = [s["run"] for s in steps if "run" in s]
    commands = [r for r in runs if r.startswith("conflictdata ")]
    for wanted in (
        'conflictdata validate --changed --base "$BASE" --format github',
        'conflictdata validate --base "$BASE"',
        "conflictdata fmt --check",
        "conflictdata schema --check",
        "conflictdata codebook --check",
        "conflictdata release --check",
        "conflictdata quotes --format github",
        'conflictdata build --out "$RUNNER_TEMP/package"',
    ):
        assert wanted in commands, wanted
    # the build of the pull request, not the committed release, is checked by frictionless
    assert 'frictionless validate "$RUNNER_TEMP/package/datapackage.json"' in runs
    assert ".ci/run" in runs
    # nothing requires the committed release to match the records
    assert not any("build --check" in r for r in runs)
    known = set(parser()._subparsers._group_actions[0].choices)
    for command in commands:
        assert shlex.split(command)[1] in known, command
    hooks = {
        h["id"]: h
        for h in yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    assert set(hooks) == {"conflictdata-validate", "conflictdata-fmt"}
    for hook in hooks.values():
        assert shlex.split(hook["entry"])[1] in known


@pytest.mark.parametrize(
    "name", ["ARR-2015-00001 copy.yaml", "ARR 2015 00002.yaml", "ARR-2015-\tx.yaml"]
)
def test_a_changed_file_name_with_spaces_is_checked_and_located(repo, name):
    """git quotes such names in its output; --changed must still find the file, check it
    and name it (escaped), never skip it or fail on it."""
    folder = repo / ARREST.rsplit("/", 1)[0]
    (folder / name).write_bytes((repo / ARREST).read_bytes())
    for args in (["validate", "--changed"], ["validate", "--changed", "--format", "github"]):
        done = cli(repo, *args)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        shown = shown_path(name)  # a tab is shown escaped, never raw
        assert any(shown in line for line in done.stdout.splitlines()), done.stdout
