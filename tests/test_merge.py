"""Two pull requests from the same main never collide: each adds records with
``conflictdata new`` (placeholder IDs in their own files), a new actor and a new source,
with a ``related`` link between two new records of the same branch. Merged into main in
either order with plain ``git merge``: no conflict; ``conflictdata assign-ids`` gives
real IDs and keeps the links; ``validate`` and ``build`` pass. A placeholder never
reaches a release."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import seeds
from conflictdata.reader.yamlreader import read
from seeds import dump, git, seed

ROOT = Path(__file__).resolve().parent.parent


def cli(root: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    done = seeds.cli(root, *args)
    if ok:
        assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
    return done


def new(root: Path, *args: str) -> Path:
    return root / cli(root, "new", *args).stdout.strip()


def add_work(root: Path, tag: str) -> tuple[str, str]:
    """What one contributor adds on a branch: an actor, a source, and two arrests that
    cite them and link to each other. Returns the two placeholder IDs."""
    actor_path = new(root, "actor", f"police-{tag}")
    actor = read((ROOT / "records/actors/f/fsb.yaml").read_bytes())
    actor.update(id=f"police-{tag}", name=f"Police {tag}", aliases=[], description=None)
    actor = {k: v for k, v in actor.items() if v is not None and k != "wikidata"}
    actor_path.write_text(dump(actor), encoding="utf-8")
    source_path = new(root, "source", f"report-{tag}")
    source = seed("source")
    source.update(id=f"report-{tag}", title=f"Report {tag}")
    source.pop("url", None)
    source_path.write_text(dump(source), encoding="utf-8")
    ids = []
    paths = []
    for _ in range(2):
        path = new(root, "arrest")
        ids.append(path.stem)
        paths.append(path)
    for i, path in enumerate(paths):
        record = seed("arrest")
        record["id"] = ids[i]
        record["date"]["earliest"], record["date"]["latest"] = "2015-03-01", "2015-03-31"
        for claim in record["claims"]:
            claim["source"] = f"report-{tag}"
        record["parties"][0]["actor"] = f"police-{tag}"
        record["related"] = [{"record": ids[1 - i], "relation": "related"}]
        path.write_text(dump(record), encoding="utf-8")
    cli(root, "validate", *(str(p) for p in paths + [actor_path, source_path]))
    git(root, "add", "records")
    git(root, "commit", "-q", "-m", f"work {tag}")
    return ids[0], ids[1]


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict]:
    """A repository with the committed records on main, and two branches from it."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(ROOT / "records", root / "records")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "records")
    git(root, "commit", "-q", "-m", "records")
    made = {}
    for tag in ("a", "b"):
        git(root, "switch", "-q", "-c", tag, "main")
        made[tag] = add_work(root, tag)
    git(root, "switch", "-q", "main")
    return root, made


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")], ids=["a-then-b", "b-then-a"])
def test_two_branches_merge_in_either_order_and_main_is_valid(repo, order, tmp_path):
    root, made = repo
    for tag in order:
        git(root, "merge", "-q", "--no-edit", tag)  # check=True: a conflict fails here
    assert git(root, "status", "--porcelain") == ""
    before = {p.stem for p in (root / "records/arrests/2015").rglob("*.yaml")}
    done = cli(root, "assign-ids")
    pending = [i for pair in made.values() for i in pair]
    for placeholder in pending:
        assert placeholder in done.stdout
    assert list((root / "records").rglob("*-NEW-*")) == []
    after = {p.stem for p in (root / "records/arrests/2015").rglob("*.yaml")}
    new_ids = sorted(after - before)
    assert len(new_ids) == 4
    top = max(int(i[-5:]) for i in before)
    assert [int(i[-5:]) for i in new_ids] == list(range(top + 1, top + 5))
    # The links between the new records of each branch were rewritten, both ways.
    for rid in new_ids:
        record = read(next((root / "records").rglob(f"{rid}.yaml")).read_bytes())
        (link,) = record["related"]
        other = read(next((root / "records").rglob(f"{link['record']}.yaml")).read_bytes())
        assert other["related"] == [{"record": rid, "relation": "related"}]
    assert "-NEW-" not in "".join(
        p.read_text(encoding="utf-8") for p in (root / "records").rglob("*.yaml")
    )
    cli(root, "validate")
    cli(root, "build", "--out", str(tmp_path / "package"))
    assert cli(root, "assign-ids").stdout == ""  # nothing left: running again changes nothing


def test_a_pending_record_validates_with_a_notice(repo):
    root, made = repo
    git(root, "switch", "-q", "a")
    done = cli(root, "validate")
    assert "pending" in done.stderr and made["a"][0] in done.stderr


def test_a_placeholder_never_reaches_a_release_build(repo, tmp_path):
    root, _ = repo
    git(root, "switch", "-q", "a")
    done = cli(root, "build", "--out", str(tmp_path / "package"))
    assert "placeholder" in done.stderr and "assign-ids" in done.stderr
    done = cli(root, "release", "--date", "2026-12-01", "--dry-run", ok=False)
    assert done.returncode != 0
    assert "assign-ids" in done.stdout + done.stderr


def test_the_workflow_runs_assign_ids_on_main_without_looping():
    import yaml

    flow = yaml.safe_load((ROOT / ".github/workflows/assign-ids.yml").read_text(encoding="utf-8"))
    on = flow[True] if True in flow else flow["on"]  # PyYAML reads the key `on` as true
    assert list(on) == ["push"] and on["push"]["branches"] == ["main"]
    assert flow["permissions"] == {}
    (job,) = flow["jobs"].values()
    assert job["permissions"] == {"contents": "write"}
    assert job["if"] == "github.actor != 'github-actions[bot]'"
    runs = [step.get("run", "") for step in job["steps"]]
    assert "conflictdata assign-ids" in runs and "conflictdata validate" in runs
