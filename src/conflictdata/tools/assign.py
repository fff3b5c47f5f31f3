"""Placeholder IDs in pull requests, real IDs on main: ``conflictdata assign-ids``.

``conflictdata new arrest`` writes ``records/arrests/new/ARR-NEW-3f9a2c1b.yaml``: the
ID's tail is a random token, so two branches that each add records never pick the same
ID or the same file, and merge without a conflict. On ``main``, after the merge,
:func:`assign` gives every pending record the next free real ID of its kind and year,
moves its file to the path that ID gives, and rewrites every reference to the
placeholder (``related``, ``responds_to`` such as ``ARR-NEW-3f9a2c1b#c2``, a withdrawn
ID's ``replaced_by``) in every file under ``records/``, so links between new records of
the same pull request survive.

The year of an ID is the year of the record's ``date.latest`` when the ID is assigned:
the year by which the event had certainly happened. A serial is never one that is taken
or was withdrawn. Published IDs never change: only placeholders are renamed.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from conflictdata.core import atomic, paths, vocab
from conflictdata.core.paths import RECORDS_DIR, list_files
from conflictdata.reader.yamlreader import YamlError, read
from conflictdata.tools.ids import next_free_serial
from conflictdata.validation import withdrawn

#: A placeholder: ``ARR-NEW-`` and eight lower-case hexadecimal digits.
PLACEHOLDER = re.compile(
    r"\b(?:" + "|".join(k.prefix for k in vocab.KINDS) + r")-NEW-[0-9a-f]{8}\b"
)


def placeholder(kind: str) -> str:
    """A fresh placeholder ID for a record of ``kind``: random, so branches never clash."""
    return f"{vocab.KIND_BY_NAME[kind].prefix}-{vocab.PENDING}-{secrets.token_hex(4)}"


def pending_files(root: Path | str) -> list[str]:
    """Paths (relative to ``records/``) of the records still waiting for a real ID."""
    return paths.pending_files(Path(root) / RECORDS_DIR)


@dataclass
class Outcome:
    """What :func:`assign` did: placeholder -> real ID, files rewritten, and the
    pending records it could not assign (path, why)."""

    assigned: dict[str, str] = field(default_factory=dict)
    rewritten: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _year(data: dict) -> int | None:
    date = data.get("date")
    latest = date.get("latest") if isinstance(date, dict) else None
    if isinstance(latest, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", latest):
        return int(latest[:4])
    return None


def _schema_line(text: str, relpath: str, schema_name: str) -> str:
    """The editor's ``$schema`` line, pointed from the file's new folder."""
    depth = relpath.count("/") + 1
    ref = "../" * depth + f"schema/{schema_name}.schema.json"
    return re.sub(
        r"^# yaml-language-server: \$schema=\S+$",
        f"# yaml-language-server: $schema={ref}",
        text,
        count=1,
        flags=re.M,
    )


def assign(root: Path | str, dry_run: bool = False) -> Outcome:
    """Give every pending record a real ID (see the module's description)."""
    root = Path(root)
    records = root / RECORDS_DIR
    out = Outcome()
    pending = pending_files(root)
    if not pending:
        return out
    files = list_files(records)
    taken = {paths.entry_id(rel) for rel in files if paths.classify(rel)[0] == "record"}
    taken |= withdrawn.load(root).ids
    order = []
    for rel in pending:
        stem = paths.entry_id(rel)
        kind = vocab.KIND_BY_FOLDER[rel.split("/", 1)[0]]
        if not PLACEHOLDER.fullmatch(stem) or not stem.startswith(kind.prefix + "-"):
            out.refused.append(
                (
                    rel,
                    f"not a placeholder of a {kind.name}: expected {kind.prefix}-NEW-xxxxxxxx.yaml",
                )
            )
            continue
        try:
            data = read((records / rel).read_bytes())
        except (OSError, YamlError) as exc:
            out.refused.append((rel, f"cannot read it: {exc}"))
            continue
        year = _year(data)
        if year is None:
            out.refused.append(
                (rel, "date.latest is not a date YYYY-MM-DD; the ID's year is its year")
            )
            continue
        if data.get("id") != stem:
            out.refused.append(
                (rel, f"id {data.get('id')!r} does not match the file name {stem!r}")
            )
            continue
        earliest = data["date"].get("earliest")
        order.append((kind.prefix, year, str(earliest), stem, rel))
    for prefix, year, _earliest, stem, _rel in sorted(order):
        serial = next_free_serial(taken, prefix, year)
        real = f"{prefix}-{year:04d}-{serial:05d}"
        taken.add(real)
        out.assigned[stem] = real
    if not out.assigned or dry_run:
        return out

    def swap(match: re.Match) -> str:
        return out.assigned.get(match.group(0), match.group(0))

    moves = {
        rel: paths.record_relpath(out.assigned[stem])
        for *_, stem, rel in order
        if stem in out.assigned
    }
    for rel in files:
        if not rel.endswith(".yaml"):
            continue
        path = records / rel
        text = path.read_text(encoding="utf-8")
        if "-NEW-" not in text:
            continue
        new_text = PLACEHOLDER.sub(swap, text)
        target = moves.get(rel)
        if target is not None:
            kind = vocab.KIND_BY_FOLDER[rel.split("/", 1)[0]]
            new_text = _schema_line(new_text, target, kind.name)
            dest = records / target
            dest.parent.mkdir(parents=True, exist_ok=True)
            atomic.create(dest, new_text.encode("utf-8"))  # never over another record
            path.unlink()
            out.rewritten.append(target)
        elif new_text != text:
            atomic.write_text(path, new_text)
            out.rewritten.append(rel)
    for rel in moves:
        folder = (records / rel).parent
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return out
