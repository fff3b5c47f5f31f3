"""The streaming build: the release written one entry at a time from a spill on disk is
byte for byte the release rendered in memory, because every table's rows, taken entry by
entry in ID order, are the rows of the whole table."""

from __future__ import annotations

import marshal
import subprocess
import sys

from conflictdata.publish import build, stream, tables
from conflictdata.validation.validate import validate_tree
from seeds import ROOT, make_tree


def _entries(report) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {"record": list(report.records.values())}
    for key, data in report.registries.items():
        out.setdefault(key.split(":", 1)[0], []).append(data)
    return {what: sorted(items, key=lambda d: d["id"]) for what, items in out.items()}


def test_rows_of_each_entry_in_id_order_are_the_rows_of_every_table(tmp_path):
    report = validate_tree(ROOT, collect=True, jobs=1)
    assert report.ok
    entries = _entries(report)
    layout = tables.layout()
    whole = tables.rows(layout, entries["record"], entries["actor"], entries["source"])
    actors = {a["id"]: a for a in entries["actor"]}
    sources = {s["id"]: s for s in entries["source"]}
    pieced: dict[str, list[tuple]] = {name: [] for name in layout}
    for what in ("actor", "source", "record"):
        for data in entries[what]:
            for name, rows in tables.entity_rows(layout, what, data, actors, sources).items():
                pieced[name].extend(rows)
    assert pieced == whole
    assert sum(map(len, whole.values())) > 100


def test_records_rows_need_only_the_registry_summaries_the_build_keeps():
    report = validate_tree(ROOT, collect=True, jobs=1)
    entries = _entries(report)
    full = stream.Renderer(
        actors={a["id"]: a for a in entries["actor"]},
        sources={s["id"]: s for s in entries["source"]},
    )
    slim = stream.Renderer()
    for what in ("actor", "source"):
        for data in entries[what]:
            blob, summary = slim(what, data)
            slim.remember(what, data["id"], summary)
    assert len(slim.registries["actor"]) == len(entries["actor"])
    for record in entries["record"]:
        assert slim.parts("record", record) == full.parts("record", record)


def test_streamed_build_writes_the_bytes_of_the_in_memory_build(tmp_path):
    root = make_tree(tmp_path)
    in_memory, outputs = build.produce(root, jobs=1)
    assert outputs is not None
    report, staged = build.stage(root, jobs=1)
    assert staged is not None
    with staged:
        assert list(staged.outputs) == list(outputs)
        for rel, path in staged.outputs.items():
            assert path.read_bytes() == outputs[rel], rel
        assert staged.records == len(in_memory.records) > 0
        assert report.records == {} and report.registries == {}  # nothing kept in memory
        folder = staged.folder
    assert not folder.exists()


def test_streamed_build_of_the_committed_records_matches_the_in_memory_build():
    from conflictdata.validation.quotes import Archive, archive_dir

    archive = Archive(archive_dir(ROOT))  # quotes verified when the archive is there
    _, outputs = build.produce(ROOT, jobs=1, archive=archive, version="2099.1.0")
    report, staged = build.stage(ROOT, jobs=2, archive=archive, version="2099.1.0")
    assert staged is not None
    with staged:
        assert list(staged.outputs) == list(outputs)
        for rel, path in staged.outputs.items():
            assert path.read_bytes() == outputs[rel], rel
    assert b'"version":"2099.1.0"' in outputs["data/records.json"]


def test_a_tree_with_problems_stages_nothing(tmp_path):
    root = make_tree(tmp_path)
    (root / "records" / "incidents" / "2015" / "000" / "INC-2015-00001.yaml").write_text("id: [\n")
    report, staged = build.stage(root, jobs=1, folder=tmp_path)
    assert staged is None and report.problems
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".conflictdata-build-")]


def test_spill_gives_entries_back_in_id_order(tmp_path):
    spill = stream.Spill(tmp_path)
    for entry_id in ["b", "c", "a"]:
        spill.add("record", entry_id, marshal.dumps({"records.json": entry_id}))
    spill.add("actor", "z", marshal.dumps({"records.json": "z"}))
    assert [p["records.json"] for p in spill.ordered("record")] == ["a", "b", "c"]
    assert [p["records.json"] for p in spill.ordered("actor")] == ["z"]
    assert list(spill.ordered("source")) == []
    spill.close()


def test_descriptor_sources_are_spliced_as_json_dumps_writes_them():
    layout = tables.layout()
    sources = [
        {"publisher": "P", "title": 'T "q"', "published": {"earliest": "2020-01-02"}, "url": "u"},
        {"publisher": "Ö", "title": "T2", "published": {"earliest": "2021"}},
    ]
    import json

    for chosen in ([], sources[:1], sources):
        want = json.dumps(build.descriptor(layout, chosen), ensure_ascii=False, indent=2) + "\n"
        head, tail = build._descriptor_around_sources(layout)
        body = ",\n".join(stream.source_entry_text(s) for s in chosen)
        got = head + ("\n" + body + "\n  " + tail if chosen else tail)
        assert got == want


def test_build_check_reads_the_staged_files(tmp_path):
    root = make_tree(tmp_path)
    out = root / "build"
    cmd = [sys.executable, "-m", "conflictdata.cli", "build", "--root", str(root), "--jobs", "1"]
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    assert subprocess.run(cmd + ["--check"], capture_output=True).returncode == 0
    (out / "data" / "claims.csv").write_text("changed\n")
    done = subprocess.run(cmd + ["--check"], capture_output=True, text=True)
    assert done.returncode == 1 and "data/claims.csv" in done.stdout
    leftovers = [p for p in (*root.iterdir(), *out.iterdir()) if ".conflictdata-build-" in p.name]
    assert not leftovers


def _put_in_child(spill: stream.Spill, queue, entry_id: str) -> None:
    queue.put(spill.put(marshal.dumps({"records.json": entry_id})))


def test_spill_reads_back_what_each_process_put_in_its_own_file(tmp_path):
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return
    ctx = multiprocessing.get_context("fork")
    spill = stream.Spill(tmp_path)
    spill.add("record", "b", marshal.dumps({"records.json": "b"}))  # put by this process
    queue = ctx.Queue()
    for entry_id in ("c", "a"):
        child = ctx.Process(target=_put_in_child, args=(spill, queue, entry_id))
        child.start()
        where = queue.get(timeout=30)
        child.join(30)
        spill.add("record", entry_id, where)
    assert len({name for name in (p.name for p in tmp_path.iterdir())}) == 3  # one file each
    assert [p["records.json"] for p in spill.ordered("record")] == ["a", "b", "c"]
    spill.close()
    assert list(tmp_path.iterdir()) == []


def test_csv_body_is_the_row_by_row_body_for_every_kind_of_cell():
    layout = tables.layout()
    table = layout["claims"]
    renderer = stream.CsvRenderer(table)
    kinds = {
        "string": ["plain", "a, comma", 'a "quote"', "a\nline feed", "", None],
        "boolean": [True, False, None],
        "integer": [0, 7, None],
        "number": [0.1, 1e16, -2.5, 3, None],
        "date": ["2020-01-02", None],
    }
    rows = []
    for n in range(6):
        rows.append(
            tuple(
                kinds.get(c.type, kinds["string"])[n % len(kinds.get(c.type, kinds["string"]))]
                for c in table.columns
            )
        )
    assert any(c.type == "boolean" for c in table.columns)
    assert renderer.body(rows) == renderer._quoting_body(rows)
    with_cr = rows + [tuple("a\rb" if c.type == "string" else None for c in table.columns)]
    body = renderer.body(with_cr)
    assert body == renderer._quoting_body(with_cr)
    assert body.split("\n")[-2].startswith('"a\rb"')  # every cell of that row quoted
    assert renderer.body([]) == ""
