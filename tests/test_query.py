"""Filters that say what is wrong: every condition of Dataset.filter is checked, and a
value the release cannot match names the allowed and the nearest values."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import pytest

import conflictdata
from conflictdata.loader.query import FilterError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ds():
    return conflictdata.load(ROOT)


def ids(records) -> set[str]:
    return {r.id for r in records}


def _in(record, code):
    return any(loc.country == code for loc in record.locations)


# --- kind and status -------------------------------------------------------------------


def test_a_plural_kind_is_refused_and_the_singular_suggested(ds):
    with pytest.raises(FilterError, match=r"no kind 'arrests' \(did you mean 'arrest'\?\)"):
        ds.filter(kind="arrests")


def test_an_unknown_kind_names_every_kind(ds):
    with pytest.raises(ValueError, match="incident, arrest, weapons_transfer, recruitment"):
        ds.filter(kind="riot")


def test_kind_and_status_in_any_case_match_as_written(ds):
    assert ids(ds.filter(kind="Arrest")) == ids(ds.filter(kind="arrest")) == ids(ds.arrests)
    disputed = ds.filter(status="Disputed")
    assert disputed and all(r.status == "disputed" for r in disputed)


def test_an_unknown_status_suggests_the_nearest(ds):
    with pytest.raises(FilterError, match=r"'dispute' \(did you mean 'disputed'\?\).*unverifiable"):
        ds.filter(status="dispute")


# --- country ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["KG", "kg", "Kg", "KGZ", "kgz", "Kyrgyzstan", "kyrgyz republic"])
def test_a_country_as_code_in_any_case_or_name(ds, value):
    found = ds.filter(country=value)
    assert found and all(_in(r, "KG") for r in found)
    assert ids(found) == {r.id for r in ds if _in(r, "KG")}


def test_an_unknown_country_suggests_the_name_iso_uses(ds):
    with pytest.raises(
        FilterError, match=r"no country 'Russia' \(did you mean RU \(Russian Federation\)"
    ):
        ds.filter(country="Russia")


def test_an_accent_does_not_hide_a_suggestion(ds):
    with pytest.raises(FilterError, match=r"TR \(Türkiye\)"):
        ds.filter(country="Turkey")


# --- actor -----------------------------------------------------------------------------


def test_an_actor_by_id_name_or_alias(ds):
    sbu = ds.actors["sbu"]
    by_id = ids(ds.filter(actor="sbu"))
    assert by_id
    assert ids(ds.filter(actor=sbu.name)) == by_id
    for alias in sbu.aliases:
        assert ids(ds.filter(actor=alias)) == by_id, alias
        assert ids(ds.filter(actor=alias.upper())) == by_id, alias


def test_an_unknown_actor_suggests_near_names(ds):
    with pytest.raises(FilterError, match=r"no actor 'sbuu' \(did you mean sbu"):
        ds.filter(actor="sbuu")


# --- dates -----------------------------------------------------------------------------


def test_a_year_or_month_covers_its_whole_span(ds):
    year = ids(ds.filter(start="2015", end="2015"))
    days = ids(ds.filter(start=date(2015, 1, 1), end=date(2015, 12, 31)))
    assert year == days and year
    july = ids(ds.filter(start="2015-07", end="2015-07"))
    assert july == ids(ds.filter(start="2015-07-01", end="2015-07-31")) and july


def test_kyrgyzstan_from_2015(ds):
    found = ds.filter(country="Kyrgyzstan", start="2015")
    assert found
    assert all(_in(r, "KG") and r.date.latest >= date(2015, 1, 1) for r in found)


@pytest.mark.parametrize("value", ["15/07/2015", "2015-7", "July 2015", "2015-13", "2015-02-30"])
def test_a_date_that_is_not_one_says_which_forms_are(ds, value):
    with pytest.raises(FilterError, match="not a da"):
        ds.filter(start=value)


def test_start_after_end_is_refused(ds):
    with pytest.raises(FilterError, match="after end"):
        ds.filter(start="2016", end="2015")


# --- IDs, kinds of records, one API style ----------------------------------------------


def test_an_id_is_looked_up_in_any_case(ds):
    assert ds["arr-2015-00001"].id == "ARR-2015-00001"
    assert "arr-2015-00001" in ds


def test_a_near_miss_suggests_the_id(ds):
    with pytest.raises(KeyError, match="ARR-2015-00001"):
        ds.get("arr-2015-0001")


def test_a_record_knows_its_kind(ds):
    assert {r.kind for r in ds.arrests} == {"arrest"}
    assert {r.kind for r in ds} == {"incident", "arrest", "weapons_transfer", "recruitment"}


def test_collections_are_properties(ds):
    claims = list(ds.claims)
    assert len(claims) == len(ds.claims) == sum(len(r.claims) for r in ds)
    assert claims[0].record_id == ds.ids[0]
    assert ds.tables[0] == "events" and "claims" in ds.tables


def test_the_old_method_calls_still_work_with_a_deprecation_warning(ds):
    with pytest.warns(DeprecationWarning, match=r"ds.claims\(\) is deprecated"):
        old = list(ds.claims())
    assert old == list(ds.claims)
    with pytest.warns(DeprecationWarning, match=r"ds.tables\(\)"):
        assert ds.tables() == list(ds.tables)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        list(ds.claims)  # the property itself does not warn


def test_an_unknown_kind_name_for_kind_is_refused(ds):
    with pytest.raises(FilterError, match="'weapons_transfer'"):
        ds.kind("weapons-transfers")


def test_events_as_a_dataframe(ds):
    pytest.importorskip("pandas")
    frame = ds.to_pandas("events")
    assert list(frame["id"]) == ds.ids
    assert str(frame["latitude"].dtype) == "Float64"
    assert frame["latitude"].notna().any()
