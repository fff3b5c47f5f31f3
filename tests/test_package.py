"""A data package is checked before it is read (conflictdata.loader.package): paths and
names stay inside the package, URLs are refused, the schema version must be one this
loader reads, and each file must match the size and SHA-256 the build recorded, for
``load(path)``, ``to_pandas``, the exports and ``conflictdata verify``. The commands
that write a release or an export replace files atomically."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import conflictdata
import seeds
from conflictdata.core import atomic
from conflictdata.loader import package
from conflictdata.loader.package import PackageError
from conflictdata.publish import build, export
from seeds import make_tree

CLI = [sys.executable, "-m", "conflictdata.cli"]


def cli(*args, cwd=None):
    return seeds.cli(cwd, *args, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("package")
    root = make_tree(where)
    done = cli("build", "--root", str(root), "--out", str(where / "pkg"))
    assert done.returncode == 0, done.stderr
    return where / "pkg"


@pytest.fixture
def pkg(built, tmp_path) -> Path:
    """A copy of the built package, free to damage."""
    copy = tmp_path / "pkg"
    shutil.copytree(built, copy)
    return copy


def _edit(pkg: Path, change) -> None:
    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    change(desc)
    (pkg / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")


def _resource(desc: dict, name: str) -> dict:
    return next(r for r in desc["resources"] if r["name"] == name)


def _set(name: str, key: str, value):
    def change(desc):
        _resource(desc, name)[key] = value

    return change


# --- What the build records ----------------------------------------------------------------


def test_build_records_bytes_and_sha256_of_every_resource(built):
    desc = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    for resource in desc["resources"]:
        data = (built / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == package.file_hash(built / resource["path"])[1]
        assert resource["hash"].startswith("sha256:") and len(resource["hash"]) == 71


def test_the_loader_reads_the_models_schema_version():
    assert package.SCHEMA_VERSION == conflictdata.SCHEMA_VERSION


def test_a_good_package_verifies_and_loads(built):
    done = cli("verify", str(built))
    assert done.returncode == 0 and "match their recorded size and SHA-256" in done.stderr
    assert len(conflictdata.load(built)) == 4


# --- Paths and names that lead outside -------------------------------------------------------


def _outside_csv(pkg: Path) -> Path:
    """A file outside the package with the right header, as an attacker would place it."""
    outside = pkg.parent / "outside.csv"
    outside.write_text((pkg / "data/claims.csv").read_text(encoding="utf-8"), encoding="utf-8")
    return outside


@pytest.mark.parametrize(
    "path, says",
    [
        ("../outside.csv", "leads outside the package"),
        ("data/../../outside.csv", "leads outside the package"),
        ("/etc/passwd", "leads outside the package"),
        ("https://example.org/claims.csv", "is a URL"),
        ("file:///etc/passwd", "is a URL"),
        ("data\\..\\..\\outside.csv", "leads outside the package"),
        (["data/claims.csv", "data/records.csv"], "is not one relative file path"),
        ("data/records.csv", "is not the file the build writes for it (data/claims.csv)"),
    ],
)
def test_a_resource_path_is_checked_before_anything_is_read(pkg, path, says):
    _outside_csv(pkg)
    _edit(pkg, _set("claims", "path", path))
    with pytest.raises(PackageError, match=says.replace("(", r"\(").replace(")", r"\)")):
        conflictdata.load(pkg).to_pandas("claims")
    done = cli("verify", str(pkg))
    assert done.returncode == 1 and says in done.stdout
    done = cli("export", "sqlite", str(pkg.parent / "out.db"), "--root", str(pkg))
    assert done.returncode == 1 and says in done.stderr and "Traceback" not in done.stderr
    assert not (pkg.parent / "out.db").exists()


def test_a_resource_name_cannot_place_a_parquet_file(pkg, tmp_path):
    pytest.importorskip("pyarrow")
    _edit(pkg, _set("claims", "name", "../../escaped"))
    out = tmp_path / "parquet"
    done = cli("export", "parquet", str(out), "--root", str(pkg))
    assert done.returncode == 1 and "is not a name the build writes" in done.stderr
    assert not list(tmp_path.rglob("escaped*"))


def test_a_resource_listed_twice(pkg):
    _edit(pkg, lambda d: d["resources"].append(dict(_resource(d, "claims"))))
    with pytest.raises(PackageError, match="resource claims is listed twice"):
        conflictdata.load(pkg)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_linked_resource_is_refused(pkg, tmp_path, what):
    if what == "file":
        target = _outside_csv(pkg)
        (pkg / "data/claims.csv").unlink()
        (pkg / "data/claims.csv").symlink_to(target)
    else:
        shutil.move(pkg / "data", tmp_path / "elsewhere")
        (pkg / "data").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(PackageError, match="a symbolic link"):
        conflictdata.load(pkg)


# --- Schema version -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "version, says",
    [
        ("99.0.0", "install a conflictdata release that reads schema 99.x"),
        ("0.9.0", "install an earlier conflictdata release that reads schema 0.x"),
        ("latest", "is not a version such as"),
        (None, "is not a version such as"),
    ],
)
def test_a_schema_version_this_loader_does_not_read(pkg, version, says):
    _edit(pkg, lambda d: d.__setitem__("schemaVersion", version))
    with pytest.raises(PackageError, match=says):
        conflictdata.load(pkg)


# --- Tampered and half-written files ---------------------------------------------------------


def test_a_tampered_table_is_named(pkg):
    path = pkg / "data/claims.csv"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"asserts", b"confirm", 1))  # same size, other bytes
    assert len(path.read_bytes()) == len(data)
    done = cli("verify", str(pkg))
    assert done.returncode == 1
    assert "data/claims.csv: its SHA-256 differs from the one the package records" in done.stdout
    dataset = conflictdata.load(pkg)  # records.json is intact
    with pytest.raises(PackageError, match="data/claims.csv"):
        dataset.to_pandas("claims")


def test_a_half_written_records_json_is_named_not_loaded(pkg):
    path = pkg / "data/records.json"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(
        PackageError, match=r"data/records.json: 1,000 bytes where the package records"
    ):
        conflictdata.load(pkg)


def test_a_package_without_recorded_hashes_loads_but_does_not_verify(pkg):
    def strip(desc):
        for r in desc["resources"]:
            r.pop("bytes"), r.pop("hash")

    _edit(pkg, strip)
    assert len(conflictdata.load(pkg)) == 4
    done = cli("verify", str(pkg))
    assert done.returncode == 1 and "records no bytes or hash" in done.stdout


# --- The descriptor itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, says",
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[]", "not a data package descriptor"),
        (b'{"resources": [], "resources": []}', "appears twice"),
        (b'{"schemaVersion": "1.0.0", "resources": {}}', "'resources' is not a list"),
        (b"[" * 100_000 + b"]" * 100_000, "not a data package descriptor"),
    ],
)
def test_a_descriptor_that_is_not_a_package(pkg, content, says):
    (pkg / "datapackage.json").write_bytes(content)
    with pytest.raises(PackageError, match=says):
        conflictdata.load(pkg)
    done = cli("verify", str(pkg))
    assert done.returncode == 1 and says in done.stdout and "Traceback" not in done.stderr


def test_a_huge_descriptor_is_refused_unread(pkg):
    with open(pkg / "datapackage.json", "wb") as f:
        f.truncate(package.MAX_DESCRIPTOR_BYTES + 1)
    with pytest.raises(PackageError, match="limited to"):
        conflictdata.load(pkg)


def test_verify_without_a_package_could_not_run(tmp_path):
    done = cli("verify", str(tmp_path))
    assert done.returncode == 2 and "no datapackage.json" in done.stderr


# --- Writing: build and export replace files atomically ------------------------------------------


def _full_disk_after(monkeypatch, n: int):
    real, calls = atomic.os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) > n:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)


def _tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_build_that_fails_midway_keeps_the_previous_release(pkg, monkeypatch):
    before = _tree_bytes(pkg)
    outputs = {rel: data + b"\n" for rel, data in before.items()}  # every file changes
    _full_disk_after(monkeypatch, 5)
    with pytest.raises(OSError, match="No space left"):
        build.write(pkg, outputs)
    assert _tree_bytes(pkg) == before  # nothing replaced, no temporary left


def test_build_check_names_a_stray_temporary(pkg):
    (pkg / "data/.claims.csv.abcd1234.tmp").write_bytes(b"half")
    (pkg / "data/records.csv.tmp").write_bytes(b"half")
    stale = dict(build.differences(pkg, _tree_bytes(pkg) | {}))
    assert "data/.claims.csv.abcd1234.tmp" in stale and "data/records.csv.tmp" in stale
    assert "interrupted" in stale["data/records.csv.tmp"]


def test_build_check_names_a_staging_folder_left_by_a_killed_build(pkg):
    (pkg / (build.STAGE_PREFIX + "abcd1234") / "release" / "data").mkdir(parents=True)
    stale = dict(build.differences(pkg, _tree_bytes(pkg) | {}))
    assert "interrupted" in stale[build.STAGE_PREFIX + "abcd1234/"]


def test_builds_at_the_same_time_do_not_collide(built, tmp_path):
    root = make_tree(tmp_path / "src")
    out = tmp_path / "out"
    procs = [
        subprocess.Popen(
            [*CLI, "build", "--root", str(root), "--out", str(out), "--jobs", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)  # the trial that found one shared temporary name ran four
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], results
    assert cli("verify", str(out)).returncode == 0
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_a_failed_sqlite_export_keeps_the_previous_database(built, tmp_path, monkeypatch):
    pytest.importorskip("sqlite_utils")
    db = tmp_path / "conflictdata.db"
    meta = tmp_path / "metadata.json"
    db.write_bytes(b"the user's database")
    meta.write_text("the user's metadata\n")

    def fail(*args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(export, "_sqlite_into", fail)
    with pytest.raises(sqlite3.OperationalError):
        export.sqlite(built, db)
    assert db.read_bytes() == b"the user's database"
    assert meta.read_text() == "the user's metadata\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conflictdata.db", "metadata.json"]


def test_a_sqlite_export_replaces_both_files(built, tmp_path):
    pytest.importorskip("sqlite_utils")
    db = tmp_path / "conflictdata.db"
    db.write_bytes(b"old")
    (tmp_path / "metadata.json").write_text("old")
    export.sqlite(built, db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from records").fetchone()[0] == 4
    assert json.loads((tmp_path / "metadata.json").read_text())["databases"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conflictdata.db", "metadata.json"]
