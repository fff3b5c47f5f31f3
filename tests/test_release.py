"""``conflictdata release``: the committed ``data/`` and ``datapackage.json`` are the
latest release; a release rebuilds them, bumps the calendar version and writes a
CHANGELOG.md section naming every record, actor and source added, changed (with the
fields) and withdrawn since the release before."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conflictdata.core import paths
from conflictdata.publish import changelog, release
from conflictdata.reader.yamlreader import read
from conflictdata.validation.quotes import archive_dir
from seeds import dump

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "conflictdata.cli"]
ARCHIVE = archive_dir(ROOT)
#: What a release reads and writes, besides records/.
RELEASE_FILES = [
    "datapackage.json",
    "data",
    "CHANGELOG.md",
    "CITATION.cff",
    release.VERSION_FILE,
]


def run(*args, cwd=None):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd)


def copy_of_the_tree(where: Path) -> Path:
    """The records and the committed release, copied into ``where``; records of a pull
    request still holding placeholder IDs get their real IDs, as on main after the merge
    (a release never holds a placeholder)."""
    from conflictdata.tools.assign import assign

    shutil.copytree(ROOT / "records", where / "records")
    assert not assign(where).refused
    for rel in RELEASE_FILES:
        src, dst = ROOT / rel, where / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dst)
    return where


def released_copy(where: Path) -> Path:
    """A copy of the tree whose committed release is built from its own records: on a
    branch the records are ahead of the last release, and a test of what one release
    lists must start from a release of exactly those records."""
    root = copy_of_the_tree(where)
    done = run(
        "release",
        "--root",
        str(root),
        "--archive",
        str(ARCHIVE),
        "--date",
        "2026-12-01",
        "--jobs",
        "1",
    )
    assert done.returncode == 0 or "nothing to release" in done.stderr, done.stdout + done.stderr
    return root


def released_ids(root: Path) -> set[str]:
    data = json.loads((root / "data/records.json").read_text(encoding="utf-8"))
    return {r["id"] for r in data["records"]}


def record_path(root: Path, record_id: str) -> Path:
    return root / "records" / paths.record_relpath(record_id)


def unlinked_records(root: Path) -> list[str]:
    """Record IDs no other record mentions (safe to withdraw)."""
    files = sorted(
        p for p in (root / "records").rglob("*.yaml") if p.stem[:3] in ("ARR", "INC", "WTR", "REC")
    )
    texts = {p.stem: p.read_text(encoding="utf-8") for p in files}
    return [i for i in texts if not any(i in t for j, t in texts.items() if j != i)]


# --- The committed release ---------------------------------------------------------------------


def test_the_committed_release_states_one_version_everywhere():
    assert release.check(ROOT) == []
    done = run("release", "--check", "--root", str(ROOT))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_committed_release_is_a_valid_data_package():
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0 and json.loads(done.stdout)["valid"], done.stdout[:3000]


def test_a_version_stated_differently_is_named(tmp_path):
    root = copy_of_the_tree(tmp_path)
    path = root / "CITATION.cff"
    path.write_text(re.sub(r"^version: .*$", 'version: "1999.01.0"', path.read_text(), flags=re.M))
    assert [p.split(":")[0] for p in release.check(root)] == ["CITATION.cff"]


# --- Versions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "today", "expected"),
    [
        ("2026.11.0", date(2026, 11, 30), "2026.11.1"),
        ("2026.11.9", date(2026, 11, 1), "2026.11.10"),
        ("2026.11.3", date(2026, 12, 1), "2026.12.0"),
        ("2026.12.1", date(2027, 1, 5), "2027.01.0"),
    ],
)
def test_next_version_is_calendar_versioning(current, today, expected):
    assert release.next_version(current, today) == expected


def test_a_release_date_before_the_current_version_is_refused():
    with pytest.raises(release.ReleaseError, match="before"):
        release.next_version("2026.11.0", date(2026, 10, 31))


# --- A release with one added, one changed and one withdrawn record ----------------------------


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A released copy of the tree with one record added, one changed, one withdrawn and
    a note under Unreleased, released again on 2026-12-02."""
    root = released_copy(tmp_path_factory.mktemp("release"))
    free = unlinked_records(root)
    withdrawn_id, template_id = free[0], free[1]
    changed_id = next(
        i for i in free[2:] if len(read(record_path(root, i).read_bytes())["claims"]) > 1
    )

    # added: a copy of a record under a new ID
    data = read(record_path(root, template_id).read_bytes())
    prefix, year, _ = template_id.split("-")
    added_id = f"{prefix}-{year}-00999"
    data["id"] = added_id
    data["title"] = "A record added for the release test"
    path = record_path(root, added_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(data), encoding="utf-8")

    # changed: its title and the second claim's grade rationale
    data = read(record_path(root, changed_id).read_bytes())
    data["title"] = "A title changed for the release test"
    data["claims"][1]["grade"]["rationale"] = "A rationale changed for the release test."
    record_path(root, changed_id).write_text(dump(data), encoding="utf-8")

    # withdrawn: the file removed, a tombstone in its place
    record_path(root, withdrawn_id).unlink()
    (root / "records/withdrawn.yaml").write_text(
        dump(
            [
                {
                    "id": withdrawn_id,
                    "reason": "duplicate",
                    "replaced_by": changed_id,
                    "withdrawn": "2026-12-01",
                    "note": "Withdrawn for the release test.",
                }
            ]
        ),
        encoding="utf-8",
    )
    log = root / "CHANGELOG.md"
    log.write_text(
        log.read_text().replace(
            "## Unreleased\n", "## Unreleased\n\n- A hand-written note for the release test.\n"
        ),
        encoding="utf-8",
    )
    before = json.loads((root / "data/records.json").read_text())["version"]
    version = release.next_version(before, date(2026, 12, 2))
    done = run(
        "release",
        "--root",
        str(root),
        "--archive",
        str(ARCHIVE),
        "--date",
        "2026-12-02",
        "--jobs",
        "1",
    )
    ids = {
        "added": added_id,
        "changed": changed_id,
        "withdrawn": withdrawn_id,
        "replaced_by": changed_id,
        "version": version,
    }
    return root, done, ids, before


def _section(root: Path, version: str) -> str:
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    start = text.index(f"## {version} ")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def test_the_release_succeeds_and_bumps_the_version(released):
    root, done, ids, before = released
    assert done.returncode == 0, done.stdout + done.stderr
    version = ids["version"]
    assert before != version
    for rel in ("datapackage.json", "data/records.json"):
        assert json.loads((root / rel).read_text())["version"] == version
    assert f'DATA_VERSION = "{version}"' in (root / release.VERSION_FILE).read_text()
    citation = (root / "CITATION.cff").read_text()
    assert f'version: "{version}"' in citation and 'date-released: "2026-12-02"' in citation
    assert release.check(root) == []


def test_the_changelog_names_the_added_changed_and_withdrawn_records(released):
    root, _, ids, _ = released
    section = _section(root, ids["version"])
    assert section.startswith(f"## {ids['version']} (2026-12-02)\n")
    added = section.split("Added:")[1].split("Changed:")[0]
    assert f"- `{ids['added']}`: A record added for the release test" in added
    changed = section.split("Changed:")[1].split("Withdrawn:")[0]
    assert (
        f"- `{ids['changed']}` (A title changed for the release test): claims (c2 changed), title"
        in changed
    )
    withdrawn = section.split("Withdrawn:")[1]
    assert f"- `{ids['withdrawn']}`: duplicate, replaced by `{ids['replaced_by']}`" in withdrawn
    # nothing else is listed: the other records, the actors and sources did not change
    assert section.count("\n- `") == 3
    assert "### Actors" not in section and "### Sources" not in section


def test_the_unreleased_notes_move_into_the_release(released):
    root, _, ids, _ = released
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.unreleased_notes(text) == []
    notes = _section(root, ids["version"]).split("### Notes")[1].split("###")[0]
    assert "- A hand-written note for the release test." in notes
    assert text.index("## Unreleased") < text.index(f"## {ids['version']} ")
    assert text.index(f"## {ids['version']} ") < text.index("## 2026.11.0")


def test_the_release_is_a_valid_data_package(released):
    root, _, ids, _ = released
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert done.returncode == 0 and json.loads(done.stdout)["valid"], done.stdout[:3000]
    data = json.loads((root / "data/records.json").read_text())
    assert ids["added"] in {r["id"] for r in data["records"]}
    assert ids["withdrawn"] not in {r["id"] for r in data["records"]}
    assert ids["withdrawn"] in {w["id"] for w in data["withdrawn"]}


def test_a_second_release_without_changes_is_refused(released):
    root, _, _, _ = released
    done = run("release", "--root", str(root), "--archive", str(ARCHIVE), "--date", "2026-12-03")
    assert done.returncode == 2 and "nothing to release" in done.stderr


# --- Releases that are refused -----------------------------------------------------------------


def test_a_record_gone_without_a_tombstone_is_refused(tmp_path):
    root = copy_of_the_tree(tmp_path)
    before = json.loads((root / "data/records.json").read_text())["version"]
    gone = next(i for i in unlinked_records(root) if i in released_ids(root))
    record_path(root, gone).unlink()
    done = run("release", "--root", str(root), "--archive", str(ARCHIVE), "--date", "2026-12-02")
    assert done.returncode == 2 and gone in done.stderr and "tombstone" in done.stderr
    assert json.loads((root / "data/records.json").read_text())["version"] == before


def test_a_quote_that_differs_from_its_source_is_refused(tmp_path):
    root = copy_of_the_tree(tmp_path)
    before = json.loads((root / "data/records.json").read_text())["version"]
    record_id = unlinked_records(root)[0]
    path = record_path(root, record_id)
    data = read(path.read_bytes())
    data["claims"][0]["quote"] = data["claims"][0]["quote"] + " and words the source never wrote"
    path.write_text(dump(data), encoding="utf-8")
    done = run("release", "--root", str(root), "--archive", str(ARCHIVE), "--date", "2026-12-02")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{record_id}.yaml:" in done.stdout and "claims[0].quote" in done.stdout
    assert json.loads((root / "data/records.json").read_text())["version"] == before


def test_a_release_without_the_archive_is_refused(tmp_path):
    root = copy_of_the_tree(tmp_path)
    done = run("release", "--root", str(root), "--archive", str(tmp_path / "none"))
    assert done.returncode == 2 and "archive" in done.stderr


def test_a_renamed_actor_is_listed_with_the_id_that_replaces_it():
    old = {"actors": [{"id": "tolib-ortikov", "name": "Tolib Ortikov"}]}
    new = {
        "actors": [{"id": "tolib-ortiqov", "name": "Tolib Ortiqov"}],
        "redirects": [
            {
                "registry": "actor",
                "id": "tolib-ortikov",
                "replaced_by": "tolib-ortiqov",
                "reason": "renamed",
            }
        ],
    }
    changes = changelog.diff(old, new)
    assert changes.actors.added == [("tolib-ortiqov", "Tolib Ortiqov")]
    assert changes.actors.removed == [("tolib-ortikov", "renamed, now `tolib-ortiqov`")]
    section = changelog.section("2026.12.0", "2026-12-02", changes, [])
    assert "- `tolib-ortikov`: renamed, now `tolib-ortiqov`" in section
