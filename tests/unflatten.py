"""Rebuilding nested records from the published CSV tables, independently of the
build's own code paths: the inverse the round-trip tests compare against.

Only the table layout (which column holds which field path, which table is a list
under which parent) is taken from :mod:`conflictdata.publish.tables`; the CSV text is parsed
here with the standard ``csv`` module by the column types the descriptor declares.
"""

from __future__ import annotations

import csv
import io
import json

from conflictdata.publish import tables as T


def parse(text: str, kind: str):
    """A CSV cell back into a JSON value, by Table Schema type; an empty cell is null."""
    if text == "":
        return None
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        return {"true": True, "false": False}[text]
    return text  # string, date (YYYY-MM-DD as the models dump it)


def read_tables(outputs: dict[str, bytes], descriptor: dict | None = None) -> dict[str, list[dict]]:
    """Every CSV table as typed rows, reading types from the data package descriptor."""
    descriptor = descriptor or json.loads(outputs["datapackage.json"])
    out = {}
    for res in descriptor["resources"]:
        if res.get("format") != "csv":
            continue
        types = {f["name"]: f["type"] for f in res["schema"]["fields"]}
        reader = csv.DictReader(io.StringIO(outputs[res["path"]].decode("utf-8"), newline=""))
        assert reader.fieldnames == list(types), res["name"]
        out[res["name"]] = [{k: parse(v, types[k]) for k, v in row.items()} for row in reader]
    return out


def _set(obj: dict, path: tuple, value) -> None:
    for p in path[:-1]:
        obj = obj.setdefault(p, {})
    obj[path[-1]] = value


def _get(obj: dict, path: tuple):
    for p in path:
        obj = obj[p]
    return obj


def _prune(obj, object_paths: set[tuple], here: tuple = ()):
    """Nested objects whose every field is empty were absent (null) in the record."""
    if isinstance(obj, dict):
        for k in list(obj):
            obj[k] = _prune(obj[k], object_paths, here + (k,))
        if here in object_paths and "claims" not in obj and all(v is None for v in obj.values()):
            return None
    elif isinstance(obj, list):
        return [_prune(v, object_paths, here) for v in obj]
    return obj


def records_from_tables(rows: dict[str, list[dict]]) -> tuple[dict, dict, dict]:
    """(records, actors, sources), each ``{id: nested JSON data}``, from the tables."""
    layout = T.layout()
    objects: dict[str, dict[tuple, dict]] = {}
    roots = {"actor": {}, "source": {}, "record": {}}
    object_paths: dict[str, set[tuple]] = {}
    for name, table in layout.items():
        if name == T.BACKING or table.parent in ("event", "withdrawal", "redirect"):
            continue  # claim_backing is read below; the events table is derived; the
            # withdrawn IDs and the redirects are lists of IDs, not records
        fields = [
            c
            for c in table.columns
            if c.path
            and c.path[0] not in ("..", "#", "@kind", "=")
            and c.derive is None  # computed at build time (coordinates), not a field
            and table.scalar is not c
        ]
        nested = {c.path[:i] for c in fields for i in range(1, len(c.path))}
        by_key: dict[tuple, dict] = {}
        if (
            not table.list_path
        ):  # a top-level object: actor, source, or a record (shared + kind table)
            store = roots[table.parent if table.parent in roots else "record"]
            group = "record" if table.parent == "record" else table.parent
            object_paths.setdefault(group, set()).update(nested)
            for row in rows[name]:
                obj = store.setdefault(row[table.primary_key[0]], {})
                for c in fields:
                    _set(obj, c.path, row[c.name])
                by_key[(row[table.primary_key[0]],)] = obj
        else:
            parent = layout[table.parent]
            parents = objects[table.parent]
            for obj in parents.values():  # an empty list has no rows
                _set(obj, table.list_path, [])
            keys = [c for c in table.columns if c.path and c.path[0] == ".."]
            for row in sorted(
                rows[name], key=lambda r: tuple(r[k.name] for k in keys) + (r["position"],)
            ):
                owner = parents[tuple(row[k.name] for k in keys)]
                items = _get(owner, table.list_path)
                assert row["position"] == len(items) + 1, f"{name}: positions are not 1, 2, ..."
                if table.scalar is not None:
                    items.append(row[table.scalar.name])
                    continue
                item: dict = {}
                for c in fields:
                    _set(item, c.path, row[c.name])
                items.append(item)
                by_key[tuple(row[k] for k in table.primary_key)] = item
            root = parent
            while root.list_path:
                root = layout[root.parent]
            group = "record" if root.parent == "record" else root.parent
            prefix = _list_prefix(layout, table)
            object_paths.setdefault(group, set()).update(prefix + p for p in nested)
        if table.list_path or table.parent in ("actor", "source", "record"):
            objects[name] = by_key
    for row in rows[T.BACKING]:
        record = roots["record"][row["record_id"]]
        path = tuple(row["block"].split("."))
        target = record
        if row["block_position"] is not None:
            target = _get(record, path[:1])[row["block_position"] - 1]
            path = path[1:]
        block = _get(target, path) if path else target
        claims = block.setdefault("claims", [])
        assert row["position"] == len(claims) + 1, "claim_backing positions are not 1, 2, ..."
        claims.append(row["claim_id"])
    pruned = tuple(
        {k: _prune(v, object_paths.get(group, set())) for k, v in roots[group].items()}
        for group in ("record", "actor", "source")
    )
    return pruned


def _list_prefix(layout, table) -> tuple:
    """The path of a list table's items inside the top-level object, with list
    positions dropped (``parties`` for party_nationalities)."""
    path: tuple = ()
    t = table
    while t.list_path:
        path = t.list_path + path
        t = layout[t.parent]
    return path


def same(a, b, where: str = "") -> None:
    """Assert two JSON values are equal, types included (1 is not 1.0 is not True)."""
    assert type(a) is type(b), f"{where}: {a!r} ({type(a).__name__}) != {b!r} ({type(b).__name__})"
    if isinstance(a, dict):
        assert a.keys() == b.keys(), f"{where}: fields {sorted(a.keys() ^ b.keys())} differ"
        for k in a:
            same(a[k], b[k], f"{where}.{k}" if where else k)
    elif isinstance(a, list):
        assert len(a) == len(b), f"{where}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"
