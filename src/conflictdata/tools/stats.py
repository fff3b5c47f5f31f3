"""``conflictdata stats``: how many records there are, by kind, country, year and status.

Counts come from the record files as written (the strict reader, no validation), so the
command also works on a tree with problems; files that cannot be read are counted
apart. A record counts once in each country it has a location in, so the country rows
can add up to more than the number of records. The year is the year of the earliest
possible date of the event.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pycountry

from conflictdata.core import vocab
from conflictdata.core.paths import RECORDS_DIR

DIMENSIONS = ("kind", "country", "year", "status")
UNKNOWN = "(none)"


def count(root: Path | str) -> dict:
    """``{"records": n, "unreadable": [paths], "by_<dimension>": {value: {kind: n, "total": n}}}``."""
    from conflictdata.core.paths import classify, list_files
    from conflictdata.core.safeio import read_plain
    from conflictdata.reader.yamlreader import (  # needs PyYAML: checkouts only
        MAX_BYTES,
        YamlError,
        read,
    )

    records = Path(root) / RECORDS_DIR
    unreadable: list[str] = []

    def readable():
        for rel in list_files(records) if records.is_dir() else []:
            what, kind = classify(rel)
            if what != "record" or not rel.endswith(".yaml"):
                continue
            try:
                data = read(read_plain(records / rel, MAX_BYTES))
            except (OSError, YamlError):
                unreadable.append(f"{RECORDS_DIR}/{rel}")
                continue
            yield kind, data

    return _tally(readable(), unreadable)


def count_release(records: list[dict]) -> dict:
    """The same counts from a built release's records (``data/records.json``): what an
    installed package reads when there is no checkout."""
    return _tally(((vocab.KIND_BY_PREFIX[r["id"][:3]].name, r) for r in records), [])


def _tally(items, unreadable: list[str]) -> dict:
    tables: dict[str, dict[str, Counter]] = {d: {} for d in DIMENSIONS}
    total = 0
    for kind, data in items:
        total += 1
        values = {
            "kind": {kind},
            "country": _countries(data),
            "year": {_year(data)},
            "status": {data["status"] if isinstance(data.get("status"), str) else UNKNOWN},
        }
        for dimension, keys in values.items():
            for key in keys:
                tables[dimension].setdefault(key, Counter())[kind] += 1
    out: dict = {"records": total, "unreadable": unreadable}
    for dimension, table in tables.items():
        out[f"by_{dimension}"] = {
            key: {**{k.name: c[k.name] for k in vocab.KINDS if c[k.name]}, "total": sum(c.values())}
            for key, c in sorted(table.items(), key=lambda kv: _order(dimension, kv))
        }
    return out


def _countries(data: dict) -> set[str]:
    locations = data.get("locations")
    found = (
        {
            loc["country"]
            for loc in locations
            if isinstance(loc, dict) and isinstance(loc.get("country"), str)
        }
        if isinstance(locations, list)
        else set()
    )
    return found or {UNKNOWN}


def _year(data: dict) -> str:
    date = data.get("date")
    earliest = date.get("earliest") if isinstance(date, dict) else None
    return earliest[:4] if isinstance(earliest, str) and earliest[:4].isdigit() else UNKNOWN


def _order(dimension: str, item):
    key, counter = item
    if dimension == "kind":
        return (list(vocab.KIND_BY_NAME).index(key),)
    if dimension == "status":
        return (
            list(vocab.STATUSES).index(key) if key in vocab.STATUSES else len(vocab.STATUSES),
            key,
        )
    if dimension == "year":
        return (key == UNKNOWN, key)
    return (-sum(counter.values()), key)  # countries: most records first


def _label(dimension: str, key: str) -> str:
    if dimension == "country" and key != UNKNOWN:
        country = pycountry.countries.get(alpha_2=key)
        return f"{key} {getattr(country, 'common_name', None) or country.name}" if country else key
    return key


def _line(row: list[str], widths: list[int]) -> str:
    """One row of a table: the label left-aligned, the counts right-aligned."""
    return "  ".join(
        cell.ljust(w) if i == 0 else cell.rjust(w)
        for i, (cell, w) in enumerate(zip(row, widths, strict=True))
    ).rstrip()


def render(stats: dict) -> str:
    """Plain-text tables: one per dimension, a column per kind and a total."""
    kinds = [k.name for k in vocab.KINDS]
    lines = [f"{stats['records']} record(s)"]
    if stats["unreadable"]:
        lines.append(
            f"{len(stats['unreadable'])} file(s) could not be read: {', '.join(stats['unreadable'])}"
        )
    for dimension in DIMENSIONS:
        table = stats[f"by_{dimension}"]
        if dimension == "kind":
            rows = [[_label(dimension, key), str(row["total"])] for key, row in table.items()]
            header = ["kind", "records"]
        else:
            rows = [
                [_label(dimension, key)]
                + [str(row.get(k, 0) or "") for k in kinds]
                + [str(row["total"])]
                for key, row in table.items()
            ]
            header = [dimension] + kinds + ["total"]
        widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
        lines += ["", _line(header, widths), "  ".join("-" * w for w in widths)]
        lines += [_line(r, widths) for r in rows]
    if stats["by_country"]:
        lines += ["", "A record counts once in each country it has a location in."]
    return "\n".join(lines)
