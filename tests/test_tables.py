"""The table layout follows the models: every field of every model reaches a column,
a child table or the claim-backing table, and values are written without change."""

from __future__ import annotations

import typing
from typing import Annotated, get_args, get_origin

import pytest
from pydantic import BaseModel, StringConstraints, create_model

from conflictdata.model import models
from conflictdata.model.schemaview import SchemaView
from conflictdata.publish import tables
from conflictdata.publish.tables import LayoutError


def _leaf_paths(model: type[BaseModel], prefix: tuple = ()) -> set[tuple]:
    """Every field path of a model, walked from pydantic's own field info: nested
    objects and lists of objects are entered, everything else is a leaf."""
    out = set()
    for name, info in model.model_fields.items():
        ann = info.annotation
        args = (
            [a for a in get_args(ann) if a is not type(None)]
            if get_origin(ann) in (typing.Union, __import__("types").UnionType)
            else [ann]
        )
        (ann,) = args
        if get_origin(ann) is list:
            (item,) = get_args(ann)
            item = getattr(item, "__origin__", item) if get_origin(item) is Annotated else item
            if isinstance(item, type) and issubclass(item, BaseModel):
                out |= _leaf_paths(item, prefix + (name,))
                continue
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out |= _leaf_paths(ann, prefix + (name,))
            continue
        out.add(prefix + (name,))
    return out


def _mapped_paths(root: str, kind: str | None = None) -> set[tuple]:
    """Every field path the layout maps, for rows that start at ``root``."""
    layout = tables.layout()
    out = set()

    def prefix_of(t):
        path = ()
        while t.list_path:
            path = t.list_path + path
            t = layout[t.parent]
        return path, t

    for t in layout.values():
        pre, top = prefix_of(t)
        if top.parent != root or (top.kind and top.kind != kind) or t.name == tables.BACKING:
            continue
        for c in t.columns:
            if t.scalar is c:
                out.add(pre)
            elif c.path and c.path[0] not in ("..", "#", "@kind", "="):
                out.add(pre + c.path)
    return out


def _backing_paths(kind: str) -> set[tuple]:
    blocks = tables.layout()[tables.BACKING].columns[1].constraints["enum"]
    return {tuple(b.split(".")) + ("claims",) for b in blocks}


@pytest.mark.parametrize("kind", list(models.RECORD_MODELS))
def test_every_field_of_every_record_kind_reaches_the_tables(kind):
    model = models.RECORD_MODELS[kind]
    mapped = _mapped_paths("record", kind) | _backing_paths(kind)
    missing = _leaf_paths(model) - mapped
    assert not missing, f"{kind} fields with no column: {sorted(missing)}"


@pytest.mark.parametrize(
    "root,model",
    [("actor", models.Actor), ("source", models.Source), ("withdrawal", models.Withdrawal)],
)
def test_every_field_of_every_registry_reaches_the_tables(root, model):
    missing = _leaf_paths(model) - _mapped_paths(root)
    assert not missing, f"{model.__name__} fields with no column: {sorted(missing)}"


def test_every_claim_refs_block_is_a_claim_backing_block():
    blocks = set(tables.layout()[tables.BACKING].columns[1].constraints["enum"])
    assert {
        "date",
        "locations",
        "parties",
        "items",
        "items.quantity",
        "transfer",
        "fatalities",
    } <= blocks


def test_lists_are_child_tables_keyed_by_parent_and_position():
    layout = tables.layout()
    assert layout["claim_via"].primary_key == ["record_id", "claim_id", "position"]
    assert layout["claim_via"].foreign_keys[0] == (
        ["record_id", "claim_id"],
        "claims",
        ["record_id", "claim_id"],
    )
    assert layout["route_steps"].foreign_keys[0] == (["record_id"], "weapons_transfers", ["id"])
    assert (["claimant"], "actors", ["id"]) in layout["claims"].foreign_keys
    assert (["source"], "sources", ["id"]) in layout["claims"].foreign_keys
    assert (["record"], "records", ["id"]) in layout["related"].foreign_keys


def test_columns_carry_model_constraints():
    cols = {c.name: c for c in tables.layout()["claims"].columns}
    assert cols["stance"].constraints["enum"] == list(models.vocab.STANCES)
    assert cols["grade_credibility"].type == "integer"
    assert cols["grade_credibility"].constraints["enum"] == [1, 2, 3, 4, 5, 6]
    assert cols["note"].required is False and cols["quote"].required is True
    loc = {c.name: c for c in tables.layout()["locations"].columns}
    assert loc["coordinates_lat"].constraints == {"minimum": -90, "maximum": 90}
    assert "NA" in loc["country"].constraints["enum"]


def _field_schema(annotation) -> dict:
    """The JSON Schema of one field of this type, as the layout reads it."""
    view = SchemaView(create_model("M", x=(annotation, None)).model_json_schema())
    return view.unwrap(view.schema["properties"]["x"])[0]


def test_a_text_field_that_allows_empty_strings_is_refused():
    with pytest.raises(LayoutError, match="empty string"):
        tables._scalar_column("x", ("x",), _field_schema(str | None), "", required=False)
    ok = _field_schema(Annotated[str, StringConstraints(min_length=1)] | None)
    assert tables._scalar_column("x", ("x",), ok, "", required=False).type == "string"


def test_foreign_keys_and_claim_backing_come_from_the_schema_annotations():
    claim = SchemaView(models.Claim.model_json_schema()).schema["properties"]
    assert claim["claimant"][models.REFERS_TO] == "actors"
    assert claim["source"][models.REFERS_TO] == "sources"
    location = SchemaView(models.Location.model_json_schema()).schema["properties"]
    assert location["claims"][models.CLAIM_BACKING] is True
    assert "locations" in tables.layout()["claim_backing"].columns[1].constraints["enum"]


@pytest.mark.parametrize(
    "value,text",
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (42.87, "42.87"),
        (0.1 + 0.2, "0.30000000000000004"),
        ("=1+1", "=1+1"),
        ("NA", "NA"),
        (' a,\n"b" ', ' a,\n"b" '),
    ],
)
def test_cells_are_written_without_change(value, text):
    assert tables.cell(value) == text
    if isinstance(value, float):
        assert float(tables.cell(value)) == value


def test_rows_are_sorted_by_parent_and_position_so_c10_follows_c2():
    # the claims here are bare (no source or grade), so the derived events table is left out
    layout = {k: t for k, t in tables.layout().items() if k != "events"}
    record = {"id": "ARR-2015-00001", "claims": [{"id": f"c{i}", "via": []} for i in range(1, 12)]}
    claim_cols = layout["claims"].field_names
    emitted = tables.rows(layout, [dict(_minimal_record(), claims=record["claims"])], [], [])[
        "claims"
    ]
    assert [r[claim_cols.index("claim_id")] for r in emitted] == [f"c{i}" for i in range(1, 12)]


def _minimal_record() -> dict:
    return {
        "id": "ARR-2015-00001",
        "title": "t",
        "summary": "s",
        "status": "reported",
        "date": {
            "earliest": "2015-01-01",
            "latest": "2015-01-01",
            "precision": "day",
            "year_inferred": False,
            "claims": ["c1"],
        },
        "locations": [],
        "parties": [],
        "related": [],
        "notes": None,
        "arrest": {"suspicion": "x", "claims": ["c1"]},
        "detained": None,
        "at_large": None,
    }
