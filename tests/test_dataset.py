"""conflictdata.load() and the Dataset it returns: typed records, lookups that explain
a miss, filters, claims, tables for pandas and the frictionless package."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import conflictdata
from conflictdata.core import vocab
from conflictdata.loader.dataset import Dataset, ReleaseNotFound
from conflictdata.model import models
from seeds import make_tree, write

CLI = [sys.executable, "-m", "conflictdata.cli"]


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """A built copy of the seed tree, with one actor based in Namibia (country NA)."""
    root = make_tree(tmp_path_factory.mktemp("release"))
    write(
        root,
        "actors/n/namibia-police.yaml",
        {
            "id": "namibia-police",
            "name": "Namibian Police Force",
            "type": "state_body",
            "country": "NA",
        },
    )
    done = subprocess.run(
        [*CLI, "build", "--root", str(root), "--out", str(root)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@pytest.fixture(scope="module")
def ds(release) -> Dataset:
    return conflictdata.load(release)


def _record_files(root: Path) -> list[Path]:
    folders = [k.folder for k in models.vocab.KINDS]
    return [p for f in folders for p in (root / "records" / f).rglob("*.yaml")]


def test_len_and_iteration_cover_every_record_with_its_id(ds, release):
    ids = sorted(p.stem for p in _record_files(release))
    assert len(ds) == len(ids)
    assert sorted(r.id for r in ds) == ids


def test_records_are_typed_by_kind(ds):
    for record in ds:
        assert isinstance(record, models.RECORD_MODELS[vocab.KIND_BY_PREFIX[record.id[:3]].name])
    assert ds.arrests and all(isinstance(r, models.Arrest) for r in ds.arrests)
    assert ds.weapons_transfers and all(
        isinstance(r, models.WeaponsTransfer) for r in ds.weapons_transfers
    )
    assert len(ds.incidents) + len(ds.arrests) + len(ds.weapons_transfers) + len(
        ds.recruitment
    ) == len(ds)
    transfer = ds.get("WTR-2015-00001")
    assert isinstance(transfer.date.earliest, date)
    assert transfer.transfer.route == ["UA", "TR", "SY"]


def test_get_returns_the_record_and_a_miss_names_near_matches(ds):
    assert ds.get("ARR-2015-00001").id == "ARR-2015-00001"
    assert ds["ARR-2015-00001"] is ds.get("ARR-2015-00001")
    with pytest.raises(KeyError, match=r"no record 'ARR-2015-0001'.*did you mean ARR-2015-00001"):
        ds.get("ARR-2015-0001")
    with pytest.raises(KeyError, match=r"no record 'nothing-like-it'") as err:
        ds.get("nothing-like-it")
    assert "did you mean" not in str(err.value)


def test_filters(ds):
    assert {r.id for r in ds.filter(kind="arrest")} == {r.id for r in ds.arrests}
    kg = ds.filter(country="KG")
    assert kg and all(any(loc.country == "KG" for loc in r.locations) for r in kg)
    assert len(kg) < len(ds)
    in_2015 = ds.filter(start="2015-01-01", end=date(2015, 12, 31))
    assert in_2015 and all(
        r.date.latest >= date(2015, 1, 1) and r.date.earliest <= date(2015, 12, 31) for r in in_2015
    )
    assert ds.filter(end="1990-01-01") == []
    denied = ds.filter(status="denied")
    assert denied and all(r.status == "denied" for r in denied)
    khayat = ds.filter(actor="osama-khayat")
    assert khayat and all(
        any(p.actor == "osama-khayat" for p in r.parties)
        or any(c.claimant == "osama-khayat" for c in r.claims)
        for r in khayat
    )
    both = ds.filter(kind=["arrest", "weapons_transfer"], status="denied")
    assert {r.id for r in both} == {r.id for r in denied if r.id[:3] in ("ARR", "WTR")}


def test_claims_iterate_with_their_record(ds):
    claims = list(ds.claims)
    assert len(claims) == sum(len(r.claims) for r in ds)
    first = claims[0]
    assert isinstance(first.claim, models.Claim)
    assert first.claim in ds.get(first.record_id).claims


def test_actors_and_sources_are_typed_registries(ds, release):
    assert isinstance(ds.actors["namibia-police"], models.Actor)
    assert ds.actors["namibia-police"].country == "NA"
    assert len(ds.sources) == len(list((release / "records" / "sources").rglob("*.yaml")))
    assert all(isinstance(s, models.Source) for s in ds.sources.values())


def test_to_pandas_keeps_namibia_and_types_the_columns(ds):
    actors = ds.to_pandas("actors")
    row = actors[actors["id"] == "namibia-police"].iloc[0]
    assert row["country"] == "NA"
    assert row["description"] is None or row["description"] != row["description"]  # missing, not ""
    assert (actors["description"] == "").sum() == 0
    claims = ds.to_pandas("claims")
    assert str(claims["grade_credibility"].dtype) == "Int64"
    assert len(claims) == len(ds.claims)
    records = ds.to_pandas("records")
    assert str(records["date_earliest"].dtype).startswith("datetime64")
    assert records["date_year_inferred"].dtype == "boolean"
    with pytest.raises(KeyError, match="did you mean claims"):
        ds.to_pandas("claimz")


def test_package_is_a_frictionless_package_of_the_same_tables(ds):
    package = ds.package()
    assert package.version == conflictdata.DATA_VERSION
    nested = ("records_json", "records_index")  # records.json and its index: not tables
    assert [r.name for r in package.resources if r.name not in nested] == list(ds.tables)


def test_versions_are_visible_from_python(ds):
    assert ds.version == conflictdata.DATA_VERSION
    assert ds.schema_version == conflictdata.SCHEMA_VERSION == models.SCHEMA_VERSION
    assert conflictdata.__version__


def test_load_without_a_path_finds_the_release_of_this_checkout(root):
    ds = conflictdata.load()
    release = json.loads((root / "data" / "records.json").read_text(encoding="utf-8"))
    assert sorted(r.id for r in ds) == sorted(r["id"] for r in release["records"])


def test_load_of_an_unbuilt_checkout_says_to_build(tmp_path):
    make_tree(tmp_path)
    with pytest.raises(ReleaseNotFound, match="conflictdata build"):
        conflictdata.load(tmp_path)
    with pytest.raises(ReleaseNotFound, match="no release"):
        conflictdata.load(tmp_path / "nowhere")


def test_load_accepts_the_descriptor_path(release):
    assert len(conflictdata.load(release / "datapackage.json")) == len(conflictdata.load(release))


def test_withdrawn_id_is_explained(tmp_path):
    root = make_tree(tmp_path)
    (root / "records" / "withdrawn.yaml").write_text(
        '- id: ARR-2015-00099\n  reason: duplicate\n  replaced_by: ARR-2015-00001\n  withdrawn: "2026-11-22"\n',
        encoding="utf-8",
    )
    assert (
        subprocess.run(
            [*CLI, "build", "--root", str(root), "--out", str(root)], capture_output=True
        ).returncode
        == 0
    )
    ds = conflictdata.load(root)
    with pytest.raises(
        KeyError,
        match="ARR-2015-00099' was withdrawn on 2026-11-22 \\(duplicate\\); see ARR-2015-00001",
    ):
        ds.get("ARR-2015-00099")
    assert ds.withdrawn["ARR-2015-00099"].replaced_by == "ARR-2015-00001"


def test_loading_parses_no_yaml_and_validates_nothing_until_used(release):
    script = (
        "import sys, conflictdata\n"
        f"ds = conflictdata.load({str(release)!r})\n"
        "assert len(ds) > 0\n"
        "heavy = [m for m in ('pydantic', 'yaml', 'pandas', 'frictionless') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "ds.get(ds.ids[0])\n"
        "assert 'pydantic' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
