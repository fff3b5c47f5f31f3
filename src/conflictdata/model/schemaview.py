"""Reading a generated JSON Schema: the one way the tables, the codebook, the templates and ``fmt``
look a field up in the published schemas.
"""

from __future__ import annotations


class SchemaView:
    """Reading a generated schema: follow ``$ref``s and see through ``X | None``."""

    def __init__(self, schema: dict):
        self.schema = schema
        self.defs = schema.get("$defs", {})

    def deref(self, node: dict) -> dict:
        while "$ref" in node:
            node = self.defs[node["$ref"].rsplit("/", 1)[-1]]
        return node

    def unwrap(self, prop: dict) -> tuple[dict, bool]:
        """The value's schema, and whether null is allowed."""
        options = prop.get("anyOf")
        if options:
            rest = [o for o in options if o.get("type") != "null"]
            if len(rest) == 1:
                return self.deref(rest[0]), len(rest) < len(options)
        return self.deref(prop), False
