"""Building the release: validated records -> ``datapackage.json``, ``data/*.csv`` and
``data/records.json``.

The build validates the whole tree (collecting each valid record as JSON data, so no
file is parsed twice) and writes nothing when any file has a problem. Its outputs are a
pure function of the records: the same records give byte-identical files, so
``conflictdata build --check`` can tell when the committed files are stale.
"""

from __future__ import annotations

import filecmp
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from shutil import copyfileobj

from conflictdata.core import atomic, metadata
from conflictdata.core.paths import DESCRIPTOR
from conflictdata.loader.package import file_hash
from conflictdata.model.models import SCHEMA_VERSION
from conflictdata.publish import stream, tables, verification
from conflictdata.validation.quotes import Archive
from conflictdata.validation.validate import Report, validate_tree

DATA_DIR = "data"
RECORDS_JSON = "records.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"
SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
#: How :func:`stage` names its temporary folder inside the output folder.
STAGE_PREFIX = ".conflictdata-build-"


# --- Rendering ----------------------------------------------------------------------------


def _csv(table: tables.Table, rows: list[tuple]) -> bytes:
    """A whole table as CSV: the header, then the rows (see ``stream.CsvRenderer``)."""
    r = stream.CsvRenderer(table)
    return (r.header(table) + r.body(rows)).encode("utf-8")


def _json_lines(items: list[dict]) -> str:
    """A JSON array with one item per line: compact, and diffs stay readable."""
    if not items:
        return "[]"
    return "[\n" + ",\n".join(stream.json_line(i) for i in items) + "\n]"


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
        _records_json_head(version)
        + f'"records":{_json_lines(records)},\n'
        + f'"actors":{_json_lines(actors)},\n'
        + f'"sources":{_json_lines(sources)},\n'
        + f'"withdrawn":{_json_lines(list(withdrawn))},\n'
        + f'"redirects":{_json_lines(list(redirects))}\n'
        + "}\n"
    )
    return text.encode("utf-8")


def _records_json_head(version: str | None = None) -> str:
    return (
        "{\n"
        f'"name":{json.dumps(metadata.NAME)},\n'
        f'"version":{json.dumps(version or metadata.DATA_VERSION)},\n'
        f'"schemaVersion":{json.dumps(SCHEMA_VERSION)},\n'
    )


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


#: The size and SHA-256 of each file a build writes (path -> (bytes, "sha256:<hex>")).
Integrity = Mapping[str, tuple[int, str]]


def descriptor(
    layout: dict[str, tables.Table],
    sources: list[dict],
    version: str | None = None,
    integrity: Integrity | None = None,
) -> dict:
    """The data package descriptor (Data Package v2). With ``integrity``, every resource
    records its file's ``bytes`` and ``hash`` (``sha256:<hex>``), which
    ``conflictdata verify`` and ``load(path)`` check."""
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
    resources.append(_index_resource())
    for resource in resources if integrity is not None else ():
        resource["bytes"], resource["hash"] = integrity[resource["path"]]
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


_source = stream.source_entry


def _digest(data: bytes) -> tuple[int, str]:
    return len(data), "sha256:" + hashlib.sha256(data).hexdigest()


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


def _index_resource() -> dict:
    """The index of records.json, a resource of its own (see ``loader/storage.py``)."""
    return {
        "$schema": RESOURCE_PROFILE,
        "name": "records_index",
        "title": "Index of records.json",
        "description": "Where each entry of data/records.json is, so that one entry can be "
        "read without parsing the whole file: {records, actors, sources, withdrawn, redirects}, each a "
        "list in the order of records.json of [ID, offset, length], the offset and length in "
        "bytes of the entry's JSON object. Reading length bytes from offset gives the entry.",
        "path": f"{DATA_DIR}/{INDEX_JSON}",
        "format": "json",
        "mediatype": "application/json",
        "encoding": "utf-8",
    }


INDEX_JSON = "records_index.json"


# --- Writing the release, one entry at a time -------------------------------------------------

_SOURCES_MARK = "\x00sources"


def _descriptor_around_sources(
    layout: dict[str, tables.Table],
    version: str | None = None,
    integrity: Integrity | None = None,
) -> tuple[str, str]:
    """The descriptor's text before and after the items of its ``sources`` list."""
    desc = descriptor(layout, [], version, integrity)
    desc["sources"] = [_SOURCES_MARK]
    text = json.dumps(desc, ensure_ascii=False, indent=2) + "\n"
    mark = "\n    " + json.dumps(_SOURCES_MARK) + "\n  "
    head, tail = text.split(mark)
    return head, tail


def _outputs(layout: dict[str, tables.Table]) -> list[str]:
    """Every file a build writes, in the order it reports them."""
    return (
        [DESCRIPTOR]
        + [f"{DATA_DIR}/{n}.csv" for n in layout]
        + [f"{DATA_DIR}/{RECORDS_JSON}", f"{DATA_DIR}/{INDEX_JSON}"]
    )


def write_release(
    open_text,
    layout: dict[str, tables.Table],
    entries: dict[str, Iterable[dict[str, str]]],
    withdrawn: list[dict],
    renderer: stream.Renderer,
    version: str | None = None,
    redirects: list[dict] = (),
    measure: Callable[[list[str]], Integrity] | None = None,
    binary: bool = False,
) -> None:
    """Write every output file through ``open_text(relpath)`` (a text file to write),
    from the rendered parts of each entry: ``entries`` maps "record", "actor" and
    "source" to their parts in ID order; ``withdrawn`` are the tombstones as JSON data.
    Files are written front to back, one entry at a time; the descriptor comes last,
    with the size and hash ``measure(paths)`` gives of every other file once it is
    written. With ``binary``, the files take bytes and the parts in ``entries`` are
    UTF-8 bytes (as the workers spill them), written as they are."""
    lit = _utf8 if binary else _as_is
    csvs = {}
    for name, table in layout.items():
        f = csvs[name] = open_text(f"{DATA_DIR}/{name}.csv")
        f.write(lit(renderer.csv[name].header(table)))
    js = open_text(f"{DATA_DIR}/{RECORDS_JSON}")
    index = open_text(f"{DATA_DIR}/{INDEX_JSON}")
    index.write(lit("{\n"))  # the same sections, in the same order, as records.json
    pos = 0  # bytes written to records.json

    def write_json(text: str | bytes) -> None:
        nonlocal pos
        js.write(text)
        pos += len(text) if binary or text.isascii() else len(text.encode("utf-8"))

    write_json(lit(_records_json_head(version)))
    sources = open_text(_SOURCES_PART)

    def own_parts(what: str, data: dict) -> dict:
        parts = renderer.parts(what, data)
        return {k: v.encode("utf-8") for k, v in parts.items()} if binary else parts

    withdrawn = sorted(withdrawn, key=lambda w: w["id"])
    sections = [(what, key, entries.get(what, ())) for what, key in stream.SECTIONS]
    sections.append(("withdrawal", "withdrawn", (own_parts("withdrawal", w) for w in withdrawn)))
    redirects = sorted(redirects, key=lambda r: (r["registry"], r["id"]))
    sections.append(("redirect", "redirects", (own_parts("redirect", r) for r in redirects)))
    id_start, quote = lit('{"id":"'), lit('"')
    first, then = lit("[\n"), lit(",\n")
    first_source, then_source = lit("\n"), lit(",\n")
    n_sources = 0
    for _what, key, parts_of in sections:
        write_json(lit(f'"{key}":'))
        index.write(lit(f'"{key}":'))
        n = 0
        for parts in parts_of:
            write_json(then if n else first)
            index.write(then if n else first)
            n += 1
            for part, text in parts.items():
                if part == stream.JSON_PART:
                    start = pos
                    write_json(text)
                    # the ID comes first in every entry the models dump
                    if text.startswith(id_start):
                        entry_id = text[7 : text.index(quote, 7)]
                        if binary:
                            entry_id = entry_id.decode("utf-8")
                    else:
                        entry_id = json.loads(text)["id"]
                    index.write(lit(f"[{json.dumps(entry_id)},{start},{pos - start}]"))
                elif part == stream.SOURCE_PART:
                    sources.write((then_source if n_sources else first_source) + text)
                    n_sources += 1
                else:
                    csvs[part].write(text)
        end = lit(("\n]" if n else "[]") + (",\n" if key != sections[-1][1] else "\n}\n"))
        write_json(end)
        index.write(end)
    data_files = [r for r in _outputs(layout) if r != DESCRIPTOR]
    integrity = measure(data_files) if measure is not None else None
    head, tail = _descriptor_around_sources(layout, version, integrity)
    desc = open_text(DESCRIPTOR)
    desc.write(lit(head))
    sources.seek(0)
    copyfileobj(sources, desc)
    desc.write(lit("\n  " + tail if n_sources else tail))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _as_is(text: str) -> str:
    return text


_SOURCES_PART = ".sources.part"


def render(
    report: Report,
    withdrawn: list[dict] = (),
    archive: Archive | None = None,
    version: str | None = None,
    redirects: list[dict] = (),
) -> dict[str, bytes]:
    """Every output file (path relative to the output folder -> bytes) from a collected
    report, the withdrawn IDs (``records/withdrawn.yaml``) and the redirects
    (``records/redirects.yaml``) as JSON data: the same bytes as :func:`stage` writes,
    in memory. ``archive`` (the archived source texts)
    fills the claims table's quote verification; ``version`` is the data version
    (default: :data:`metadata.DATA_VERSION`)."""
    by_kind: dict[str, list[dict]] = {"record": list(report.records.values())}
    for key, value in report.registries.items():
        by_kind.setdefault(key.split(":", 1)[0], []).append(value)
    layout = tables.layout()
    renderer = stream.Renderer(
        layout,
        actors={a["id"]: a for a in by_kind.get("actor", ())},
        sources={s["id"]: s for s in by_kind.get("source", ())},
        computed=verification.computed(archive),
    )

    def rendered(what: str, items: list[dict]) -> Iterator[dict[str, str]]:
        for data in sorted(items, key=lambda d: d["id"]):
            yield renderer.parts(what, data)

    entries = {what: rendered(what, items) for what, items in by_kind.items()}
    files: dict[str, io.StringIO] = {}

    def open_text(rel: str) -> io.StringIO:
        f = files[rel] = io.StringIO(newline="")
        return f

    encoded: dict[str, bytes] = {}

    def measure(rels: list[str]) -> Integrity:
        for rel in rels:
            encoded[rel] = files.pop(rel).getvalue().encode("utf-8")
        return {rel: _digest(encoded[rel]) for rel in rels}

    write_release(
        open_text, layout, entries, list(withdrawn), renderer, version, list(redirects), measure
    )
    encoded[DESCRIPTOR] = files[DESCRIPTOR].getvalue().encode("utf-8")
    return {rel: encoded[rel] for rel in _outputs(layout)}


def _withdrawn(root: Path | str, report: Report) -> tuple[list[dict], list[dict]]:
    """The tombstones and the redirects as JSON data; their problems are added to the
    report."""
    from conflictdata.validation import redirects as redirect_list
    from conflictdata.validation.withdrawn import load as load_withdrawn

    tombstones = load_withdrawn(root)
    moved = redirect_list.load(root)
    for problem in tombstones.problems + moved.problems:
        if problem not in report.problems:
            report.problems.append(problem)
    return (
        [w.model_dump(mode="json") for _, w in tombstones.entries],
        [r.model_dump(mode="json") for _, r in moved.entries],
    )


def produce(
    root: Path | str = ".",
    jobs: int | None = None,
    archive: Archive | None = None,
    version: str | None = None,
) -> tuple[Report, dict[str, bytes] | None]:
    """Validate the tree and render the outputs in memory; None when the records have
    problems. The report keeps every record's JSON data. ``archive``: the archived
    source texts the quotes are verified against (default: none, so the verification
    columns are empty). For a large tree use :func:`stage`, which writes the same bytes
    in bounded memory."""
    report = validate_tree(root, jobs=jobs, collect=True)
    withdrawn, redirects = _withdrawn(root, report)
    if report.problems:
        return report, None
    return report, render(report, withdrawn, archive, version, redirects)


class Staged:
    """A release written to a temporary folder by :func:`stage`: ``outputs`` maps each
    file (relative to the root) to where it was written. Remove it with :meth:`close`
    (or use it as a context manager) once it has been checked or moved into place."""

    def __init__(self, folder: Path, outputs: dict[str, Path], records: int):
        self.folder, self.outputs, self.records = folder, outputs, records

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def stage(
    root: Path | str = ".",
    jobs: int | None = None,
    *,
    folder: Path | str | None = None,
    archive: Archive | None = None,
    version: str | None = None,
) -> tuple[Report, Staged | None]:
    """Validate the tree and write the release into a new temporary folder (inside
    ``folder``, default the system's), one record at a time: the workers that check the
    files render each entry's parts, the parts are spilled to disk as they arrive and
    written out in ID order, so memory does not grow with the size of the records.
    None when the records have problems (nothing is kept then)."""
    layout = tables.layout()
    if folder is not None and not Path(folder).is_dir():
        folder = None  # no such root: validation reports it
    tmp = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=folder))
    try:
        # The workers write each entry's parts to spill files of their own and send back
        # only where they are.
        spill = stream.Spill(tmp)
        renderer = stream.Renderer(layout, computed=verification.computed(archive), spill=spill)

        unrendered = []  # entries naming a registry entry whose own file has problems

        def sink(result) -> None:
            if result.data is not None:
                if not result.problems:
                    where, summary = result.data
                    if where is None:
                        unrendered.append(result.id)
                    else:
                        spill.add(result.what, result.id, where)
                    renderer.remember(result.what, result.id, summary)
                result.data = None  # on disk now (or useless: the build will stop)

        report = validate_tree(root, jobs=jobs, collect=True, render=renderer, sink=sink)
        withdrawn, redirects = _withdrawn(root, report)
        if unrendered and not report.problems:  # never a release without them
            raise RuntimeError(f"entries not rendered, with no problem found: {unrendered[:5]}")
        if report.problems:
            spill.close()
            shutil.rmtree(tmp, ignore_errors=True)
            return report, None
        out = tmp / "release"
        opened = {}

        def open_text(rel: str):
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            # binary: the spilled parts are UTF-8 already; large buffers, few system calls
            f = open(path, "w+b" if rel == _SOURCES_PART else "wb", buffering=_WRITE_BUFFER)
            opened[rel] = f
            return f

        def measure(rels: list[str]) -> Integrity:
            for rel in rels:
                opened[rel].close()
            return _hash_files({rel: out / rel for rel in rels})

        try:
            entries = {what: spill.ordered(what) for what, _ in stream.SECTIONS}
            write_release(
                open_text,
                layout,
                entries,
                withdrawn,
                renderer,
                version,
                redirects,
                measure,
                binary=True,
            )
        finally:
            for f in opened.values():
                f.close()
            spill.close()
            for leftover in tmp.glob("spill-*"):  # a worker's file no entry was taken from
                leftover.unlink()
        (out / _SOURCES_PART).unlink()
        staged = Staged(tmp, {rel: out / rel for rel in _outputs(layout)}, spill.count("record"))
        return report, staged
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


#: The write buffer of each staged file (about 30 files are open at once).
_WRITE_BUFFER = 256 * 1024


def _hash_files(files: Mapping[str, Path]) -> Integrity:
    """(size, hash) of each file, the files read in threads (hashing frees the GIL)."""
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return dict(zip(files, pool.map(file_hash, files.values()), strict=True))


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


def _same(path: Path, output: bytes | Path) -> bool:
    """Whether the file at ``path`` holds the output (bytes, or a staged file)."""
    if not path.is_file():
        return False
    if isinstance(output, Path):
        return filecmp.cmp(path, output, shallow=False)
    return path.stat().st_size == len(output) and path.read_bytes() == output


def write(root: Path, outputs: Mapping[str, bytes | Path]) -> tuple[list[str], list[str]]:
    """Write the outputs (bytes, or files staged by :func:`stage`) where they differ from
    the files there, and remove data/ files the build no longer makes. Returns (written,
    removed).

    Every changed file is first complete on disk beside its target, under a name no
    other run shares (:class:`conflictdata.core.atomic.Batch`: a staged file is moved
    there, bytes are written and synced); only when all of them are there are they
    renamed into place, the descriptor last. A build that fails or is killed before the
    renames leaves the previous release as it was (a killed one leaves ``.*.tmp`` files
    that ``build --check`` names); one killed during the renames, a matter of
    milliseconds, leaves files that ``conflictdata verify`` names as not matching the
    descriptor."""
    root = Path(root)
    changed = [rel for rel, data in outputs.items() if not _same(root / rel, data)]
    with atomic.Batch() as batch:
        for rel in sorted(changed, key=lambda r: r == DESCRIPTOR):  # the descriptor last
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            data = outputs[rel]
            if isinstance(data, Path):
                batch.adopt(path, data)
            else:
                batch.add(path, data)
    removed = []
    for rel in sorted(_managed(root) - set(outputs)):
        (root / rel).unlink()
        removed.append(rel)
    return sorted(changed), removed


def leftovers(root: Path) -> list[str]:
    """What an interrupted build (or another command) left in the output folder: the
    temporary files of :mod:`conflictdata.core.atomic` and staging folders of
    :func:`stage`."""
    found = []
    for folder in (root, root / DATA_DIR):
        if not folder.is_dir() or folder.is_symlink():
            continue
        for p in sorted(folder.iterdir()):
            if p.name.endswith(atomic.TMP_SUFFIX):  # ours (.NAME.XXXX.tmp) and older NAME.tmp
                found.append(p.relative_to(root).as_posix())
            elif folder == root and p.name.startswith(STAGE_PREFIX):
                found.append(p.relative_to(root).as_posix() + "/")
    return found


def differences(root: Path, outputs: Mapping[str, bytes | Path]) -> list[tuple[str, str]]:
    """(file, what is wrong) for every built file that differs from what the records
    produce; empty when the committed release is up to date."""
    root = Path(root)
    out = [
        (rel, "left by an interrupted build (or one still running); delete it")
        for rel in leftovers(root)
    ]
    for rel in sorted(set(outputs) | _managed(root)):
        path = root / rel
        if rel not in outputs:
            out.append((rel, "not produced by the records; remove it or run 'conflictdata build'"))
        elif not path.is_file():
            out.append((rel, "missing; run 'conflictdata build'"))
        elif not _same(path, outputs[rel]):
            out.append(
                (
                    rel,
                    "differs from what the records produce; run 'conflictdata build'",
                )
            )
    return out
