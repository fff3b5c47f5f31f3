"""Building the release: validated records -> ``datapackage.json``, ``data/*.csv`` and
``data/records.json``.

The build validates the whole tree (collecting each valid record as JSON data, so no
file is parsed twice) and writes nothing when any file has a problem. Its outputs are a
pure function of the records: the same records give byte-identical files, so
``conflictdata build --check`` can tell when the committed files are stale.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

from conflictdata.core import metadata
from conflictdata.core.paths import DESCRIPTOR
from conflictdata.model.models import SCHEMA_VERSION
from conflictdata.publish import tables, verification
from conflictdata.validation.quotes import Archive
from conflictdata.validation.validate import Report, validate_tree

DATA_DIR = "data"
RECORDS_JSON = "records.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"
SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"


# --- Rendering ----------------------------------------------------------------------------


def _csv(table: tables.Table, rows: list[tuple]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.field_names)
    # The csv module quotes a value holding a comma, a quote or a line feed, but not a
    # lone carriage return (not part of the LF line terminator), which readers take for
    # a line end: a row with one is written with every cell quoted. A missing value then
    # reads '""', still an empty cell to CSV readers, and no text value is ever empty.
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    texts = [i for i, c in enumerate(table.columns) if c.type == "string"]
    # Text and integers are written as they are and None as an empty cell by the csv
    # module itself; only booleans and numbers go through tables.cell.
    convert = [i for i, c in enumerate(table.columns) if c.type in ("boolean", "number")]
    cell = tables.cell
    for row in rows:
        if convert:
            row = list(row)
            for i in convert:
                row[i] = cell(row[i])
        if any(row[i] is not None and "\r" in row[i] for i in texts):
            quoted.writerow(row)
        else:
            writer.writerow(row)
    text = out.getvalue()
    out.close()
    return text.encode("utf-8")


def _json_lines(items: list[dict]) -> str:
    """A JSON array with one item per line: compact, and diffs stay readable."""
    if not items:
        return "[]"
    return (
        "[\n"
        + ",\n".join(json.dumps(i, ensure_ascii=False, separators=(",", ":")) for i in items)
        + "\n]"
    )


def records_json(
    records: list[dict],
    actors: list[dict],
    sources: list[dict],
    withdrawn: list[dict] = (),
    version: str | None = None,
    redirects: list[dict] = (),
) -> bytes:
    """The nested release: every record, actor, source, withdrawn ID and redirect exactly
    as the models dump them."""
    text = (
        "{\n"
        f'"name":{json.dumps(metadata.NAME)},\n'
        f'"version":{json.dumps(version or metadata.DATA_VERSION)},\n'
        f'"schemaVersion":{json.dumps(SCHEMA_VERSION)},\n'
        f'"records":{_json_lines(records)},\n'
        f'"actors":{_json_lines(actors)},\n'
        f'"sources":{_json_lines(sources)},\n'
        f'"withdrawn":{_json_lines(list(withdrawn))},\n'
        f'"redirects":{_json_lines(list(redirects))}\n'
        "}\n"
    )
    return text.encode("utf-8")


def _field(column: tables.Column) -> dict:
    out: dict = {"name": column.name, "type": column.type}
    if column.description:
        out["description"] = column.description
    if column.constraints:
        out["constraints"] = dict(column.constraints)
    return out


def table_schema(table: tables.Table) -> dict:
    """The Table Schema (v2) of one table."""
    schema: dict = {
        "$schema": SCHEMA_PROFILE,
        "fields": [_field(c) for c in table.columns],
        "missingValues": [""],
    }
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    fks = []
    for cols, target, target_cols in table.foreign_keys:
        reference: dict = {"fields": list(target_cols)}
        if target != table.name:
            reference = {"resource": target, **reference}
        fks.append({"fields": list(cols), "reference": reference})
    if fks:
        schema["foreignKeys"] = fks
    return schema


def descriptor(
    layout: dict[str, tables.Table], sources: list[dict], version: str | None = None
) -> dict:
    """The data package descriptor (Data Package v2)."""
    resources = []
    for table in layout.values():
        resources.append(
            {
                "$schema": RESOURCE_PROFILE,
                "name": table.name,
                "title": table.title,
                "description": table.description,
                "type": "table",
                "path": f"{DATA_DIR}/{table.name}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(table),
            }
        )
    resources.append(
        {
            "$schema": RESOURCE_PROFILE,
            "name": "records_json",
            "title": "Records (nested JSON)",
            "description": "Every record, actor and source in full nested form, exactly as the "
            "models dump them: {name, version, schemaVersion, records, actors, sources, withdrawn, redirects}.",
            "path": f"{DATA_DIR}/{RECORDS_JSON}",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
        }
    )
    return {
        "$schema": PROFILE,
        "name": metadata.NAME,
        "title": metadata.TITLE,
        "description": metadata.DESCRIPTION,
        "version": version or metadata.DATA_VERSION,
        "schemaVersion": SCHEMA_VERSION,
        "homepage": metadata.HOMEPAGE,
        "keywords": list(metadata.KEYWORDS),
        "licenses": [dict(metadata.DATA_LICENSE)],
        "contributors": [dict(c) for c in metadata.CONTRIBUTORS],
        "sources": [_source(s) for s in sources],
        "resources": resources,
    }


def with_integrity(desc: dict, files: dict[str, bytes]) -> dict:
    """The descriptor with each resource's ``bytes`` and ``hash`` (``sha256:<hex>``, Data
    Package v2), which ``conflictdata verify`` and ``load(path)`` check."""
    for resource in desc["resources"]:
        data = files[resource["path"]]
        resource["bytes"] = len(data)
        resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    return desc


def same_release_file(rel: str, old: bytes, new: bytes) -> bool:
    """Whether two versions of a built file hold the same release; the descriptor is
    compared without the sizes and hashes it records (which change with the version
    written into records.json)."""
    if rel != DESCRIPTOR:
        return old == new
    try:
        a, b = json.loads(old), json.loads(new)
    except ValueError:
        return False
    for desc in (a, b):
        for resource in desc.get("resources", []) if isinstance(desc, dict) else []:
            if isinstance(resource, dict):
                resource.pop("bytes", None), resource.pop("hash", None)
    return a == b


def _source(source: dict) -> dict:
    out = {"title": f"{source['publisher']}: {source['title']} ({source['published']['earliest']})"}
    if source.get("url"):
        out["path"] = source["url"]
    return out


def render(
    report: Report,
    withdrawn: list[dict] = (),
    archive: Archive | None = None,
    version: str | None = None,
    redirects: list[dict] = (),
) -> dict[str, bytes]:
    """Every output file (path relative to the output folder -> bytes) from a collected
    report, the withdrawn IDs (``records/withdrawn.yaml``) and the redirects
    (``records/redirects.yaml``) as JSON data. ``archive``
    (the archived source texts) fills the claims table's quote verification; ``version``
    is the data version (default: :data:`metadata.DATA_VERSION`)."""
    records = [report.records[k] for k in sorted(report.records)]
    records.sort(key=lambda r: r["id"])
    actors = sorted(
        (v for k, v in report.registries.items() if k.startswith("actor:")), key=lambda a: a["id"]
    )
    sources = sorted(
        (v for k, v in report.registries.items() if k.startswith("source:")), key=lambda s: s["id"]
    )
    layout = tables.layout()
    withdrawn = sorted(withdrawn, key=lambda w: w["id"])
    redirects = sorted(redirects, key=lambda r: (r["registry"], r["id"]))
    table_rows = tables.rows(
        layout,
        records,
        actors,
        sources,
        withdrawn,
        verification.computed(archive),
        redirects=redirects,
    )
    files: dict[str, bytes] = {}
    for name, table in layout.items():
        files[f"{DATA_DIR}/{name}.csv"] = _csv(table, table_rows.pop(name))  # rows freed as they go
    del table_rows
    files[f"{DATA_DIR}/{RECORDS_JSON}"] = records_json(
        records, actors, sources, withdrawn, version, redirects
    )
    desc = with_integrity(descriptor(layout, sources, version), files)
    out = {DESCRIPTOR: (json.dumps(desc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")}
    out.update(files)
    return out


# --- Build and check ----------------------------------------------------------------------


def _managed(root: Path) -> set[str]:
    """Files the build owns that exist now: the descriptor, data/*.csv, records.json."""
    found = set()
    if (root / DESCRIPTOR).is_file():
        found.add(DESCRIPTOR)
    data = root / DATA_DIR
    if data.is_dir():
        for p in data.iterdir():
            if p.is_file() and (p.suffix == ".csv" or p.name == RECORDS_JSON):
                found.add(f"{DATA_DIR}/{p.name}")
    return found


def produce(
    root: Path | str = ".",
    jobs: int | None = None,
    archive: Archive | None = None,
    version: str | None = None,
) -> tuple[Report, dict[str, bytes] | None]:
    """Validate the tree and render the outputs; None when the records have problems.
    ``archive``: the archived source texts the quotes are verified against (default:
    none, so the verification columns are empty)."""
    from conflictdata.validation import redirects as redirect_list
    from conflictdata.validation.withdrawn import load as load_withdrawn

    report = validate_tree(root, jobs=jobs, collect=True)
    tombstones = load_withdrawn(root)
    moved = redirect_list.load(root)
    for problem in tombstones.problems + moved.problems:
        if problem not in report.problems:
            report.problems.append(problem)
    if report.problems:
        return report, None
    entries = [w.model_dump(mode="json") for _, w in tombstones.entries]
    pointers = [r.model_dump(mode="json") for _, r in moved.entries]
    return report, render(report, entries, archive, version, redirects=pointers)


def write(root: Path, outputs: dict[str, bytes]) -> tuple[list[str], list[str]]:
    """Write the outputs (only files whose bytes changed) and remove data/ files the
    build no longer makes. Returns (written, removed).

    Every changed file is first written in full to a temporary file beside it
    (:class:`conflictdata.core.atomic.Batch`); only then are they renamed into place,
    the descriptor last. A build that fails or is killed while writing leaves the
    previous release as it was (and, if killed, ``.*.tmp`` files that ``build --check``
    names); one killed during the renames, a matter of milliseconds, leaves files that
    ``conflictdata verify`` names as not matching the descriptor."""
    from conflictdata.core import atomic

    written, removed = [], []
    changed = {}
    for rel, data in outputs.items():
        path = root / rel
        if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
            continue
        changed[rel] = data
    with atomic.Batch() as batch:
        for rel in sorted(changed, key=lambda r: r == DESCRIPTOR):  # the descriptor last
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            batch.add(root / rel, changed[rel])
            written.append(rel)
    for rel in sorted(_managed(root) - set(outputs)):
        (root / rel).unlink()
        removed.append(rel)
    return written, removed


def stray_temporaries(root: Path) -> list[str]:
    """Temporary files a build (or another command) left behind when it was killed:
    ``.NAME.XXXXXXXX.tmp`` (:mod:`conflictdata.core.atomic`) or, from older builds,
    ``NAME.tmp``."""
    from conflictdata.core.atomic import TMP_SUFFIX

    found = []
    for folder in (root, root / DATA_DIR):
        if folder.is_dir():
            found += [
                p.relative_to(root).as_posix()
                for p in sorted(folder.iterdir())
                if p.name.endswith(TMP_SUFFIX)
            ]
    return found


def differences(root: Path, outputs: dict[str, bytes]) -> list[tuple[str, str]]:
    """(file, what is wrong) for every built file that differs from what the records
    produce; empty when the committed release is up to date."""
    out = [
        (rel, "a temporary file left by an interrupted run; delete it")
        for rel in stray_temporaries(root)
    ]
    for rel in sorted(set(outputs) | _managed(root)):
        path = root / rel
        if rel not in outputs:
            out.append((rel, "not produced by the records; remove it or run 'conflictdata build'"))
        elif not path.is_file():
            out.append((rel, "missing; run 'conflictdata build'"))
        elif path.read_bytes() != outputs[rel]:
            out.append(
                (
                    rel,
                    "differs from what the records produce; run 'conflictdata build'",
                )
            )
    return out
