"""What a published table is made of: :class:`Table` and :class:`Column`, the layout
that :mod:`conflictdata.publish.tables` derives from the model and that the derived
tables (such as :mod:`conflictdata.publish.events`) build by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class LayoutError(Exception):
    """A model field that the table layout cannot represent without loss."""


@dataclass
class Column:
    name: str
    path: tuple[str, ...]  # field names from the row's object
    type: str  # Table Schema type
    description: str
    required: bool
    constraints: dict = field(default_factory=dict)
    refers_to: str | None = None  # table whose ``id`` this column references
    #: for a column computed at build time rather than read from a field: the function
    #: of the row's object that gives its value
    derive: Any = None


@dataclass
class Table:
    name: str
    title: str
    description: str
    columns: list[Column]
    primary_key: list[str]
    #: (columns here, referenced table, referenced columns)
    foreign_keys: list[tuple[list[str], str, list[str]]] = field(default_factory=list)
    #: where the rows come from: "record", "actor", "source", or the parent table name
    parent: str | None = None
    #: path from the parent's object to the list (``("items",)``)
    list_path: tuple[str, ...] = ()
    #: for a list of plain values: the value column; None for a list of objects
    scalar: Column | None = None
    #: the kind this table belongs to (kind tables and their children), else None
    kind: str | None = None
    #: the columns rows are sorted by, when not the primary key
    sort_by: list[str] | None = None

    @property
    def field_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def order(self) -> list[str]:
        """The columns rows are sorted by: the primary key, or for a list the parent's
        key and the position (so claims keep their order: c2 before c10)."""
        if self.sort_by:
            return self.sort_by
        if self.list_path:
            return self.foreign_keys[0][0] + ["position"]
        return self.primary_key
