"""Contributor tools: new records and IDs, the canonical layout, counts."""
