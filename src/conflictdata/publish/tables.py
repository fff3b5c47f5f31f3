"""From nested records to flat tables: the layout of the published CSV tables.

The layout is derived from the JSON Schema the models generate (the one published in
``schema/``, read with :class:`~conflictdata.model.schemaview.SchemaView`), so a field
added to a model reaches the tables without editing this module. Foreign keys and claim
backing come from the schema's ``x-refers-to`` and ``x-claim-backing`` annotations:

- a scalar field is a column; a nested object (``date``, ``grade``, ``fatalities``) is
  flattened into columns named ``<field>_<subfield>``;
- a list of objects (``claims``, ``parties``, ``items``) is a child table with the
  parent's key, a 1-based ``position`` and the object's columns;
- a list of plain values (``via``, ``aliases``, ``route``) is a child table with the
  parent's key, a 1-based ``position`` and one value column;
- the ``claims`` lists that back a block of a record (``date.claims``,
  ``locations[2].claims``) all go to one table, ``claim_backing``;
- fields common to every record kind are in ``records``; the fields of one kind are in
  that kind's table (``incidents``, ``arrests``...), keyed by the same ID.

Values are never altered: text is written as it is, numbers as Python writes them
(``repr`` of a float reads back as the same float), booleans as ``true``/``false``,
dates as ``YYYY-MM-DD``. An empty cell means the value is missing (null); the models do
not allow empty text, and :func:`layout` refuses a text field that would, so an empty
cell is never an empty string.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter

from pydantic import BaseModel

from conflictdata.core import vocab
from conflictdata.model import models
from conflictdata.model.schemaview import SchemaView
from conflictdata.publish.tabletypes import Column, LayoutError, Table

# --- Reading the model's JSON Schema -------------------------------------------------------


@dataclass
class _Value:
    """A field's value as the JSON Schema gives it: its schema (``$ref`` followed, the
    ``null`` option of ``X | None`` taken off), and whether null is allowed."""

    schema: dict
    nullable: bool


def _value(view: SchemaView, prop: dict, where: str) -> _Value:
    options = prop.get("anyOf")
    if options and len([o for o in options if o.get("type") != "null"]) != 1:
        raise LayoutError(f"{where}: unions of several types are not supported")
    schema, nullable = view.unwrap(prop)
    return _Value(schema, nullable)


def _is_object(schema: dict) -> bool:
    return schema.get("type") == "object" and "properties" in schema


#: Table Schema type of each JSON Schema type (a string with format ``date`` is a date).
_TYPES = {"string": "string", "boolean": "boolean", "integer": "integer", "number": "number"}


def _scalar_column(
    name: str, path: tuple[str, ...], schema: dict, description: str, required: bool
) -> Column:
    """A column for a plain value, its constraints in the order Table Schema lists them."""
    where = ".".join(path) or name
    # allowed values: an enumeration, or the one value of a single-value Literal (const)
    values = (
        schema["enum"] if "enum" in schema else [schema["const"]] if "const" in schema else None
    )
    if values is not None:
        ints = all(isinstance(v, int) and not isinstance(v, bool) for v in values)
        kind = "integer" if ints else "string"
    elif schema.get("type") == "string" and schema.get("format") == "date":
        kind = "date"
    elif schema.get("type") in _TYPES:
        kind = _TYPES[schema["type"]]
    else:
        raise LayoutError(f"{where}: no table type for {schema!r}")
    if "exclusiveMinimum" in schema or "exclusiveMaximum" in schema:
        raise LayoutError(f"{where}: exclusive bounds are not mapped")
    constraints: dict = {}
    if required:
        constraints["required"] = True
    min_length = 0
    if kind == "string":
        if "minLength" in schema:
            min_length = schema["minLength"]
            constraints["minLength"] = schema["minLength"]
        if "maxLength" in schema:
            constraints["maxLength"] = schema["maxLength"]
        pattern = schema.get("pattern")
        if pattern and re.search(pattern, "") is None:
            min_length = max(min_length, 1)  # the pattern rules out the empty string
        if pattern and pattern.startswith("^") and pattern.endswith("$"):
            # Table Schema patterns match the whole value, without anchors
            constraints["pattern"] = pattern[1:-1]
    for key, out in (("minimum", "minimum"), ("maximum", "maximum")):
        if key in schema:
            constraints[out] = schema[key]
    if values is not None:
        constraints["enum"] = list(values)
    if kind == "string" and "enum" not in constraints and min_length < 1:
        raise LayoutError(
            f"{where}: a text field that allows the empty string cannot be told "
            "apart from a missing value in CSV; give it min_length=1"
        )
    return Column(
        name, path, kind, description, required, constraints, schema.get(models.REFERS_TO)
    )


@cache
def _view(model: type[BaseModel]) -> SchemaView:
    """The JSON Schema the model generates (as published in ``schema/``), to read."""
    return SchemaView(model.model_json_schema())


# --- Building the layout ------------------------------------------------------------------

#: Names for child tables, by the path of their list from the row that owns it. A list
#: not named here still gets a table, named ``<owner table>_<field>``.
TABLE_NAMES = {
    ("records", "claims"): ("claims", "claim"),
    ("claims", "via"): ("claim_via", "intermediary"),
    ("records", "parties"): ("parties", "party"),
    ("parties", "nationalities"): ("party_nationalities", "nationality"),
    ("records", "locations"): ("locations", "location"),
    ("records", "related"): ("related", "link"),
    ("weapons_transfers", "items"): ("weapon_items", "item"),
    ("weapons_transfers", "transfer.route"): ("route_steps", "country"),
    ("recruitment", "recruitment.purposes"): ("recruitment_purposes", "purpose"),
    ("actors", "aliases"): ("actor_aliases", "alias"),
    ("actors", "nationalities"): ("actor_nationalities", "nationality"),
    ("sources", "authors"): ("source_authors", "author"),
    ("parties", "same_as"): ("party_identities", "identity"),
    ("records", "proceedings"): ("proceedings", "proceeding"),
    ("proceedings", "charges"): ("charges", "charge"),
    ("records", "appeals"): ("appeals", "appeal"),
}

TITLES = {
    "records": "Records",
    "claims": "Claims",
    "claim_via": "Claim intermediaries",
    "parties": "Record parties",
    "party_nationalities": "Party nationalities",
    "locations": "Locations",
    "related": "Related records",
    "weapon_items": "Weapon items",
    "route_steps": "Transfer route steps",
    "recruitment_purposes": "Recruitment purposes",
    "actors": "Actors",
    "actor_aliases": "Actor aliases",
    "actor_nationalities": "Actor nationalities",
    "sources": "Sources",
    "source_authors": "Source authors",
    "party_identities": "Party identities across records",
    "proceedings": "Legal proceedings",
    "charges": "Charges",
    "appeals": "Appeals",
    "claim_backing": "Claim backing",
    "withdrawn": "Withdrawn record IDs",
    "redirects": "Redirected actor and source IDs",
}

BACKING = "claim_backing"


class _Builder:
    def __init__(self):
        self.tables: dict[str, Table] = {}
        self.backing_blocks: list[tuple[str, tuple]] = []
        self.pending: list[tuple] = []

    def columns(
        self,
        table: Table,
        view: SchemaView,
        node: dict,
        fields: list[str],
        depth: int = 0,
        id_name: str | None = None,
    ) -> None:
        """Set a table's columns from an object schema's fields, then add the tables of
        its lists."""
        table.columns += self.object_columns(table, view, node, fields, (), False, depth)
        if id_name:
            for c in table.columns:
                if c.path == ("id",):
                    c.name = id_name
            table.primary_key = [id_name if k == "id" else k for k in table.primary_key]
        mine = [p for p in self.pending if p[0] is table]
        self.pending = [p for p in self.pending if p[0] is not table]
        for owner, path, value, description, d in mine:
            self.child_table(owner, view, path, value, description, d)

    def add(self, table: Table) -> Table:
        if table.name in self.tables:
            raise LayoutError(f"two tables named {table.name}")
        self.tables[table.name] = table
        return table

    def object_columns(
        self,
        table: Table,
        view: SchemaView,
        node: dict,
        fields: list[str],
        prefix: tuple[str, ...],
        nullable: bool,
        list_depth: int,
    ) -> list[Column]:
        """Columns for the fields of the object schema ``node`` reached by ``prefix`` in
        a row of ``table``."""
        props = node["properties"]
        cols: list[Column] = []
        for name in fields:
            prop = props[name]
            path = prefix + (name,)
            col_name = "_".join(path)
            description = prop.get("description", "")
            if prop.get(models.CLAIM_BACKING):
                self.backing_blocks.append((table.name, prefix))
                continue
            value = _value(view, prop, ".".join(path))
            schema = value.schema
            if _is_object(schema):
                doc = description or schema.get("description", "").split("\n\n")[0]
                doc = doc.replace("\n", " ")
                inner = self.object_columns(
                    table,
                    view,
                    schema,
                    list(schema["properties"]),
                    path,
                    nullable or value.nullable,
                    list_depth,
                )
                for c in inner:
                    c.description = f"{doc} {c.description}".strip()
                cols.extend(inner)
                continue
            if schema.get("type") == "array":
                self.pending.append((table, path, value, description, list_depth + 1))
                continue
            cols.append(
                _scalar_column(
                    col_name,
                    path,
                    schema,
                    description,
                    required=not (nullable or value.nullable),
                )
            )
        return cols

    def child_table(
        self,
        owner: Table,
        view: SchemaView,
        path: tuple[str, ...],
        value: _Value,
        description: str,
        depth: int,
    ) -> None:
        item = _value(view, value.schema.get("items", {}), ".".join(path) + "[]")
        key = ".".join(path)
        name, singular = TABLE_NAMES.get(
            (owner.name, key), (f"{owner.name}_{'_'.join(path)}", path[-1])
        )
        parent_cols = [next(c for c in owner.columns if c.name == k) for k in owner.primary_key]
        keys: list[Column] = []
        ref_cols: list[str] = []
        for c in parent_cols:
            col_name = f"{_singular(owner)}_{c.name}" if c.name in ("id", "position") else c.name
            keys.append(
                Column(
                    col_name,
                    ("..", c.name),
                    c.type,
                    f"Key of the row in {owner.name}.",
                    True,
                    {"required": True},
                )
            )
            ref_cols.append(c.name)
        pos = Column(
            "position",
            ("#",),
            "integer",
            "Order in the list, from 1.",
            True,
            {"required": True, "minimum": 1},
        )
        table = Table(
            name,
            TITLES.get(name, name.replace("_", " ").capitalize()),
            description,
            [],
            [],
            parent=owner.name,
            list_path=path,
            kind=owner.kind,
        )
        table.foreign_keys.append(([k.name for k in keys], owner.name, ref_cols))
        sub = item.schema
        if _is_object(sub):
            table.description = description or " ".join(sub.get("description", "").split())
            table.columns = keys + [pos]
            # an object with its own required ID is keyed by it (claims: record_id,
            # claim_id); an optional ID (a party's p1) is a column, the key is the position
            keyed_by_id = "id" in sub["properties"] and "id" in sub.get("required", [])
            table.primary_key = [k.name for k in keys] + (["id"] if keyed_by_id else ["position"])
            self.add(table)
            self.columns(table, view, sub, list(sub["properties"]), depth, id_name=f"{singular}_id")
        else:
            column = _scalar_column(singular, (), sub, description, required=True)
            table.columns = keys + [pos, column]
            table.primary_key = [k.name for k in keys] + ["position"]
            table.scalar = column
            self.add(table)


def _singular(table: Table) -> str:
    for name, singular in TABLE_NAMES.values():
        if name == table.name:
            return singular
    return {"records": "record", "actors": "actor", "sources": "source"}.get(table.name, "record")


def kind_table_name(kind: vocab.Kind) -> str:
    return kind.folder.replace("-", "_")


@lru_cache(maxsize=1)
def layout() -> dict[str, Table]:
    """Every table, in publication order, derived from the models."""
    b = _Builder()
    # Registries first: records refer to them.
    for reg, model, tname, desc in (
        (
            "actor",
            models.Actor,
            "actors",
            "Every actor that takes part in records or makes claims.",
        ),
        ("source", models.Source, "sources", "Every published source that claims are quoted from."),
    ):
        t = b.add(Table(tname, TITLES[tname], desc, [], ["id"], parent=reg))
        view = _view(model)
        b.columns(t, view, view.schema, list(view.schema["properties"]))
    withdrawn = b.add(
        Table(
            "withdrawn",
            "Withdrawn record IDs",
            "Record IDs that were published and then withdrawn, with the reason and the "
            "record that replaces them: a published ID never disappears silently.",
            [],
            ["id"],
            parent="withdrawal",
        )
    )
    view = _view(models.Withdrawal)
    b.columns(withdrawn, view, view.schema, list(view.schema["properties"]))
    for c in withdrawn.columns:
        if c.name == "id":
            c.refers_to = None  # a withdrawn ID is, by definition, no longer a record
    redirects = b.add(
        Table(
            "redirects",
            TITLES["redirects"],
            "Old IDs of actors and sources that were renamed or merged, with the ID that "
            "replaces each: a published ID never disappears silently.",
            [],
            ["registry", "id"],
            parent="redirect",
        )
    )
    view = _view(models.Redirect)
    b.columns(redirects, view, view.schema, list(view.schema["properties"]))
    base = _view(models.RecordBase)
    common = list(base.schema["properties"])
    records = b.add(
        Table(
            "records",
            "Records",
            "Every record, whatever its kind: the fields all kinds share. "
            "Each record's own fields are in the table of its kind.",
            [],
            ["id"],
            parent="record",
        )
    )
    records.columns = [
        Column(
            "kind",
            ("@kind",),
            "string",
            "The record's kind.",
            True,
            {"required": True, "enum": [k.name for k in vocab.KINDS]},
        )
    ]
    b.columns(records, base, base.schema, common)
    records.columns.sort(key=lambda c: c.name != "id")
    for kind in vocab.KINDS:
        view = _view(models.RECORD_MODELS[kind.name])
        own = ["id"] + [f for f in view.schema["properties"] if f not in common]
        name = kind_table_name(kind)
        t = b.add(
            Table(
                name,
                kind.title + "s",
                kind.description + " The fields shared by all kinds are in records.",
                [],
                ["id"],
                parent="record",
                kind=kind.name,
            )
        )
        t.foreign_keys.append((["id"], "records", ["id"]))
        b.columns(t, view, view.schema, own)
    for t in b.tables.values():
        for c in t.columns:
            if c.refers_to and not (c.refers_to == t.name and c.name in t.primary_key):
                t.foreign_keys.append(([c.name], c.refers_to, ["id"]))
    if b.pending:
        raise LayoutError(f"lists left without a table: {b.pending}")
    from conflictdata.publish import verification

    b.tables["claims"].columns += verification.columns()
    backing = Table(
        BACKING,
        TITLES[BACKING],
        "Which claims back which block of a record: one row per claim ID listed in a "
        "block's claims. block names the block (date, locations, parties, items.quantity...); "
        "block_position is the position of the block's row in its table when the block is "
        "in a list, else empty; position is the claim's order in the block's list.",
        [
            Column("record_id", ("record_id",), "string", "The record.", True, {"required": True}),
            Column(
                "block",
                ("block",),
                "string",
                "The block, as a path of field names.",
                True,
                {
                    "required": True,
                    "enum": sorted({_block_name(b.tables, t, p) for t, p in b.backing_blocks}),
                },
            ),
            Column(
                "block_position",
                ("block_position",),
                "integer",
                "Position of the block in its list (for example the location's position), from 1.",
                False,
                {"minimum": 1},
            ),
            Column(
                "position",
                ("position",),
                "integer",
                "Order of the claim in the block's list, from 1.",
                True,
                {"required": True, "minimum": 1},
            ),
            Column(
                "claim_id",
                ("claim_id",),
                "string",
                "The backing claim's ID in the record.",
                True,
                {"required": True, "pattern": vocab.CLAIM_ID_PATTERN[1:-1]},
            ),
        ],
        [],  # no primary key: block_position is empty for blocks outside lists
        [
            (["record_id"], "records", ["id"]),
            (["record_id", "claim_id"], "claims", ["record_id", "claim_id"]),
        ],
        parent="record",
        sort_by=["record_id", "block", "block_position", "position"],
    )
    b.add(backing)
    _add_coordinates(b.tables["locations"])
    from conflictdata.publish import events

    # The flat table comes first: it is the one most readers want.
    return {events.NAME: events.table(), **b.tables}


def _add_coordinates(locations: Table) -> None:
    """The coordinates the build publishes for each location (see
    :mod:`conflictdata.publish.places`), after the curated columns."""
    from conflictdata.publish import places

    sources = "; ".join(f"{k}: {v}" for k, v in places.COORDINATE_SOURCES.items())
    for i, (name, type_, description, constraints) in enumerate(
        (
            (
                "latitude",
                "number",
                "Latitude (WGS 84) as published.",
                {"minimum": -90, "maximum": 90},
            ),
            (
                "longitude",
                "number",
                "Longitude (WGS 84) as published.",
                {"minimum": -180, "maximum": 180},
            ),
            (
                "coordinates_source",
                "string",
                f"Where latitude and longitude come from: {sources}. Empty when neither gives any.",
                {"enum": list(places.COORDINATE_SOURCES)},
            ),
        )
    ):
        locations.columns.append(
            Column(
                name,
                ("@derived", name),
                type_,
                description,
                False,
                constraints,
                derive=lambda loc, i=i: places.coordinates(loc)[i],
            )
        )


def _block_name(tables: dict[str, Table], table: str, prefix: tuple[str, ...]) -> str:
    path = prefix
    t = tables.get(table)
    while t is not None and t.list_path:
        path = t.list_path + path
        t = tables.get(t.parent)
    return ".".join(path)


# --- Rows ---------------------------------------------------------------------------------


def _get(obj: dict, path: tuple[str, ...]):
    for p in path:
        if obj is None:
            return None
        obj = obj.get(p)
    return obj


def cell(value) -> str:
    """One value as CSV text (see the module docstring)."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (int, str)):
        return str(value)
    raise TypeError(f"no CSV form for {value!r}")


def rows(
    tables: dict[str, Table],
    records: list[dict],
    actors: list[dict],
    sources: list[dict],
    withdrawn: list[dict] = (),
    computed: dict | None = None,
    redirects: list[dict] = (),
) -> dict[str, list[tuple]]:
    """The rows of every table (lists of value tuples, sorted by :attr:`Table.order`)
    from the records, actors, sources and withdrawn IDs as JSON data. ``computed`` maps
    the name of a computed column (path ``("=", name)``) to a function from the row's
    object to its value; a computed column without one is empty."""
    maker = _row_maker(tables, computed)
    out: dict[str, list[tuple]] = {name: [] for name in tables}
    for actor in actors:
        maker.entity(out, "actor", actor)
    for source in sources:
        maker.entity(out, "source", source)
    for entry in withdrawn:
        maker.entity(out, "withdrawal", entry)
    for entry in redirects:
        maker.entity(out, "redirect", entry)
    actor_by_id = {a["id"]: a for a in actors}
    source_by_id = {s["id"]: s for s in sources}
    for record in records:
        maker.entity(out, "record", record, actor_by_id, source_by_id)
    maker.sort(out)
    return out


def entity_rows(
    tables: dict[str, Table],
    what: str,
    data: dict,
    actors: Mapping[str, dict] | None = None,
    sources: Mapping[str, dict] | None = None,
    computed: dict | None = None,
) -> dict[str, list[tuple]]:
    """The rows one entity (``what``: "record", "actor", "source", "withdrawal" or
    "redirect") adds
    to each table, sorted by :attr:`Table.order`; tables it adds nothing to are left out.
    A record's rows may draw on the registries: ``actors`` and ``sources`` by ID (for
    the events table, only the fields in ``events.REGISTRY_FIELDS`` are needed).

    The order of every table starts with the key of the entity its rows come from, so
    the rows of all entities, taken entity by entity in ID order, are exactly the rows
    :func:`rows` gives: this is what lets a build write the tables one record at a time.
    """
    maker = _row_maker(tables, computed)
    out: dict[str, list[tuple]] = {}
    maker.entity(out, what, data, actors or {}, sources or {})
    maker.sort(out)
    return out


_MAKERS: dict[int, _RowMaker] = {}


def _row_maker(tables: dict[str, Table], computed: dict | None = None) -> _RowMaker:
    maker = _MAKERS.get(id(tables))
    if maker is None or maker.tables is not tables:
        maker = _MAKERS[id(tables)] = _RowMaker(tables)
    maker.computed = computed or {}
    return maker


# How each cell is found (KEY: the parent's key column, POS: the position in the list,
# KIND, VALUE: the item of a list of values, ONE: a field, PATH: a nested field, DERIVE:
# derived from the row's object by the column, COMPUTED: by a function given to rows()).
KEY, POS, KIND, VALUE, ONE, PATH, DERIVE, COMPUTED = range(8)


class _RowMaker:
    """Per layout, once: how every table's cells are found and its rows sorted."""

    def __init__(self, tables: dict[str, Table]):
        self.tables = tables
        self.computed: dict = {}
        self.children: dict[str, list[Table]] = {}
        for t in tables.values():
            self.children.setdefault(t.parent or "", []).append(t)
        self.plans: dict[str, list[tuple]] = {}
        self.own_key_index: dict[str, list[tuple[str, int]]] = {}
        self.sort_keys: dict[str, object] = {}
        for t in tables.values():
            plan = []
            for c in t.columns:
                if t.scalar is c:
                    plan.append((VALUE, None))
                elif c.derive is not None:
                    plan.append((DERIVE, c.derive))
                elif c.path[0] == "..":
                    plan.append((KEY, c.path[1]))
                elif c.path[0] == "#":
                    plan.append((POS, None))
                elif c.path[0] == "@kind":
                    plan.append((KIND, None))
                elif c.path[0] == "=":
                    plan.append((COMPUTED, c.name))
                elif len(c.path) == 1:
                    plan.append((ONE, c.path[0]))
                else:
                    plan.append((PATH, c.path))
            self.plans[t.name] = plan
            names = t.field_names
            self.own_key_index[t.name] = [(k, names.index(k)) for k in t.primary_key]
            idx = [names.index(k) for k in t.order]
            if any(not t.columns[i].required for i in idx):
                self.sort_keys[t.name] = lambda r, idx=tuple(idx): tuple(
                    _sort_key(r[i]) for i in idx
                )
            else:  # a column holds one type, so its values compare directly
                self.sort_keys[t.name] = itemgetter(*idx) if len(idx) > 1 else itemgetter(idx[0])
        self.kind_tables = {t.kind: t for t in tables.values() if t.parent == "record" and t.kind}
        from conflictdata.publish import events

        self.events = events if events.NAME in tables else None

    def emit(self, out: dict, table: Table, obj, keys: dict, pos=None, kind=None) -> None:
        row = []
        append = row.append
        for code, arg in self.plans[table.name]:
            if code == ONE:
                append(obj.get(arg))
            elif code == PATH:
                append(_get(obj, arg))
            elif code == KEY:
                append(keys[arg])
            elif code == POS:
                append(pos)
            elif code == KIND:
                append(kind)
            elif code == DERIVE:
                append(arg(obj))
            elif code == COMPUTED:
                append(self.computed.get(arg, _empty)(obj))
            else:
                append(obj)
        rows = out.get(table.name)
        if rows is None:
            rows = out[table.name] = []
        rows.append(tuple(row))
        kids = self.children.get(table.name)
        if kids:
            own_keys = {name: row[i] for name, i in self.own_key_index[table.name]}
            for child in kids:
                items = _get(obj, child.list_path)
                if items:
                    for i, item in enumerate(items, 1):
                        self.emit(out, child, item, own_keys, i)

    def entity(
        self,
        out: dict,
        what: str,
        data: dict,
        actors: Mapping[str, dict] | None = None,
        sources: Mapping[str, dict] | None = None,
    ) -> None:
        """Add the rows of one entity to ``out`` (table name -> rows), unsorted; a
        record's events row looks up its actors' names and sources' URLs by ID."""
        tables = self.tables
        if what == "actor":
            self.emit(out, tables["actors"], data, {})
        elif what == "source":
            self.emit(out, tables["sources"], data, {})
        elif what == "withdrawal":
            self.emit(out, tables["withdrawn"], data, {})
        elif what == "redirect":
            self.emit(out, tables["redirects"], data, {})
        elif what == "record":
            if self.events is not None:
                row = self.events.event_row(data, actors, sources)
                out.setdefault(self.events.NAME, []).append(row)
            kind = vocab.KIND_BY_PREFIX[data["id"][:3]].name
            self.emit(out, tables["records"], data, {}, kind=kind)
            self.emit(out, self.kind_tables[kind], data, {})
            rid = data["id"]
            backing = [
                (rid, block, position, j, claim)
                for block, position, claims in _claim_lists(data)
                for j, claim in enumerate(claims, 1)
            ]
            if backing:
                out.setdefault(BACKING, []).extend(backing)
        else:
            raise ValueError(f"no rows for {what!r}")

    def sort(self, out: dict) -> None:
        for name, rows in out.items():
            rows.sort(key=self.sort_keys[name])


def _empty(obj) -> None:
    return None


def _sort_key(value):
    if value is None:
        return (0, 0, "")
    if isinstance(value, int):
        return (1, value, "")
    return (2, 0, str(value))


def _claim_lists(
    record: dict, prefix: tuple[str, ...] = (), position: int | None = None
) -> Iterator[tuple]:
    """(block path, block position, claim IDs) for every block's claims list in a record."""
    for key, value in record.items():
        if isinstance(value, dict):
            yield from _claim_lists(value, prefix + (key,), position)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            if key == "claims" and prefix == ():
                continue  # the record's own claims are the claims table
            if position is not None:
                if any(_has_claims(item) for item in value):
                    raise LayoutError(
                        f"{'.'.join(prefix + (key,))}: claims below two lists are not mapped"
                    )
                continue  # a list inside a list item without claims (a party's same_as)
            for i, item in enumerate(value, 1):
                yield from _claim_lists(item, prefix + (key,), i)
        elif key == "claims" and prefix:
            yield ".".join(prefix), position, value


def _has_claims(value) -> bool:
    if isinstance(value, dict):
        return "claims" in value or any(_has_claims(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_claims(v) for v in value)
    return False
