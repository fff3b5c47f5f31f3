"""A contributor's pull request, as CONTRIBUTING.md walks it: in a fresh clone, start
two records with ``conflictdata new``, fill them in from an archived article (the
Moscow Times / Meduza article of May 2023: Baurzhan Kultanov jailed in Turkey, and his
time as an Islamic State fighter in Syria), commit only those files, and every check of
the CI workflow passes, with no generated file regenerated; and the tests that depend
on the committed release still pass with records ahead of it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conflictdata.validation.quotes import archive_dir

ROOT = Path(__file__).resolve().parent.parent
TRIAL = Path(__file__).resolve().parent / "fixtures" / "trial" / "records"
ARCHIVE = archive_dir(ROOT)
CLI = [sys.executable, "-m", "conflictdata.cli"]

pytestmark = pytest.mark.slow


def _run(args, cwd, check=True, **kw):
    env = dict(os.environ, CONFLICTDATA_ARCHIVE=str(ARCHIVE))
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, **kw)
    if check:
        assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done


def _git(*args, cwd):
    return _run(["git", *args], cwd=cwd).stdout.strip()


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory) -> tuple[Path, str]:
    """A clone of this repository with the two records committed on a branch; returns
    (the clone, the commit the branch started from)."""
    if not (ROOT / ".git").exists():
        pytest.fail("the contributor path needs a git checkout of the repository")
    clone = tmp_path_factory.mktemp("contributor") / "conflictdata"
    _run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], cwd=ROOT)
    _git("config", "user.email", "contributor@example.org", cwd=clone)
    _git("config", "user.name", "A contributor", cwd=clone)
    base = _git("rev-parse", "HEAD", cwd=clone)
    _git("switch", "--quiet", "-c", "kultanov", cwd=clone)
    for fixture in sorted(TRIAL.rglob("*.yaml")):
        kind, year = fixture.relative_to(TRIAL).parts[:2]
        what = {"arrests": "arrest", "recruitment": "recruitment"}[kind]
        # as CONTRIBUTING.md says: `conflictdata new <kind> --year <year>`, then fill it in
        printed = _run([*CLI, "new", what, "--year", year], cwd=clone).stdout.splitlines()[0]
        new = clone / printed.strip()
        text = fixture.read_text(encoding="utf-8")
        new.write_text(re.sub(r"(?m)^id: .*$", f"id: {new.stem}", text, count=1), encoding="utf-8")
    _git("add", "records", cwd=clone)
    _git("commit", "--quiet", "-m", "Two records from the Moscow Times article", cwd=clone)
    return clone, base


def test_the_pull_request_changes_only_records(pull_request):
    clone, base = pull_request
    changed = _git("diff", "--name-only", base, "HEAD", cwd=clone).splitlines()
    assert len(changed) == 2 and all(p.startswith("records/") for p in changed), changed


@pytest.mark.parametrize(
    "step",
    [
        ["validate", "--changed", "--base", "{base}", "--format", "github"],
        ["validate", "--base", "{base}"],
        ["quotes", "--format", "github"],
        ["fmt", "--check"],
        ["build", "--out", "{tmp}/package"],
        ["schema", "--check"],
        ["codebook", "--check"],
        ["release", "--check"],
    ],
    ids=lambda s: " ".join(s[:2]),
)
def test_every_check_of_the_workflow_passes(pull_request, tmp_path, step):
    clone, base = pull_request
    args = [a.format(base=base, tmp=tmp_path) for a in step]
    _run([*CLI, *args], cwd=clone)
    if step[0] == "build":
        descriptor = tmp_path / "package" / "datapackage.json"
        done = _run(
            [sys.executable, "-m", "frictionless", "validate", "--json", str(descriptor)],
            cwd=descriptor.parent,
            check=False,
        )
        assert done.returncode == 0 and json.loads(done.stdout)["valid"], done.stdout[:3000]
        built = json.loads((tmp_path / "package" / "data" / "records.json").read_text())
        ours = {p.stem for p in (clone / "records").rglob("*.yaml")} & {
            r["id"] for r in built["records"]
        }
        assert len(ours) == len(built["records"])
    # nothing was regenerated in the clone
    assert _git("status", "--porcelain", cwd=clone) == ""


def test_the_tests_that_read_the_committed_release_pass_with_records_ahead_of_it(pull_request):
    clone, _ = pull_request
    if shutil.which("git") is None:
        pytest.fail("git is needed")
    done = _run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_release.py",
            "tests/test_dataset.py",
            "tests/test_codebook.py",
            "tests/test_quotes.py",
        ],
        cwd=clone,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
