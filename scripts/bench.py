#!/usr/bin/env python3
"""Benchmark suite: a synthetic corpus of any size, and the costs of working with it.

``generate`` writes a directory laid out like the repository root: its own ``records/``
tree of N records over the four kinds, and the actors and sources they cite. Every
record is derived from one of the real records in ``records/`` (its claims, quotes,
parties, nested items and notes), with a new ID, a new year, other counts, and links
to other generated records that link back. The same N and seed give the same bytes.

``run`` measures, in one run on one tree, every figure against a floor or a peer
measured in the same run, since absolute times differ from machine to machine:

1. floor: one process that parses every file with PyYAML's C loader and does nothing else;
2. ``conflictdata validate`` of the whole tree (wall, CPU incl. workers, peak memory);
3. ``conflictdata validate <path>`` of one changed record (the median of three runs),
   against a process that only parses that file; and the first run on the machine,
   which finds no actor names cached and reads the actor registry once;
4. ``conflictdata build``, against full validation;
5. ``conflictdata.load()`` of the built release in a fresh process, against a fresh
   process that only ``json.load``s the same files;
6. peers: ``check-jsonschema`` with the published schemas on the same files, and
   ``frictionless validate`` of the built package.

It prints a table and then one line of JSON with every figure. A step whose tool is
missing reports "not available" and the run goes on.

    python scripts/bench.py generate --records 10000 --out /tmp/bench-10k
    python scripts/bench.py run --records 10000 --dir /tmp/bench-10k
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from conflictdata.core import paths, vocab  # noqa: E402
from conflictdata.reader.yamlreader import read  # noqa: E402
from conflictdata.validation import people_cache  # noqa: E402
from conflictdata.validation.validate import validate_paths  # noqa: E402

#: Targets at 100,000 records: figure name -> (limit, how the figure compares to it).
TARGETS = {
    "validate_vs_floor": (1.0, "<="),
    "check_jsonschema_vs_validate": (5.0, ">="),
    "single_wall_s": (0.5, "<"),
    "build_vs_validate": (1.5, "<="),
    "build_peak_vs_validate": (1.5, "<="),
    "load_open_wall_s": (1.0, "<="),
    "load_pandas_events_wall_s": (2.0, "<="),
    "load_pandas_claims_wall_s": (2.0, "<="),
    "iterate_vs_before": (1.0, "<="),
    "validate_peak_mb": (300.0, "<"),
}
MANIFEST = "bench.json"


# --- generate ---------------------------------------------------------------------------


def _templates(repo: Path) -> tuple[dict[str, list[dict]], dict[str, dict], dict[str, dict]]:
    """The real records by kind, and the real actors and sources, as plain data: those
    that are valid, and records that answer no claim of another record."""
    records: dict[str, list[dict]] = {k.name: [] for k in vocab.KINDS}
    actors: dict[str, dict] = {}
    sources: dict[str, dict] = {}
    base = repo / "records"
    for path in sorted(base.rglob("*.yaml")):
        rel = path.relative_to(base).as_posix()
        top = rel.split("/", 1)[0]
        if validate_paths(repo, [path]).problems:
            continue  # only valid files serve as templates
        if top in vocab.KIND_BY_FOLDER:
            data = read(path.read_bytes())
            if not any("#" in (c.get("responds_to") or "") for c in data["claims"]):
                records[vocab.KIND_BY_FOLDER[top].name].append(data)
        elif top == paths.REGISTRIES["actor"]:
            data = read(path.read_bytes())
            actors[data["id"]] = data
        elif top == paths.REGISTRIES["source"]:
            data = read(path.read_bytes())
            sources[data["id"]] = data
    missing = [k for k, v in records.items() if not v]
    if missing:
        raise SystemExit(f"no real records of kind {', '.join(missing)} in {base} to derive from")
    return records, actors, sources


def _dump(data: dict, header: str) -> bytes:
    import yaml

    text = yaml.dump(
        data,
        Dumper=yaml.CSafeDumper,
        sort_keys=False,
        allow_unicode=True,
        width=88,
        default_flow_style=False,
    )
    return (header + text).encode("utf-8")


def _header(schema: str, relpath: str) -> str:
    up = "../" * (relpath.count("/") + 1)
    return f"# yaml-language-server: $schema={up}schema/{schema}.schema.json\n"


def _rename(value, mapping: dict[str, str]):
    """Every actor and source ID in a record, replaced by its copy in one cluster."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in (
                "claimant",
                "source",
                "actor",
                "parent",
                "publisher_actor",
                "party",  # a proceeding's party (a same_as party ref is not an actor ID)
                "by",  # an appeal's appellant (a translator code is not an actor ID)
            ) and isinstance(v, str):
                out[k] = mapping.get(v, v)
            elif k == "via" and isinstance(v, list):
                out[k] = [mapping.get(x, x) for x in v]
            else:
                out[k] = _rename(v, mapping)
        return out
    if isinstance(value, list):
        return [_rename(v, mapping) for v in value]
    return value


def _recount(value, rng: random.Random):
    """Counts get other numbers, still low <= best <= high."""
    if isinstance(value, dict):
        keys = [k for k in ("low", "best", "high") if isinstance(value.get(k), int)]
        if keys and "claims" in value:
            numbers = sorted(rng.randint(1, 60) for _ in keys)
            value = dict(value)
            for k, n in zip(keys, numbers, strict=True):
                value[k] = n
            return value
        return {k: _recount(v, rng) for k, v in value.items()}
    if isinstance(value, list):
        return [_recount(v, rng) for v in value]
    return value


def _redate(date: dict, year: int) -> dict:
    """The same dates moved to another year (28 February for a 29th)."""
    out = dict(date)
    shift = year - int(date["earliest"][:4])
    for key in ("earliest", "latest"):
        day = date[key][4:]
        out[key] = f"{int(date[key][:4]) + shift}{'-02-28' if day == '-02-29' else day}"
    return out


def generate(n: int, out: Path, seed: int = 1, repo: Path = REPO) -> dict:
    """Write a tree of ``n`` records under ``out`` (which must not hold records yet)."""
    rng = random.Random(seed)
    templates, actors, sources = _templates(repo)
    records_dir = out / "records"
    if records_dir.exists():
        raise SystemExit(f"{records_dir} exists; generate into a new directory")
    clusters = max(1, n // 100)

    # Plan every record first: ID, template, cluster; then the links between them.
    kinds = [k for k in vocab.KINDS]
    serials: dict[tuple[str, int], int] = {}
    plan = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        year = rng.randint(2014, 2025)
        serial = serials[(kind.prefix, year)] = serials.get((kind.prefix, year), 0) + 1
        rid = f"{kind.prefix}-{year}-{serial:05d}"
        template = rng.randrange(len(templates[kind.name]))
        plan.append((rid, kind.name, year, template, rng.randrange(clusters)))
    links: dict[str, list[tuple[str, str]]] = {}
    order = list(range(n))
    rng.shuffle(order)
    relations = sorted(vocab.RELATIONS)
    for a, b in itertools.pairwise(order):
        if rng.random() < 0.3:
            relation = rng.choice(relations)
            links.setdefault(plan[a][0], []).append((plan[b][0], relation))
            links.setdefault(plan[b][0], []).append((plan[a][0], vocab.INVERSE_RELATIONS[relation]))
    confirms = {}
    for i in range(1, n):
        if rng.random() < 0.1:
            other = plan[rng.randrange(i)]
            # answer the target's first claim, whatever its ID (claim IDs may have gaps)
            confirms[plan[i][0]] = (other[0], templates[other[1]][other[3]]["claims"][0]["id"])

    # Registries: a copy of every real actor and source per cluster.
    def cluster_map(c: int) -> dict[str, str]:
        m = {a: f"{a}-{c}" for a in actors}
        m.update({s: f"{s}-{c}" for s in sources})
        return m

    files = 0
    for c in range(clusters):
        mapping = cluster_map(c)
        for entries, registry, schema in (
            (actors, "actor", "actor"),
            (sources, "source", "source"),
        ):
            for old in sorted(entries):
                data = _rename(entries[old], mapping)
                data = {"id": mapping[old], **{k: v for k, v in data.items() if k != "id"}}
                if registry == "actor":
                    data["name"] = f"{data['name']} ({c})"
                rel = paths.registry_relpath(registry, data["id"])
                _write(records_dir / rel, _dump(data, _header(schema, rel)))
                files += 1

    for rid, kind, year, template, cluster in plan:
        data = _rename(templates[kind][template], cluster_map(cluster))
        data = _recount(data, rng)
        data["id"] = rid
        data["date"] = _redate(data["date"], year)
        data.pop("related", None)
        for party in data.get("parties", []):
            party.pop("same_as", None)  # like related: it names parties of real records
        if rid in confirms:
            first = data["claims"][0]
            data["claims"].append(
                {
                    # the next free claim ID: claim IDs may have gaps (c1, c3, ...), so
                    # counting the claims could give an ID already taken
                    "id": f"c{max(int(c['id'][1:]) for c in data['claims']) + 1}",
                    "claimant": first["claimant"],
                    "source": first["source"],
                    "stance": "confirms",
                    "responds_to": f"{confirms[rid][0]}#{confirms[rid][1]}",
                    "quote": first["quote"],
                    "grade": dict(first["grade"]),
                }
            )
        record = {}
        for key, value in data.items():  # keep the template's field order, related before notes
            if key == "notes" and rid in links:
                record["related"] = [{"record": o, "relation": r} for o, r in links[rid]]
            record[key] = value
        if rid in links and "related" not in record:
            record["related"] = [{"record": o, "relation": r} for o, r in links[rid]]
        rel = paths.record_relpath(rid)
        _write(records_dir / rel, _dump(record, _header(kind, rel)))
        files += 1
    manifest = {"records": n, "seed": seed, "clusters": clusters, "files": files}
    (out / MANIFEST).write_text(json.dumps(manifest, sort_keys=True) + "\n")
    return manifest


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# --- measuring ------------------------------------------------------------------------------


def _tree_pss_kb(pid: int, skip_root: bool = False) -> int:
    """Proportional set size of a process and all its descendants, in KiB (shared pages
    are split between the processes that share them, so workers are not counted twice)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    stat = f.read()
                parents[int(entry)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    tree, todo = set(), [pid]
    while todo:
        p = todo.pop()
        tree.add(p)
        todo.extend(c for c, pp in parents.items() if pp == p and c not in tree)
    total = 0
    for p in tree - ({pid} if skip_root else set()):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


#: Starts one command and reports its ``wait4`` figures. Measured commands are started
#: from this small process, not from the benchmark itself, because a process's peak RSS
#: survives ``exec``: a child of a large parent would report the parent's size.
LAUNCHER = """
import json, os, sys, time
cmd = json.loads(open(sys.argv[1]).read())
start = time.perf_counter()
try:
    pid = os.posix_spawnp(cmd[0], cmd, os.environ)
except OSError as exc:
    print(json.dumps({"error": str(exc)}), file=open(sys.argv[2], "w"))
    sys.exit(0)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
print(json.dumps({"rc": os.waitstatus_to_exitcode(status), "wall": wall,
                  "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss}),
      file=open(sys.argv[2], "w"))
"""


def measure(cmd: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Run ``cmd`` and return its wall time, CPU time and peak RSS, each including the
    processes it starts (from ``wait4``), and the peak summed PSS of its process tree
    (sampled every 50 ms; shared pages are split between the processes sharing them)."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "rusage.json"
        command = Path(tmp) / "command.json"  # a file: one argument may hold at most 128 KiB
        command.write_text(json.dumps(cmd))
        proc = subprocess.Popen(
            [sys.executable, "-S", "-c", LAUNCHER, str(command), str(report)],
            cwd=cwd,
            stdout=out,
            stderr=err,
            env=env,
        )
        peak = [0]
        done = threading.Event()

        def sample():
            while not done.wait(0.05):
                peak[0] = max(peak[0], _tree_pss_kb(proc.pid, skip_root=True))

        sampler = threading.Thread(target=sample, daemon=True)
        if os.path.exists(f"/proc/{proc.pid}/smaps_rollup"):
            sampler.start()
        proc.wait()
        done.set()
        if sampler.is_alive():
            sampler.join()
        got = (
            json.loads(report.read_text()) if report.exists() else {"error": "the launcher failed"}
        )
    out.seek(0)
    err.seek(0)
    stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if "error" in got:
        return {
            "ok": False,
            "error": got["error"],
            "stdout": stdout,
            "stderr": stderr + got["error"],
        }
    return {
        "ok": got["rc"] == 0,
        "rc": got["rc"],
        "wall": got["wall"],
        "cpu": got["cpu"],
        "maxrss_mb": got["maxrss_kb"] / 1024,
        "pss_mb": peak[0] / 1024 if peak[0] else None,
        "stdout": stdout,
        "stderr": stderr,
    }


FLOOR = """
import os, sys, yaml
paths = []
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    paths += [os.path.join(folder, f) for f in sorted(files) if f.endswith(".yaml")]
for path in paths:
    with open(path, "rb") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
print(len(paths))
"""

JSON_FLOOR = """
import json, sys
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.json")):
    with open(path, "rb") as f:
        json.load(f)
"""

CLI = [sys.executable, "-m", "conflictdata.cli"]


def _has_command(name: str, cwd: Path) -> bool:
    done = subprocess.run(CLI + [name, "--help"], cwd=cwd, capture_output=True)
    return done.returncode == 0


def _record_files(root: Path) -> dict[str, list[str]]:
    """Files under records/ by schema name, relative to ``root``."""
    by_schema: dict[str, list[str]] = {}
    base = root / "records"
    for path in sorted(base.rglob("*.yaml")):
        rel = path.relative_to(base).as_posix()
        top = rel.split("/", 1)[0]
        if top in vocab.KIND_BY_FOLDER:
            name = vocab.KIND_BY_FOLDER[top].name
        elif top in paths.REGISTRIES.values():
            name = next(k for k, v in paths.REGISTRIES.items() if v == top)
        else:
            continue
        by_schema.setdefault(name, []).append(f"records/{rel}")
    return by_schema


def _peak(result: dict) -> float:
    """Peak memory of a process and its workers: the summed PSS when it could be sampled."""
    return result["pss_mb"] or result["maxrss_mb"]


def _sum(runs: list[dict]) -> dict:
    return {
        "ok": all(r.get("ok") for r in runs),
        "wall": sum(r["wall"] for r in runs),
        "cpu": sum(r["cpu"] for r in runs),
        "maxrss_mb": max(r["maxrss_mb"] for r in runs),
        "stderr": "".join(r["stderr"][-2000:] for r in runs if not r.get("ok")),
        "stdout": "".join(r["stdout"][-2000:] for r in runs if not r.get("ok")),
    }


def _median(runs: list[dict]) -> dict:
    runs = sorted(runs, key=lambda r: r["wall"])
    return runs[len(runs) // 2]


#: check-jsonschema checks about 50 files a second; above this many files it checks an
#: evenly spread sample and its times are scaled up to the whole tree (and said so).
PEER_FILES = 10_000


def _check_jsonschema(root: Path) -> dict | None:
    exe = shutil.which("check-jsonschema")
    if exe is None:
        return None
    by_schema = _record_files(root)
    total = sum(len(files) for files in by_schema.values())
    step = -(-total // PEER_FILES)  # every step-th file
    runs, checked = [], 0
    for name, files in sorted(by_schema.items()):
        schema = REPO / "schema" / f"{name}.schema.json"
        files = files[::step]
        checked += len(files)
        for i in range(0, len(files), 5000):
            runs.append(measure([exe, "--schemafile", str(schema), *files[i : i + 5000]], root))
    result = _sum(runs)
    result.update(files=checked, scale=total / checked)
    return result


def _single(root: Path, env: dict, relpath: str) -> tuple[dict, dict]:
    """Change one record's title, validate that file alone (median of three), and put it
    back; with a process that only parses that file as its floor."""
    target = root / relpath
    original = target.read_bytes()
    try:
        data = read(original)
        data["title"] = data["title"] + " (edited)"
        header = original.decode("utf-8").split("\n", 1)[0] + "\n"
        target.write_bytes(_dump(data, header))
        # the first run on a machine finds no names cache and reads the actor registry once
        names_cache = people_cache.cache_file(root / "records" / "actors")
        if names_cache is not None:
            names_cache.unlink(missing_ok=True)
        first = measure(CLI + ["validate", relpath], root, env)
        single = _median([measure(CLI + ["validate", relpath], root, env) for _ in range(3)])
        single["first_wall"] = first["wall"]
        one_floor = _median(
            [
                measure(
                    [
                        sys.executable,
                        "-c",
                        "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)",
                        relpath,
                    ],
                    root,
                    env,
                )
                for _ in range(3)
            ]
        )
    finally:
        target.write_bytes(original)
    if not single["ok"]:
        raise SystemExit(
            f"validating one record failed:\n{single['stdout'][-3000:]}{single['stderr'][-3000:]}"
        )
    return single, one_floor


def run(
    n: int,
    root: Path | None,
    seed: int,
    jobs: int | None,
    skip: set[str] = frozenset(),
    out: Path | None = None,
) -> dict:
    """Every figure for a tree of ``n`` records (generated first when it is missing).
    Steps named in ``skip`` are left out (said in the notes); with ``out``, the figures
    so far are written there as JSON after every step, so a long run that is stopped
    keeps what it measured."""
    if root is None:
        root = Path(tempfile.gettempdir()) / f"conflictdata-bench-{n}-{seed}"
    manifest_path = root / MANIFEST
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest["records"] != n:
            raise SystemExit(f"{root} holds {manifest['records']} records, not {n}")
    else:
        print(f"generating {n} records in {root} ...", file=sys.stderr)
        manifest = generate(n, root, seed)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")]).rstrip(
        os.pathsep
    )
    fig: dict = {"records": n, "files": manifest["files"], "seed": manifest["seed"], "jobs": jobs}
    fig["load_average_before"] = round(
        os.getloadavg()[0], 2
    )  # other work on the machine skews wall times
    notes: dict[str, str] = {}
    fig["notes"] = notes
    for step in sorted(skip):
        notes[step] = "skipped"

    def progress(more: dict | None = None) -> None:
        if more:
            fig.update(more)
        if out is not None:
            fig["load_average_now"] = round(os.getloadavg()[0], 2)
            out.write_text(json.dumps(fig, sort_keys=True, indent=1) + "\n")

    # 1. The floor.
    # (left out with --skip floor, for a tree whose floor was measured before: the
    # ratios against it are then left out too)
    floor = None
    if "floor" not in skip:
        floor = measure([sys.executable, "-c", FLOOR, "records"], root, env)
        if not floor["ok"]:
            raise SystemExit(f"floor failed: {floor['stderr'][-2000:]}")
        fig.update(floor_wall_s=floor["wall"], floor_cpu_s=floor["cpu"], floor_peak_mb=_peak(floor))
        progress()

    # 2. Full validation.
    cmd = CLI + ["validate", "--root", "."] + (["--jobs", str(jobs)] if jobs else [])
    full = measure(cmd, root, env)
    if not full["ok"]:
        raise SystemExit(
            f"validate found problems or failed:\n{full['stdout'][-3000:]}{full['stderr'][-3000:]}"
        )
    fig.update(
        validate_wall_s=full["wall"],
        validate_cpu_s=full["cpu"],
        validate_maxrss_mb=full["maxrss_mb"],
        validate_peak_mb=_peak(full),
    )
    if floor is not None:
        fig.update(
            validate_vs_floor=full["wall"] / floor["wall"],
            validate_cpu_vs_floor=full["cpu"] / floor["cpu"],
        )

    progress()
    if "single" not in skip:
        # 3. One changed record: the middle incident with a GeoNames ID (whose check reads the
        #    GeoNames list) and the middle one without; the slower of the two is the figure.
        files = _record_files(root)
        incidents = files["incident"]
        placed = [rel for rel in incidents if b"geonames_id:" in (root / rel).read_bytes()]
        placed_set = set(placed)
        plain = [rel for rel in incidents if rel not in placed_set]
        singles = {}
        for label, group in (("geonames", placed), ("plain", plain)):
            if group:
                singles[label] = _single(root, env, group[len(group) // 2])
        worst = max(singles.values(), key=lambda r: r[0]["wall"])
        single, one_floor = worst
        fig.update(
            single_wall_s=single["wall"],
            single_floor_wall_s=one_floor["wall"],
            single_vs_floor=single["wall"] / one_floor["wall"],
            **{f"single_{label}_wall_s": r[0]["wall"] for label, r in singles.items()},
            **{f"single_{label}_first_wall_s": r[0]["first_wall"] for label, r in singles.items()},
        )
        progress()

    # 4. Build, 5. load(), 6b. frictionless.
    fig.update(_build_and_load(root, env, full, jobs, notes, skip, progress))
    progress()

    # 6a. check-jsonschema.
    peer = None if "check-jsonschema" in skip else _check_jsonschema(root)
    if "check-jsonschema" in skip:
        pass
    elif peer is None:
        notes["check_jsonschema"] = "not available (check-jsonschema is not installed)"
    elif not peer["ok"]:
        notes["check_jsonschema"] = "failed: " + (peer["stdout"] + peer["stderr"])[-500:]
    else:
        wall, cpu = peer["wall"] * peer["scale"], peer["cpu"] * peer["scale"]
        fig.update(
            check_jsonschema_wall_s=wall,
            check_jsonschema_cpu_s=cpu,
            check_jsonschema_files=peer["files"],
            check_jsonschema_vs_validate=wall / full["wall"],
        )
        if peer["scale"] > 1:
            notes["check_jsonschema"] = (
                f"checked {peer['files']:,} of {fig['files']:,} files (every "
                f"{round(peer['scale'])}th); its times are scaled up to the whole tree"
            )

    fig["load_average_after"] = round(os.getloadavg()[0], 2)
    fig["targets"] = {}
    for name, (limit, op) in TARGETS.items():
        value = fig.get(name)
        met = (
            None
            if value is None
            else (value <= limit if op == "<=" else value >= limit if op == ">=" else value < limit)
        )
        fig["targets"][name] = {"value": value, "limit": f"{op} {limit:g}", "met": met}
    progress()
    return fig


#: Questions asked of the built release, each in a fresh process (cwd: the tree).
LOAD_QUESTIONS = {
    # load(), then len(ds) and ds.get() of the middle record (typed)
    "open": "ds = conflictdata.load('.'); n = len(ds); ds.get(ds.ids[n // 2])",
    "pandas_events": "conflictdata.load('.').to_pandas('events')",
    "pandas_claims": "conflictdata.load('.').to_pandas('claims')",
    # every record, typed
    "iterate": "n = sum(1 for _ in conflictdata.load('.'))",
}
LOAD = "import conflictdata\n{question}\n"

#: What opening a release and typing every record cost before the index: json.load of the
#: whole records.json, then each record validated by its model and kept, as the loader
#: kept every record it had typed.
ITERATE_BEFORE = """
import json
from conflictdata.model.models import RECORD_MODELS
kinds = {"INC": "incident", "ARR": "arrest", "WTR": "weapons_transfer", "REC": "recruitment"}
with open("data/records.json", "rb") as f:
    data = json.load(f)
typed = [RECORD_MODELS[kinds[r["id"][:3]]].model_validate(r) for r in data["records"]]
"""


def _build_and_load(
    root: Path, env: dict, full: dict, jobs: int | None, notes: dict, skip: set, progress
) -> dict:
    """Steps 4, 5 and 6b, which need ``conflictdata build`` and ``conflictdata.load``."""
    fig: dict = {}
    if not _has_command("build", root):
        for step in ("build", "load", "frictionless"):
            notes[step] = "not available (conflictdata has no build command)"
        return fig
    build = measure(
        CLI + ["build", "--root", ".", "--out", "."] + (["--jobs", str(jobs)] if jobs else []),
        root,
        env,
    )
    if not build["ok"]:
        notes["build"] = "failed: " + (build["stdout"] + build["stderr"])[-500:]
        return fig
    fig.update(
        build_wall_s=build["wall"],
        build_cpu_s=build["cpu"],
        build_peak_mb=_peak(build),
        build_maxrss_mb=build["maxrss_mb"],
        build_vs_validate=build["wall"] / full["wall"],
        build_peak_vs_validate=_peak(build) / _peak(full),
    )
    progress(fig)

    probe = subprocess.run(
        [sys.executable, "-c", "import conflictdata; conflictdata.load"],
        cwd=root,
        env=env,
        capture_output=True,
    )
    if probe.returncode != 0:
        notes["load"] = "not available (conflictdata has no load())"
    elif not (root / "data" / "records.json").exists():
        notes["load"] = "not available (the build wrote no data/records.json)"
    else:
        # cwd is the tree, so that a load() that finds the release from the working folder does too
        for name, question in LOAD_QUESTIONS.items():
            if f"load_{name}" in skip:
                continue
            times = 1 if name == "iterate" else 3  # typing every record takes long
            cmd = [sys.executable, "-c", LOAD.format(question=question)]
            result = _median([measure(cmd, root, env) for _ in range(times)])
            if not result["ok"]:
                notes[f"load_{name}"] = "failed: " + result["stderr"][-500:]
                continue
            fig.update(
                {
                    f"load_{name}_wall_s": result["wall"],
                    f"load_{name}_cpu_s": result["cpu"],
                    f"load_{name}_peak_mb": _peak(result),
                }
            )
            progress(fig)
        if "json" not in skip:
            plain = _median(
                [measure([sys.executable, "-c", JSON_FLOOR, "data"], root, env) for _ in range(3)]
            )
            fig.update(
                json_wall_s=plain["wall"], json_cpu_s=plain["cpu"], json_peak_mb=_peak(plain)
            )
            if "load_open_wall_s" in fig:
                fig["load_vs_json"] = fig["load_open_wall_s"] / plain["wall"]
            progress(fig)
        if "load_iterate" not in skip and "iterate_before" not in skip:
            before = measure([sys.executable, "-c", ITERATE_BEFORE], root, env)
            if before["ok"]:
                fig.update(
                    iterate_before_wall_s=before["wall"],
                    iterate_before_cpu_s=before["cpu"],
                    iterate_before_peak_mb=_peak(before),
                )
                if "load_iterate_wall_s" in fig:
                    fig["iterate_vs_before"] = fig["load_iterate_wall_s"] / before["wall"]
            else:
                notes["iterate_before"] = "failed: " + before["stderr"][-500:]
            progress(fig)

    exe = shutil.which("frictionless")
    if "frictionless" in skip:
        notes["frictionless"] = "skipped"
    elif exe is None:
        notes["frictionless"] = "not available (frictionless is not installed)"
    elif not (root / "datapackage.json").exists():
        notes["frictionless"] = "not available (the build wrote no datapackage.json)"
    else:
        peer = measure([exe, "validate", "datapackage.json"], root, env)
        fig.update(
            frictionless_wall_s=peer["wall"],
            frictionless_cpu_s=peer["cpu"],
            frictionless_vs_validate=peer["wall"] / full["wall"],
            frictionless_valid=peer["ok"],
        )
        if not peer["ok"]:
            notes["frictionless"] = "reports the package invalid: " + peer["stdout"][-300:]
    return fig


# --- output ---------------------------------------------------------------------------------


ROWS = [
    (
        "floor: parse every file (C loader, 1 process)",
        "floor_wall_s",
        "floor_cpu_s",
        "floor_peak_mb",
        None,
        None,
    ),
    (
        "conflictdata validate (whole tree)",
        "validate_wall_s",
        "validate_cpu_s",
        "validate_peak_mb",
        "validate_vs_floor",
        "x floor",
    ),
    (
        "conflictdata validate <one changed record>",
        "single_wall_s",
        None,
        None,
        "single_vs_floor",
        "x parsing that file alone",
    ),
    ("  of them: a record with a GeoNames ID", "single_geonames_wall_s", None, None, None, None),
    ("  of them: a record without one", "single_plain_wall_s", None, None, None, None),
    (
        "  the first run, no actor names cached",
        "single_plain_first_wall_s",
        None,
        None,
        None,
        None,
    ),
    (
        "conflictdata build",
        "build_wall_s",
        "build_cpu_s",
        "build_peak_mb",
        "build_vs_validate",
        "x validate",
    ),
    (
        "load(), len(ds), ds.get(id): fresh process",
        "load_open_wall_s",
        "load_open_cpu_s",
        "load_open_peak_mb",
        "load_vs_json",
        "x json.load",
    ),
    (
        "load().to_pandas('events'): fresh process",
        "load_pandas_events_wall_s",
        "load_pandas_events_cpu_s",
        "load_pandas_events_peak_mb",
        None,
        None,
    ),
    (
        "load().to_pandas('claims'): fresh process",
        "load_pandas_claims_wall_s",
        "load_pandas_claims_cpu_s",
        "load_pandas_claims_peak_mb",
        None,
        None,
    ),
    (
        "every record typed: fresh process",
        "load_iterate_wall_s",
        "load_iterate_cpu_s",
        "load_iterate_peak_mb",
        "iterate_vs_before",
        "x json.load + validate each",
    ),
    (
        "  before: json.load, then validate each",
        "iterate_before_wall_s",
        "iterate_before_cpu_s",
        "iterate_before_peak_mb",
        None,
        None,
    ),
    (
        "json.load of the same data, fresh process",
        "json_wall_s",
        "json_cpu_s",
        "json_peak_mb",
        None,
        None,
    ),
    (
        "check-jsonschema (published schemas)",
        "check_jsonschema_wall_s",
        "check_jsonschema_cpu_s",
        None,
        "check_jsonschema_vs_validate",
        "x validate",
    ),
    (
        "frictionless validate (built package)",
        "frictionless_wall_s",
        "frictionless_cpu_s",
        None,
        "frictionless_vs_validate",
        "x validate",
    ),
]


def table(fig: dict) -> str:
    def num(key, fmt):
        value = fig.get(key) if key else None
        return "" if value is None else format(value, fmt)

    lines = [
        f"{fig['records']:,} records, {fig['files']:,} files, seed {fig['seed']}, jobs {fig['jobs'] or 'all cores'}",
        f"{'step':<46} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}  ratio",
    ]
    for label, wall, cpu, mem, ratio, unit in ROWS:
        if fig.get(wall) is None:
            lines.append(f"{label:<46} not available")
            continue
        r = f"{fig[ratio]:.2f} {unit}" if ratio and fig.get(ratio) is not None else ""
        lines.append(f"{label:<46} {num(wall, '8.2f')} {num(cpu, '8.2f')} {num(mem, '8.0f')}  {r}")
    lines.append(
        f"load average (1 min) before / after the run: {fig['load_average_before']} / {fig['load_average_after']}"
    )
    lines.append("targets (set for 100,000 records):")
    for name, t in fig["targets"].items():
        state = "not measured" if t["met"] is None else "met" if t["met"] else "MISSED"
        value = "" if t["value"] is None else f"{t['value']:.3g}"
        lines.append(f"  {name:<32} {value:>8} {t['limit']:<8} {state}")
    for step, note in fig["notes"].items():
        lines.append(f"  {step}: {note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="bench.py", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="write a synthetic tree of N records")
    g.add_argument("--records", type=int, required=True, help="how many records")
    g.add_argument(
        "--out", type=Path, required=True, help="the directory to write (a repository root)"
    )
    g.add_argument("--seed", type=int, default=1)
    r = sub.add_parser("run", help="measure every figure on a tree of N records")
    r.add_argument("--records", type=int, required=True, help="how many records")
    r.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="the tree (generated there when missing; default: a temporary folder)",
    )
    r.add_argument("--seed", type=int, default=1, help="seed when the tree is generated")
    r.add_argument(
        "--jobs", type=int, default=None, help="validate's worker processes (default: all cores)"
    )
    r.add_argument(
        "--skip",
        default="",
        help="comma-separated steps to leave out: floor, single, check-jsonschema, frictionless, "
        "json, iterate_before, load_open, load_pandas_events, load_pandas_claims, load_iterate",
    )
    r.add_argument(
        "--out", type=Path, default=None, help="write the figures so far here after every step"
    )
    args = p.parse_args(argv)
    if args.command == "generate":
        print(json.dumps(generate(args.records, args.out, args.seed), sort_keys=True))
        return 0
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    fig = run(args.records, args.dir, args.seed, args.jobs, skip, args.out)
    print(table(fig))
    print(json.dumps(fig, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
