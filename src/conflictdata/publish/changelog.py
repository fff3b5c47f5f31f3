"""What changed between two releases, and its section of ``CHANGELOG.md``.

A release is compared with the previous one through their ``data/records.json``: the
records, actors and sources added, changed (naming the fields that changed; for lists
of claims, which claims) and removed, and the record IDs withdrawn. Hand-written notes
(for example on a schema change) are bullets under the ``## Unreleased`` heading of
``CHANGELOG.md``; a release moves them into its own section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FILE = "CHANGELOG.md"
UNRELEASED = "## Unreleased"

HEADER = """\
# Changelog

The data releases of conflictdata, newest first. Versions are calendar versions,
`YYYY.MM.N`: the year and month of the release and its number within that month. Each
section lists the records, actors and sources added, changed (with the fields that
changed) and withdrawn since the release before; `conflictdata release` writes it.

Notes for the next release (a schema change, a correction worth explaining) go under
*Unreleased* as bullets; the next release moves them into its section.

"""

_HEADING = re.compile(r"^## ", re.MULTILINE)


@dataclass
class Group:
    """The changes to one collection (records, actors or sources)."""

    added: list[tuple[str, str]] = field(default_factory=list)  # (ID, label)
    changed: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (ID, label, fields)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (ID, what became of it)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass
class Changes:
    records: Group
    actors: Group
    sources: Group
    #: record IDs of the previous release that are neither records nor withdrawn now
    lost: list[str]
    counts: dict[str, int]

    def __bool__(self) -> bool:
        return bool(self.records or self.actors or self.sources)


def _by_id(items) -> dict[str, dict]:
    return {item["id"]: item for item in items or ()}


def changed_fields(old: dict, new: dict) -> list[str]:
    """The top-level fields that differ; for a list of items with IDs (claims), which
    items were added, changed or removed: ``claims (c2 changed, c4 added)``."""
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = _norm(old.get(key)), _norm(new.get(key))
        if a == b or (_empty(a) and _empty(b)):
            continue  # (a field added to the models, empty here, is no change)
        if _has_ids(a) and _has_ids(b):
            before, after = _by_id(a), _by_id(b)
            detail = [f"{i} added" for i in after if i not in before]
            detail += [f"{i} changed" for i in after if i in before and before[i] != after[i]]
            detail += [f"{i} removed" for i in before if i not in after]
            if not detail:
                detail = ["reordered"]
            out.append(f"{key} ({', '.join(detail)})")
        else:
            out.append(key)
    return out


def _empty(value) -> bool:
    return value is None or value == [] or value is False


def _norm(value):
    """A value with its empty fields (None, [], false) left out, so that a field added
    to the models and empty in every item (a list, or a flag that defaults to false)
    does not count as a change."""
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items() if not _empty(v)}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


def _has_ids(value) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and isinstance(v.get("id"), str) for v in value)
    )


def _label(item: dict) -> str:
    return item.get("title") or item.get("name") or ""


def diff(old: dict, new: dict) -> Changes:
    """The changes from release ``old`` to release ``new`` (their records.json data)."""
    groups = {}
    for name in ("records", "actors", "sources"):
        before, after = _by_id(old.get(name)), _by_id(new.get(name))
        group = Group()
        for ident in sorted(after):
            if ident not in before:
                group.added.append((ident, _label(after[ident])))
            elif before[ident] != after[ident]:
                fields = changed_fields(before[ident], after[ident])
                if fields:
                    group.changed.append((ident, _label(after[ident]), fields))
        if name != "records":
            moved = {
                r["id"]: r for r in new.get("redirects") or () if r.get("registry") == name[:-1]
            }
            for ident in sorted(before):
                if ident not in after:
                    redirect = moved.get(ident)
                    what = _label(before[ident])
                    if redirect:
                        what = (
                            f"{redirect.get('reason', 'renamed')}, now `{redirect['replaced_by']}`"
                        )
                    group.removed.append((ident, what))
        groups[name] = group
    withdrawn_before = _by_id(old.get("withdrawn"))
    withdrawn_after = _by_id(new.get("withdrawn"))
    records_after = _by_id(new.get("records"))
    for ident in sorted(withdrawn_after):
        if ident in withdrawn_before:
            continue
        entry = withdrawn_after[ident]
        what = entry["reason"].replace("_", " ")
        if entry.get("replaced_by"):
            what += f", replaced by `{entry['replaced_by']}`"
        groups["records"].removed.append((ident, what))
    lost = sorted(
        i for i in _by_id(old.get("records")) if i not in records_after and i not in withdrawn_after
    )
    counts = {name: len(new.get(name) or ()) for name in ("records", "actors", "sources")}
    counts["withdrawn"] = len(withdrawn_after)
    return Changes(groups["records"], groups["actors"], groups["sources"], lost, counts)


# --- CHANGELOG.md ------------------------------------------------------------------------------


def unreleased_notes(text: str) -> list[str]:
    """The lines under ``## Unreleased`` (up to the next heading), blank lines dropped."""
    start = text.find(UNRELEASED + "\n")
    if start < 0:
        return []
    body = text[start + len(UNRELEASED) + 1 :]
    nxt = _HEADING.search(body)
    body = body[: nxt.start()] if nxt else body
    return [line.rstrip() for line in body.splitlines() if line.strip()]


def section(version: str, day: str, changes: Changes, notes: list[str]) -> str:
    """The section of one release."""
    c = changes.counts
    lines = [
        f"## {version} ({day})",
        "",
        f"{c['records']} record(s), {c['actors']} actor(s), {c['sources']} source(s); "
        f"{c['withdrawn']} withdrawn record ID(s).",
        "",
    ]
    if notes:
        lines += ["### Notes", "", *notes, ""]
    for title, group, removed in (
        ("Records", changes.records, "Withdrawn"),
        ("Actors", changes.actors, "Removed or redirected"),
        ("Sources", changes.sources, "Removed or redirected"),
    ):
        if not group:
            continue
        lines += [f"### {title}", ""]
        if group.added:
            lines += ["Added:", ""]
            lines += [f"- `{i}`: {label}" if label else f"- `{i}`" for i, label in group.added]
            lines.append("")
        if group.changed:
            lines += ["Changed:", ""]
            lines += [
                f"- `{i}`" + (f" ({label})" if label else "") + f": {', '.join(fields)}"
                for i, label, fields in group.changed
            ]
            lines.append("")
        if group.removed:
            lines += [f"{removed}:", ""]
            lines += [f"- `{i}`: {what}" if what else f"- `{i}`" for i, what in group.removed]
            lines.append("")
    if not changes and not notes:
        lines += ["No change to the records, actors or sources.", ""]
    return "\n".join(lines)


def update(text: str | None, new_section: str) -> str:
    """``CHANGELOG.md`` with the Unreleased notes moved into ``new_section``, which goes
    right below the (now empty) Unreleased heading."""
    if not text:
        text = HEADER + UNRELEASED + "\n"
    start = text.find(UNRELEASED + "\n")
    if start < 0:  # no Unreleased heading: add one above the first release
        first = _HEADING.search(text)
        at = first.start() if first else len(text)
        text = text[:at] + UNRELEASED + "\n\n" + text[at:]
        start = at
    head = text[: start + len(UNRELEASED) + 1]
    body = text[start + len(UNRELEASED) + 1 :]
    nxt = _HEADING.search(body)
    rest = body[nxt.start() :] if nxt else ""
    return (
        head + "\n" + new_section.rstrip("\n") + "\n\n" + rest.rstrip("\n") + ("\n" if rest else "")
    )


def latest_version(text: str) -> str | None:
    """The version of the newest release section, or None."""
    m = re.search(r"^## ([0-9]{4}\.[0-9]{2}\.[0-9]+)\b", text, re.MULTILINE)
    return m.group(1) if m else None
