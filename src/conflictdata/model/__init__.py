"""The data model: the pydantic models, the JSON Schemas generated from them, and the
one way to read those schemas."""
