"""Problems found in records, and how they are worded and printed.

A :class:`Problem` is one located message: ``path:line:col: field.path: message``.
Pydantic's errors are turned into messages a contributor can act on, in the manner
``invalid value X for key Y: reason`` with a suggestion where one helps.
"""

from __future__ import annotations

import difflib
import json
import typing
from dataclasses import asdict, dataclass

from pydantic import BaseModel

from conflictdata.core import vocab
from conflictdata.core.terminal import escape, shown_path
from conflictdata.validation import codes


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file. ``line`` and ``col`` are 1-based; ``field`` is a dotted
    path such as ``claims[2].stance`` (empty for the file as a whole)."""

    path: str
    line: int
    col: int
    field: str
    message: str
    rule: str = codes.SCHEMA

    def text(self) -> str:
        """One line, with control and bidirectional characters shown escaped and never
        starting with ``::`` (see :mod:`conflictdata.core.terminal`)."""
        where = f"{shown_path(self.path)}:{self.line}:{self.col}"
        message = escape(self.message)
        return f"{where}: {escape(self.field)}: {message}" if self.field else f"{where}: {message}"

    def github(self) -> str:
        """A workflow annotation: escaped as in :meth:`text`, then percent-encoded the
        way the runner decodes (``%``, CR and LF in the message; also ``:`` and ``,``
        in a property)."""
        body = escape(f"{self.field}: {self.message}" if self.field else self.message)
        body = body.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return (
            f"::error file={_property(self.path)},line={self.line},col={self.col},"
            f"title={_property('conflictdata ' + self.rule)}::{body}"
        )

    def as_dict(self) -> dict:
        return asdict(self)


def _property(value: str) -> str:
    value = escape(value)
    for char, code in (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C")):
        value = value.replace(char, code)
    return value


def field_path(loc: tuple) -> str:
    """``("claims", 2, "stance")`` -> ``claims[2].stance``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def format_problems(problems: list[Problem], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=1)
    if fmt == "github":
        return "\n".join(p.github() for p in problems)
    return "\n".join(p.text() for p in problems)


# --- Pydantic errors -> messages -------------------------------------------------------

_PATTERN_MEANINGS = {
    vocab.RECORD_ID_PATTERN: "a record ID looks like ARR-2015-00001 (INC, ARR, WTR or REC, a year, five digits), "
    "or is a placeholder such as ARR-NEW-3f9a2c1b from 'conflictdata new'",
    vocab.SLUG_PATTERN: "an ID is lower-case ASCII letters and digits joined by single "
    "hyphens, such as kuwait-interior-ministry",
    vocab.CLAIM_ID_PATTERN: "a claim ID is c followed by a number: c1, c2, ...",
    vocab.CLAIM_REF_PATTERN: "a claim reference is c2 (this record) or ARR-2015-00001#c2 (another record)",
    r"\S": "text is required; it may not be empty or only spaces",
    r"^[A-Z]{2}$": "expected a two-letter ISO 3166-1 country code in capitals, such as UA",
    r"^[a-z]{2}$": "expected a two-letter ISO 639-1 language code, such as en",
    r"^Q[1-9][0-9]*$": "a Wikidata ID looks like Q42",
    r"^https?://[^\s/$.?#][^\s]*$": "expected a web address starting with http:// or https://",
}
for _kind in vocab.KINDS:
    _PATTERN_MEANINGS[_kind.id_pattern] = f"{_kind.name} IDs look like {_kind.prefix}-2015-00001"


COUNTRY_PATTERN = r"^[A-Z]{2}$"


def country_hint(value: str) -> str:
    """`` (did you mean 'TJ'?)`` for a country given as ``tj``, ``TJK`` or ``Tajikistan``."""
    import pycountry

    text = value.strip()
    found = None
    try:
        if len(text) == 2:
            found = pycountry.countries.get(alpha_2=text.upper())
        elif len(text) == 3:
            found = pycountry.countries.get(alpha_3=text.upper())
        if found is None and len(text) > 3:
            found = pycountry.countries.lookup(text)
    except LookupError:
        found = None
    return f" (did you mean {found.alpha_2!r}?)" if found is not None else ""


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _model_at(model: type[BaseModel], loc: tuple):
    """The pydantic model class that holds the last key of ``loc``, if it can be found."""
    current = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = (
            current.model_fields.get(part)
            if isinstance(current, type) and issubclass(current, BaseModel)
            else None
        )
        if field is None:
            return None
        current = _inner_model(field.annotation)
        if current is None:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _description(model: type[BaseModel], loc: tuple) -> str:
    """The first sentence of the description of the field at ``loc``, if there is one."""
    owner = _model_at(model, loc)
    names = [p for p in loc if not isinstance(p, int)]
    if owner is None or not names or names[-1] not in owner.model_fields:
        return ""
    field = owner.model_fields[names[-1]]
    text = field.description or ""
    if not text:
        for meta in field.metadata:
            text = getattr(meta, "description", None) or text
    text = " ".join(text.split())
    return text.split(". ")[0].rstrip(".")


def _empty(model: type[BaseModel], loc: tuple, kind: str, ctx: dict) -> str:
    """One plain message for a field left empty (as ``conflictdata new`` leaves them)."""
    what = _description(model, loc)
    if what[1:2].islower():
        what = what[0].lower() + what[1:]
    what = f" ({what})" if what else ""
    if kind == "too_short":
        return f"empty: list at least one{what}"
    if kind == "literal_error":
        options = ctx.get("expected", "").replace("'", "")
        return f"empty: fill in one of {options}{what}"
    return f"empty: fill it in{what}"


def pydantic_message(error: dict, model: type[BaseModel]) -> tuple[tuple, str]:
    """The field path and the message for one pydantic error."""
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    name = loc[-1] if loc else ""
    if kind == "missing":
        return loc, f"required field {name!r} is missing"
    if value is None or (kind == "too_short" and value in ([], "")):
        return loc, _empty(model, loc, kind, ctx)
    if kind == "extra_forbidden":
        owner = _model_at(model, loc)
        hint = ""
        if owner is not None:
            close = difflib.get_close_matches(str(name), list(owner.model_fields), n=1)
            hint = (
                f" (did you mean {close[0]!r}?)"
                if close
                else f"; allowed fields: {', '.join(owner.model_fields)}"
            )
        return loc, f"unknown field {name!r}{hint}"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        close = (
            difflib.get_close_matches(str(value), options, n=1) if isinstance(value, str) else []
        )
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return loc, f"invalid value {_short(value)}: expected one of {', '.join(options)}{hint}"
    if kind == "string_pattern_mismatch":
        meaning = _PATTERN_MEANINGS.get(ctx.get("pattern"), f"must match {ctx.get('pattern')}")
        if ctx.get("pattern") == COUNTRY_PATTERN and isinstance(value, str):
            meaning += country_hint(value)
        return loc, f"invalid value {_short(value)}: {meaning}"
    if kind in ("int_type", "int_from_float", "int_parsing"):
        return (
            loc,
            f"invalid value {_short(value)}: expected a whole number written without quotes or decimals",
        )
    if kind in ("float_type", "float_parsing"):
        return loc, f"invalid value {_short(value)}: expected a number written without quotes"
    if kind == "finite_number":
        return (
            loc,
            f"invalid value {_short(value)}: NaN and infinity are not numbers a record can hold",
        )
    if kind == "bool_type":
        return loc, f"invalid value {_short(value)}: expected true or false"
    if kind == "string_type":
        return (
            loc,
            f"invalid value {_short(value)}: expected text (put it in quotes if it looks like "
            "a number, date or true/false)",
        )
    if kind == "list_type":
        return loc, f"invalid value {_short(value)}: expected a list (lines starting with '- ')"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return loc, f"invalid value {_short(value)}: expected a mapping of fields (key: value)"
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return loc, f"invalid value {_short(value)}: text is required; it may not be empty"
    if kind == "too_short" and isinstance(value, (list, str)):
        return loc, f"must have at least {ctx.get('min_length', 1)} item(s)"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return loc, f"invalid value {_short(value)}: {error['msg'].lower()}"
    return loc, f"invalid value {_short(value)}: {error['msg']}"
