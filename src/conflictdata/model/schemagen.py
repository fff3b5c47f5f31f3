"""The published JSON Schemas, generated from the models.

``schema/<name>.schema.json`` is written for each record kind, each registry, the
withdrawn-ID list and the redirect list. Editors use them (each record can name its schema in a
``# yaml-language-server: $schema=...`` line) and so can any JSON Schema validator;
:func:`check` reports files that differ from what the models produce.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import TypeAdapter

from conflictdata.core import vocab
from conflictdata.model.models import (
    RECORD_MODELS,
    REGISTRY_MODELS,
    SCHEMA_VERSION,
    Redirect,
    Withdrawal,
)

SCHEMA_DIR = "schema"
BASE_ID = "https://conflictdata.github.io/conflictdata/schema/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schemas() -> dict[str, dict]:
    """File name -> JSON Schema, for every published schema."""
    out: dict[str, dict] = {}
    for name, model in RECORD_MODELS.items():
        kind = vocab.KIND_BY_NAME[name]
        out[f"{name}.schema.json"] = _finish(
            model.model_json_schema(), f"{name}.schema.json", kind.title, kind.description
        )
    for name, model in REGISTRY_MODELS.items():
        out[f"{name}.schema.json"] = _finish(
            model.model_json_schema(),
            f"{name}.schema.json",
            model.__name__,
            (model.__doc__ or "").strip(),
        )
    withdrawn = TypeAdapter(list[Withdrawal]).json_schema()
    out["withdrawn.schema.json"] = _finish(
        withdrawn,
        "withdrawn.schema.json",
        "Withdrawn record IDs",
        "The list of record IDs that were published and then withdrawn, with the reason.",
    )
    redirects = TypeAdapter(list[Redirect]).json_schema()
    out["redirects.schema.json"] = _finish(
        redirects,
        "redirects.schema.json",
        "Redirected actor and source IDs",
        "The list of actor and source IDs that were renamed or merged, with the ID that "
        "replaces each.",
    )
    return out


def _finish(schema: dict, filename: str, title: str, description: str) -> dict:
    head = {
        "$schema": DIALECT,
        "$id": BASE_ID + filename,
        "title": title,
        "description": " ".join(description.split()),
        "x-schema-version": SCHEMA_VERSION,
    }
    body = {k: v for k, v in schema.items() if k not in ("title", "description")}
    return head | body


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write(root: Path) -> list[Path]:
    from conflictdata.core import atomic

    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / name
        atomic.write_text(path, render(schema))
        written.append(path)
    return written


def check(root: Path) -> list[str]:
    """Names of schema files that are missing or differ from the models (plus strays)."""
    folder = root / SCHEMA_DIR
    wanted = {name: render(schema) for name, schema in schemas().items()}
    stale = []
    for name, text in wanted.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(f"{SCHEMA_DIR}/{name}")
    if folder.is_dir():
        stale += [
            f"{SCHEMA_DIR}/{p.name}"
            for p in sorted(folder.glob("*.schema.json"))
            if p.name not in wanted
        ]
    return stale
