"""``conflictdata codebook``: ``docs/codebook.md``, generated, so never out of date.

Everything in it comes from elsewhere: the fields, their types and meanings from the
published JSON Schemas (themselves generated from :mod:`conflictdata.model.models`), the
allowed values and their meanings from :mod:`conflictdata.core.vocab`, every problem code
with its statement from :data:`conflictdata.validation.codes.REGISTRY`, and an example
of each field from a fixed set of example records, :data:`EXAMPLES` (a committed
snapshot of the first curated records, in an order by a hash of the file name). The
examples never come from ``records/``, so adding or changing records never changes the
codebook: ``--check`` fails only when the code (or the example set) changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from conflictdata.core import paths, vocab
from conflictdata.model.schemagen import schemas
from conflictdata.model.schemaview import SchemaView
from conflictdata.validation import codes

OUTPUT = "docs/codebook.md"
#: The fixed example records the codebook's examples come from, relative to the root.
EXAMPLES = "tests/fixtures/seedtree/records"
EXAMPLE_WIDTH = 70

#: How the rules table names what a code applies to.
_APPLIES = {
    "file": "every file",
    "cross": "records against each other",
    "withdrawn": "withdrawn IDs",
    "redirects": "redirected IDs",
}


def _vocabularies() -> dict[str, dict]:
    """Every enumeration in :mod:`conflictdata.core.vocab` with its meanings, by name."""
    skip = {"INVERSE_RELATIONS"}
    return {
        name: value
        for name, value in vars(vocab).items()
        if name.isupper()
        and name not in skip
        and not name.startswith("KIND")
        and isinstance(value, dict)
        and value
        and all(isinstance(v, str) for v in value.values())
    }


def _anchor(text: str) -> str:
    return "".join(c for c in text.lower().replace(" ", "-") if c.isalnum() or c in "-_")


def _vocab_title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


class _Schema(SchemaView):
    def __init__(self, schema: dict, vocab_by_values: dict):
        super().__init__(schema)
        self.vocab_by_values = vocab_by_values

    def type_name(self, node: dict) -> str:
        node = self.deref(node)
        meanings = node.get("x-enum-descriptions")
        if meanings:
            name = self.vocab_by_values.get(json.dumps(meanings, sort_keys=True))
            return (
                f"one of [{_vocab_title(name).lower()}](#{_anchor(_vocab_title(name))})"
                if name
                else "one of " + ", ".join(f"`{v}`" for v in node["enum"])
            )
        if "enum" in node:
            return (
                "code (see meaning)"
                if len(node["enum"]) > 20
                else "one of " + ", ".join(f"`{v}`" for v in node["enum"])
            )
        kind = node.get("type")
        if kind == "array":
            inner = self.type_name(node.get("items", {}))
            least = node.get("minItems")
            return f"list of {inner}" + (f" (at least {least})" if least else "")
        if kind == "object":
            return "mapping"
        if kind == "string":
            if node.get("format") == "date":
                return "date `YYYY-MM-DD`"
            if "pattern" in node and node["pattern"] != "\\S":
                return f"text matching `{node['pattern']}`"
            return f"text (up to {node['maxLength']} characters)" if "maxLength" in node else "text"
        if kind == "integer":
            return "whole number" + self._bounds(node)
        if kind == "number":
            return "number" + self._bounds(node)
        if kind == "boolean":
            return "`true` or `false`"
        return kind or "any"

    @staticmethod
    def _bounds(node: dict) -> str:
        low, high = node.get("minimum"), node.get("maximum")
        if low is not None and high is not None:
            return f" from {low:g} to {high:g}"
        if low is not None:
            return f" ≥ {low:g}"
        return ""

    def rows(self, model: dict, prefix: str = "") -> list[tuple[str, str, str, str]]:
        """(path, type, required, meaning) for every field, nested blocks flattened."""
        model = self.deref(model)
        required = set(model.get("required", ()))
        out = []
        for name, prop in model.get("properties", {}).items():
            inner, nullable = self.unwrap(prop)
            path = f"{prefix}{name}"
            meaning = prop.get("description") or inner.get("description") or ""
            if "default" in prop and prop["default"] not in (None, [], False):
                meaning += f" Default: `{json.dumps(prop['default'])}`."
            req = "yes" if name in required else "no"
            items = self.deref(inner.get("items", {})) if inner.get("type") == "array" else {}
            if items.get("type") == "object":
                out.append(
                    (
                        path,
                        f"list of {items.get('title', 'block')}"
                        + (" (at least 1)" if inner.get("minItems") else ""),
                        req,
                        meaning or items.get("description", ""),
                    )
                )
                out += self.rows(items, f"{path}[].")
            elif inner.get("type") == "object":
                out.append((path, "mapping", req, meaning))
                out += self.rows(inner, f"{path}.")
            else:
                out.append((path, self.type_name(inner), req, meaning))
        return out


def examples(root: Path | str) -> dict[str, dict[str, object]]:
    """Schema name -> field path -> the first value found in the example records."""
    from conflictdata.core.paths import classify, list_files
    from conflictdata.core.safeio import read_plain
    from conflictdata.reader.yamlreader import MAX_BYTES, YamlError, read

    records = Path(root) / EXAMPLES
    out: dict[str, dict[str, object]] = {}
    if not records.is_dir():
        return out
    for rel in sorted(list_files(records), key=_stable_order):
        what, kind = classify(rel)
        if what == "unknown" or not rel.endswith(".yaml"):
            continue
        name = kind if what == "record" else what
        try:
            data = read(read_plain(records / rel, MAX_BYTES))
        except (OSError, YamlError):
            continue
        _collect(data, "", out.setdefault(name, {}))
    return out


def _stable_order(relpath: str) -> str:
    """Files in an order that adding a file rarely changes: by a hash of the name, so
    that a new record takes over an example with a chance of one in the corpus size."""
    return hashlib.sha1(os.fsencode(relpath.rsplit("/", 1)[-1])).hexdigest()


def _collect(node: dict, prefix: str, found: dict) -> None:
    for key, value in node.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            _collect(value, path + ".", found)
        elif isinstance(value, list) and not _scalars(value):
            for item in value:
                if isinstance(item, dict):
                    _collect(item, path + "[].", found)
        elif value is not None and value != [] and path not in found:
            found[path] = value


def _scalars(value) -> bool:
    return isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value)


def _example(value) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    if isinstance(value, list):
        text = "[" + ", ".join(str(v) for v in value) + "]"
    text = " ".join(text.split())
    if len(text) > EXAMPLE_WIDTH:
        text = text[: EXAMPLE_WIDTH - 1].rstrip() + "…"
    return f"`{_cell(text).replace('`', '')}`"


def render(root: Path | str) -> str:
    all_schemas = schemas()
    vocabs = _vocabularies()
    by_values = {
        json.dumps({str(k): v for k, v in d.items()}, sort_keys=True): n for n, d in vocabs.items()
    }
    found = examples(root)
    lines = [
        "# Codebook",
        "",
        "<!-- Generated by `conflictdata codebook` from the models, the vocabularies and the",
        "     rules; do not edit by hand. `conflictdata codebook --check` fails when it is stale. -->",
        "",
        "Every record kind and registry, every field with its type, whether it is required,",
        "what it means and an example (from a fixed set of example records, so that adding",
        "records never changes this page); every allowed value with its meaning; and every",
        "rule the validator applies. Field paths use `.` for a field inside a block and `[]`",
        "for each item of a list.",
        "",
        "## Contents",
        "",
    ]
    sections = (
        [(vocab.KIND_BY_NAME[n].title, n) for n in vocab.KIND_BY_NAME]
        + [(n.capitalize(), n) for n in paths.REGISTRIES]
        + [("Withdrawn IDs", "withdrawn"), ("Redirected IDs", "redirects")]
    )
    for title, _ in sections:
        lines.append(f"- [{title}](#{_anchor(title)})")
    lines += [
        "- [The events table](#the-events-table)",
        "- [Identifiers and files](#identifiers-and-files)",
        "- [Allowed values](#allowed-values)",
        "- [Rules](#rules)",
        "",
    ]
    for title, name in sections:
        schema = all_schemas[f"{name}.schema.json"]
        lines += [f"## {title}", "", schema["description"], ""]
        if name in vocab.KIND_BY_NAME:
            k = vocab.KIND_BY_NAME[name]
            example = paths.record_relpath(f"{k.prefix}-2015-00001")
            files = example.replace("2015-00001", "YYYY-NNNNN").replace("/2015/", "/YYYY/")
            lines += [
                f"IDs `{k.prefix}-YYYY-NNNNN`, files `records/{files}`, "
                f"schema `schema/{name}.schema.json`.",
                "",
            ]
        elif name in paths.REGISTRIES:
            lines += [
                f"Files `records/{paths.REGISTRIES[name]}/<first letter>/<id>.yaml`, schema "
                f"`schema/{name}.schema.json`.",
                "",
            ]
        else:
            file_name = paths.WITHDRAWN_FILE if name == "withdrawn" else paths.REDIRECTS_FILE
            lines += [
                f"The list in `records/{file_name}`, schema `schema/{name}.schema.json`; "
                "each entry:",
                "",
            ]
        walker = _Schema(schema, by_values)
        model = walker.deref(schema["items"]) if schema.get("type") == "array" else schema
        lines += ["| Field | Type | Required | Meaning | Example |", "|---|---|---|---|---|"]
        for path, type_, req, meaning in walker.rows(model):
            ex = found.get(name, {}).get(path)
            lines.append(
                f"| `{path}` | {_cell(type_)} | {req} | {_cell(meaning)} | {_example(ex) if ex is not None else ''} |"
            )
        lines.append("")
    lines += _events_section()
    lines += [
        "## Identifiers and files",
        "",
        f"- Record IDs match `{vocab.RECORD_ID_PATTERN}`: a kind prefix, a year and a serial "
        "number. The year is the year of the record's `date.latest` when the ID was assigned "
        "(the year by which the event had certainly happened); a published ID never changes, "
        "even if the date is later corrected.",
        f"- In a pull request a new record has a placeholder ID, `{vocab.KINDS[1].prefix}-"
        f"{vocab.PENDING}-` and eight hexadecimal digits, in `records/<kind>/"
        f"{paths.PENDING_FOLDER}/`; `conflictdata assign-ids` gives it the next free real ID "
        "on main (never one taken or withdrawn) and rewrites every reference to it. A release "
        "never holds a placeholder.",
        f"- Actor and source IDs match `{vocab.SLUG_PATTERN}`. They are stable: an actor or "
        "source that is renamed or merged keeps its old ID in "
        f"`records/{paths.REDIRECTS_FILE}`, pointing to the current one.",
        f"- Claim IDs match `{vocab.CLAIM_ID_PATTERN}`; a claim reference matches `{vocab.CLAIM_REF_PATTERN}`. "
        "Claim IDs are labels, unique within their record; gaps are allowed (c1, c3, ...), "
        "because other records cite claims by ID and removing a claim never renumbers the rest.",
        f"- A folder holds at most {paths.SHARD_SIZE} records: the third part of a record's "
        "path is its serial number's thousands.",
        "",
        "## Allowed values",
        "",
    ]
    for name, values in vocabs.items():
        title = _vocab_title(name)
        lines += [f"### {title}", "", "| Value | Meaning |", "|---|---|"]
        lines += [f"| `{value}` | {_cell(meaning)} |" for value, meaning in values.items()]
        lines.append("")
    lines += [
        "## Rules",
        "",
        "Each problem the validator reports names its rule code.",
        "",
        "| Code | Applies to | Rule |",
        "|---|---|---|",
    ]
    for c in codes.REGISTRY:
        applies = _APPLIES.get(c.applies_to, f"{c.applies_to}s")
        lines.append(f"| `{c.code}` | {applies} | {_cell(c.statement)} |")
    lines.append("")
    return "\n".join(lines)


def _events_section() -> list[str]:
    """The flat ``events`` table: its columns, and how "primary" is chosen."""
    from conflictdata.publish import events

    lines = [
        "## The events table",
        "",
        events.DESCRIPTION,
        "",
        "How *primary* is chosen:",
        "",
    ]
    lines += [f"- {_cell(rule)}" for rule in events.PRIMARY_RULES]
    lines += ["", "| Column | Type | Meaning |", "|---|---|---|"]
    for c in events.table().columns:
        lines.append(f"| `{c.name}` | {c.type} | {_cell(c.description)} |")
    lines.append("")
    return lines


def check(root: Path | str) -> str | None:
    """Why the committed codebook is not what :func:`render` makes now, or None."""
    path = Path(root) / OUTPUT
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if current == render(root):
        return None
    return (
        f"{OUTPUT}: {'missing' if current is None else 'out of date'}; "
        "run 'conflictdata codebook' and commit the result"
    )


def write(root: Path | str) -> str:
    """Write the codebook; the path written, relative to ``root``."""
    path = Path(root) / OUTPUT
    text = render(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    from conflictdata.core import atomic

    atomic.write_text(path, text)
    return OUTPUT
