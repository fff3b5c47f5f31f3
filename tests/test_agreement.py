"""The models and the published JSON Schemas give the same verdict.

Each file in ``tests/fixtures/agreement/`` is one record (``record``) of a kind
(``kind``) with the verdict of the models (``valid``). It goes through pydantic, through
the ``jsonschema`` library with format checking against ``schema/<kind>.schema.json``,
and through ``jsonschema-rs`` with format validation on. Where JSON Schema cannot say
what the models say, the fixture is marked ``expressible: false`` with the ``reason``,
the verdict the schema validators give instead (``schema_valid``, one value or one per
implementation), and the checks rule that catches it (``rule``) when the shape is fine.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema
import jsonschema_rs
import pytest
from pydantic import ValidationError

from conflictdata.model.models import RECORD_MODELS, REGISTRY_MODELS
from conflictdata.reader.yamlreader import YamlError, read
from conflictdata.validation.rules import run_rules
from conflictdata.validation.validate import PathLookup
from seeds import ROOT, SEEDTREE

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "agreement"
MODELS = {**RECORD_MODELS, **REGISTRY_MODELS}
IMPLEMENTATIONS = ("jsonschema", "jsonschema_rs")


def load(name: str) -> dict:
    return read((FIXTURES / f"{name}.yaml").read_bytes())


NAMES = sorted(p.stem for p in FIXTURES.glob("*.yaml"))


@cache
def schema(kind: str) -> dict:
    return json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))


@cache
def python_validator(kind: str):
    return jsonschema.Draft202012Validator(schema(kind), format_checker=jsonschema.FormatChecker())


@cache
def rust_validator(kind: str):
    return jsonschema_rs.validator_for(schema(kind), validate_formats=True)


def pydantic_verdict(kind: str, record: dict) -> bool:
    try:
        MODELS[kind].model_validate(record)
    except ValidationError:
        return False
    return True


def schema_verdicts(kind: str, record: dict) -> dict[str, bool]:
    return {
        "jsonschema": python_validator(kind).is_valid(record),
        "jsonschema_rs": rust_validator(kind).is_valid(record),
    }


def test_corpus_is_broad():
    fixtures = [load(n) for n in NAMES]
    assert sum(f["valid"] and f.get("expressible", True) for f in fixtures) >= 10
    assert sum(not f["valid"] for f in fixtures) >= 40
    assert {f["kind"] for f in fixtures} == set(MODELS)
    assert any(f.get("expressible") is False for f in fixtures)


@pytest.mark.parametrize("name", NAMES)
def test_one_verdict_per_fixture(name):
    fixture = load(name)
    kind, record, valid = fixture["kind"], fixture["record"], fixture["valid"]
    assert pydantic_verdict(kind, record) is valid, (
        f"{name}: the models say {not valid}, the fixture {valid}"
    )
    got = schema_verdicts(kind, record)
    if fixture.get("expressible", True):
        assert got == {impl: valid for impl in IMPLEMENTATIONS}, f"{name}: {fixture['about']}"
    else:
        assert fixture.get("reason"), f"{name}: a known difference must say why"
        expected = fixture["schema_valid"]
        if isinstance(expected, bool):
            expected = {impl: expected for impl in IMPLEMENTATIONS}
        assert got == expected, f"{name}: the known difference changed ({fixture['reason']})"


@pytest.mark.parametrize("name", [n for n in NAMES if load(n)["valid"]])
def test_rules_catch_what_the_shape_cannot(name):
    """A fixture whose shape is valid breaks exactly the rule it names, or none."""
    fixture = load(name)
    kind = fixture["kind"]
    model = MODELS[kind].model_validate(fixture["record"])
    what = "record" if kind in RECORD_MODELS else kind
    codes = {code for code, _, _ in run_rules(what, model, PathLookup(SEEDTREE))}
    assert codes == ({fixture["rule"]} if "rule" in fixture else set()), name


def test_every_record_kind_and_registry_has_a_published_schema():
    for kind in MODELS:
        assert (ROOT / "schema" / f"{kind}.schema.json").is_file(), kind
        jsonschema.Draft202012Validator.check_schema(schema(kind))


def test_committed_records_pass_both_schema_implementations():
    """Every record in records/ that the models accept, the published schemas accept."""
    from conflictdata.core.paths import classify

    checked = 0
    for path in sorted((ROOT / "records").rglob("*.yaml")):
        rel = path.relative_to(ROOT / "records").as_posix()
        what, kind = classify(rel)
        if what == "unknown":
            continue
        kind = kind or what
        try:
            record = read(path.read_bytes())
        except YamlError:  # not a readable record; the validator's own tests cover that
            continue
        if not pydantic_verdict(kind, record):
            continue
        assert schema_verdicts(kind, record) == {impl: True for impl in IMPLEMENTATIONS}, rel
        checked += 1
    assert checked > 0
