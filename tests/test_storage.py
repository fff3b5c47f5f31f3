"""How a release is read: records.json one entry a line, its index table giving each
entry's bytes, entries parsed only when asked for; tables read typed, by pyarrow or by
pandas alone, to the same values."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import conflictdata
from conflictdata.loader import storage
from seeds import make_tree

CLI = [sys.executable, "-m", "conflictdata.cli"]


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    root = make_tree(tmp_path_factory.mktemp("release"))
    (root / "records" / "withdrawn.yaml").write_text(
        '- id: ARR-2015-00099\n  reason: duplicate\n  replaced_by: ARR-2015-00001\n  withdrawn: "2026-11-22"\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [*CLI, "build", "--root", str(root), "--out", str(root)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def test_the_index_gives_the_bytes_of_every_entry_in_file_order(release):
    data = (release / storage.RECORDS_JSON).read_bytes()
    whole = json.loads(data)
    index = json.loads((release / storage.INDEX_JSON).read_bytes())
    assert list(index) == list(storage.SECTIONS.values())
    last = 0
    for key in storage.SECTIONS.values():
        seen = []
        for entry_id, start, length in index[key]:
            assert start >= last  # in the order of the file
            entry = json.loads(data[start : start + length])
            assert entry["id"] == entry_id
            seen.append(entry)
            last = start + length
        assert seen == whole[key], key
    assert all(index[key] for key in ("records", "actors", "sources", "withdrawn"))


def test_a_release_without_an_index_loads_the_same_dataset(release, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(release, copy, ignore=shutil.ignore_patterns("records"))
    (copy / storage.INDEX_JSON).unlink()
    # a release built before the index does not list it among its resources either
    desc = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"] = [r for r in desc["resources"] if r["name"] != "records_index"]
    (copy / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    with_index, without = conflictdata.load(release), conflictdata.load(copy)
    assert type(with_index._store.records) is storage.Entries
    assert type(without._store.records) is storage._Parsed
    assert with_index.ids == without.ids and len(with_index) == len(without) > 0
    assert (with_index.version, with_index.schema_version) == (
        without.version,
        without.schema_version,
    )
    assert list(with_index._raw) == list(without._raw)
    assert list(with_index._raw_actors) == list(without._raw_actors)
    assert list(with_index._raw_sources) == list(without._raw_sources)
    assert with_index.withdrawn == without.withdrawn
    rid = with_index.ids[-1]
    assert with_index.get(rid) == without.get(rid)


def test_entries_are_a_sequence_parsed_on_demand(release):
    ds = conflictdata.load(release)
    raw = ds._raw
    assert raw[0]["id"] == ds.ids[0] and raw[-1]["id"] == ds.ids[-1]
    assert [r["id"] for r in raw[1:3]] == ds.ids[1:3]
    with pytest.raises(IndexError):
        raw[len(raw)]


def test_tables_read_by_pyarrow_and_by_pandas_agree(release):
    pytest.importorskip("pyarrow")
    desc = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    checked = 0
    for resource in desc["resources"]:
        if resource.get("type") != "table":
            continue
        path, fields = release / resource["path"], resource["schema"]["fields"]
        fast = storage._read_table_arrow(path, fields)
        plain = storage._read_table_pandas(path, fields)
        assert list(fast.columns) == list(plain.columns) == [f["name"] for f in fields]
        assert len(fast) == len(plain)
        for f in fields:
            a, b = fast[f["name"]], plain[f["name"]]
            assert (a.isna() == b.isna()).all(), (resource["name"], f["name"])
            kept = ~a.isna()
            assert a[kept].tolist() == b[kept].tolist(), (resource["name"], f["name"])
            assert a.dtype.kind == b.dtype.kind or f["type"] == "string"
        checked += 1
    assert checked > 10


def test_typed_records_are_not_all_kept(release, monkeypatch):
    """Iterating types one record at a time and keeps none; records asked for by ID are
    kept up to a bound, so a release of a million records can be walked in bounded
    memory."""
    from conflictdata.loader import dataset

    ds = conflictdata.load(release)
    assert sum(1 for _ in ds) == len(ds) > 2
    assert len(ds._typed) == 0
    monkeypatch.setattr(dataset, "TYPED_KEPT", 2)
    first = ds.get(ds.ids[0])
    assert ds.get(ds.ids[0]) is first  # kept: the same object
    ds.get(ds.ids[1]), ds.get(ds.ids[2])
    assert len(ds._typed) == 2 and ds.get(ds.ids[0]) == first  # typed again, equal
