"""Validating against a base revision: ``validate --changed`` (the files a branch
changed, and the records linked to them) and ``validate --base`` (no record ID of the
base lost without a tombstone, no actor or source ID lost without a redirect). The git questions themselves are in
:mod:`conflictdata.core.git`.
"""

from __future__ import annotations

from pathlib import Path

from conflictdata.core import paths
from conflictdata.core.git import changes, files_at, fork_point, resolve_base, show_many
from conflictdata.core.paths import RECORDS_DIR, classify, list_files
from conflictdata.core.safeio import read_plain
from conflictdata.reader.yamlreader import MAX_BYTES, YamlError, read
from conflictdata.validation import redirects, withdrawn
from conflictdata.validation.validate import PathLookup, validate_paths


def _links(data: bytes | None) -> set[str]:
    """The record IDs a record file links to in ``related``; empty if it cannot be read."""
    if data is None:
        return set()
    try:
        record = read(data)
    except YamlError:
        return set()
    related = record.get("related")
    if not isinstance(related, list):
        return set()
    return {
        link["record"]
        for link in related
        if isinstance(link, dict) and isinstance(link.get("record"), str)
    }


def validate_changed(root: Path | str, base: str | None = None):
    """Validate the files under ``records/`` that differ from ``base`` (see
    :func:`changes`), the records they link to now or linked to at the base (so that
    both sides of a link are checked), the withdrawn list, and that no record ID of the
    base disappeared without a tombstone.

    Records that only refer to a changed actor or source, or whose claims answer a
    claim of a changed record, are not found: that would need an index of the whole
    corpus. A full run (CI runs one too) checks them."""
    root = Path(root)
    base = resolve_base(root, base)
    since = fork_point(root, base)
    diff = changes(root, since, RECORDS_DIR)
    records = root / RECORDS_DIR
    wanted = set(diff.changed)
    linked: set[str] = set()
    touched = [
        rel
        for rel in diff.changed + diff.deleted
        if rel.endswith(".yaml") and classify(rel)[0] == "record"
    ]
    before = show_many(root, since, [f"{RECORDS_DIR}/{rel}" for rel in touched])
    for rel in touched:
        linked |= _links(before[f"{RECORDS_DIR}/{rel}"])
        if rel in diff.changed:
            try:
                linked |= _links(read_plain(records / rel, MAX_BYTES))
            except OSError:
                pass
    lookup = PathLookup(root)
    wanted |= {
        paths.record_relpath(record_id) for record_id in linked if lookup.has_record(record_id)
    }
    report = validate_paths(root, [records / rel for rel in sorted(wanted)])
    stones = withdrawn.load(root)
    lost = withdrawn.lost_ids(
        root, withdrawn.record_ids(diff.deleted), lookup.has_record, base, stones
    )
    lost += redirects.lost_entries(
        root, redirects.registry_ids(diff.deleted), lookup.has_entry, base
    )
    report.problems = sorted(set(report.problems) | set(lost))
    return report


def check_base(root: Path | str, base: str | None = None):
    """``id-loss`` problems for a full run: every record ID in ``records/`` at the base
    (where the branch started from it) is still a record, or has a tombstone; every actor
    and source ID is still an entry, or has a redirect."""
    root = Path(root)
    base = resolve_base(root, base)
    since = fork_point(root, base)
    at_base = files_at(root, since, RECORDS_DIR)
    records = root / RECORDS_DIR
    files = list_files(records) if records.is_dir() else []
    now = set(withdrawn.record_ids(files))
    lost = withdrawn.lost_ids(root, withdrawn.record_ids(at_base), now.__contains__, base)
    entries = set(redirects.registry_ids(files))
    lost += redirects.lost_entries(
        root, redirects.registry_ids(at_base), lambda r, i: (r, i) in entries, base
    )
    return lost
