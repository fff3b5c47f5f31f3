"""``conflictdata new``: a new record file to fill in, with a placeholder ID
(``ARR-NEW-3f9a2c1b``, see :mod:`conflictdata.tools.assign`).

The template is written from the published JSON Schema of the kind (itself generated
from the models), so every field, its meaning and its allowed values come from
:mod:`conflictdata.model.models` and :mod:`conflictdata.core.vocab`, never from a copy:

* every field is present, in model order, under a comment saying what goes there;
* the editor line ``# yaml-language-server: $schema=...`` points at the kind's schema;
* values are left empty. An empty required field is null, which fails validation, so
  an unfinished record cannot pass; an empty optional field is simply not given. A
  list of blocks (locations, parties, claims...) holds one empty block to copy or
  delete, and an optional block (a count, coordinates) is present with empty fields:
  fill it in or delete it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from conflictdata.core import paths, vocab
from conflictdata.core.paths import RECORDS_DIR
from conflictdata.model.schemagen import SCHEMA_DIR, schemas
from conflictdata.model.schemaview import SchemaView
from conflictdata.tools.assign import placeholder

WIDTH = 88


class ScaffoldError(Exception):
    """The new file cannot be written (a bad ID, or the file exists)."""


# --- IDs ------------------------------------------------------------------------------


def _comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()),
        WIDTH - len(indent) - 2,
        initial_indent=f"{indent}# ",
        subsequent_indent=f"{indent}# ",
        break_on_hyphens=False,
    )


class _Template(SchemaView):
    """Writes the commented template of a record from its schema."""

    def describe(self, prop: dict, inner: dict, required: bool, indent: str) -> list[str]:
        text = prop.get("description") or inner.get("description") or ""
        is_block = inner.get("type") == "object"
        is_list = inner.get("type") == "array"
        items = self.deref(inner.get("items", {})) if is_list else {}
        if is_list and items.get("type") == "object":
            text = text or items.get("description", "")
            text += (
                " Required: at least one; copy the block for more."
                if inner.get("minItems")
                else " Optional: copy the block for more, or delete it (and write []) if there are none."
            )
        elif is_block:
            text += "" if required else " Optional: fill it in, or delete the whole block."
        elif required and "default" not in prop:
            text += " Required."
        else:
            text += " Optional."
        lines = _comment(text, indent) if text.strip() else []
        enum_source = items if is_list else inner
        meanings = enum_source.get("x-enum-descriptions")
        if meanings:
            lines.append(f"{indent}# One of:")
            for value in enum_source.get("enum", meanings):
                lines += textwrap.wrap(
                    f"{value}: {' '.join(meanings[str(value)].split())}",
                    WIDTH - len(indent),
                    initial_indent=f"{indent}#   ",
                    subsequent_indent=f"{indent}#     ",
                    break_on_hyphens=False,
                )
        return lines

    def block(self, model: dict, indent: str, fixed: dict) -> list[str]:
        """Lines of a mapping: every property, its comment, an empty value."""
        model = self.deref(model)
        required = set(model.get("required", ()))
        lines: list[str] = []
        for name, prop in model.get("properties", {}).items():
            inner, _nullable = self.unwrap(prop)
            is_req = name in required
            lines += self.describe(prop, inner, is_req, indent)
            if name in fixed:
                lines.append(f"{indent}{name}: {fixed[name]}")
            elif inner.get("type") == "object":
                lines.append(f"{indent}{name}:")
                lines += self.block(inner, indent + "  ", {})
            elif inner.get("type") == "array":
                items = self.deref(inner.get("items", {}))
                if items.get("type") == "object":
                    lines.append(f"{indent}{name}:")
                    body = self.block(items, indent + "  ", {})
                    first = next(
                        i for i, line in enumerate(body) if not line.lstrip().startswith("#")
                    )
                    body[first] = f"{indent}- {body[first][len(indent) + 2 :]}"
                    lines += body
                else:
                    lines.append(f"{indent}{name}: []")
            elif inner.get("type") == "boolean" and isinstance(prop.get("default"), bool):
                lines.append(f"{indent}{name}: {'true' if prop['default'] else 'false'}")
            else:
                lines.append(f"{indent}{name}:")
        return lines


def render(schema_name: str, entry_id: str, relpath: str) -> str:
    """The text of a new file at ``records/<relpath>`` for the schema ``schema_name``."""
    schema = schemas()[f"{schema_name}.schema.json"]
    depth = relpath.count("/") + 1  # folders below the root: records/ and relpath's own
    schema_ref = "../" * depth + f"{SCHEMA_DIR}/{schema_name}.schema.json"
    head = [f"# yaml-language-server: $schema={schema_ref}"]
    head += _comment(f"{schema['title']}: {schema['description']}", "")
    head += _comment(
        "Fill in every field from the sources; an empty required field fails validation. "
        "Delete the comments once done if you like; CONTRIBUTING.md walks through an "
        "example and docs/codebook.md explains every field. Check it with:",
        "",
    )
    head.append(f"#   conflictdata validate records/{relpath}")
    return "\n".join(head + _Template(schema).block(schema, "", {"id": entry_id})) + "\n"


def create(root: Path | str, what: str, entry_id: str | None = None) -> Path:
    """Write a new record (``what`` a kind name) or registry entry (``actor``,
    ``source``: ``entry_id`` required) and return its path."""
    import re

    root = Path(root)
    if not (root / RECORDS_DIR).is_dir():
        raise ScaffoldError(
            f"no {RECORDS_DIR}/ folder in {root}; run in the repository root or pass --root"
        )
    if what in vocab.KIND_BY_NAME:
        if entry_id is not None:
            raise ScaffoldError(
                f"a new {what} gets a placeholder ID; 'conflictdata assign-ids' gives it a "
                "real one on main"
            )
        entry_id = placeholder(what)
        relpath = paths.record_relpath(entry_id)
    elif what in paths.REGISTRIES:
        if (
            not entry_id
            or not re.fullmatch(vocab.SLUG_PATTERN, entry_id)
            or not 2 <= len(entry_id) <= 80
        ):
            raise ScaffoldError(
                f"a new {what} needs an ID: lower-case ASCII letters and digits joined by single hyphens, "
                f"such as kuwait-interior-ministry (conflictdata new {what} ID)"
            )
        relpath = paths.registry_relpath(what, entry_id)
    else:
        raise ScaffoldError(
            f"unknown kind {what!r}: expected one of {', '.join(list(vocab.KIND_BY_NAME) + list(paths.REGISTRIES))}"
        )
    path = root / RECORDS_DIR / relpath
    if path.exists():
        raise ScaffoldError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    from conflictdata.core import atomic

    try:
        atomic.create(path, render(what, entry_id, relpath).encode("utf-8"))
    except atomic.WriteError as exc:
        raise ScaffoldError(str(exc)) from None
    return path
