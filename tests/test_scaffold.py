"""``conflictdata new``: a file at the right path with the next free ID, every field
present under a comment from the models, and placeholders that fail until filled in."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from conflictdata.core import paths, vocab
from conflictdata.model.models import RECORD_MODELS, REGISTRY_MODELS
from conflictdata.reader.yamlreader import read
from conflictdata.tools import ids, scaffold
from conflictdata.tools.fmt import _yaml, format_text
from conflictdata.validation.validate import validate_paths
from seeds import RECORDS as SEED_RECORDS
from seeds import SEEDS, make_tree, seed


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path)


def keys(model) -> set[str]:
    """Every field name of a model and of the models inside it."""
    out = set()
    for name, info in model.model_fields.items():
        out.add(name)
        for inner in _models(info.annotation):
            out |= keys(inner)
    return out


def _models(annotation):
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _models(arg)


@pytest.mark.parametrize("kind", list(vocab.KIND_BY_NAME))
def test_new_record_has_a_placeholder_id_the_schema_line_and_every_field(tree, kind):
    path = scaffold.create(tree, kind)
    k = vocab.KIND_BY_NAME[kind]
    expected = path.stem
    assert re.fullmatch(f"{k.prefix}-NEW-[0-9a-f]{{8}}", expected)
    assert path == tree / "records" / k.folder / "new" / f"{expected}.yaml"
    assert path == tree / "records" / paths.record_relpath(expected)
    assert scaffold.create(tree, kind) != path  # each new record its own ID and file
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../../../schema/{kind}.schema.json"
    assert (path.parent / first.split("=", 1)[1]).resolve() == (
        tree / "schema" / f"{kind}.schema.json"
    ).resolve()
    data = _yaml().load(text)
    found = set()

    def walk(node):
        if isinstance(node, CommentedMap):
            for key, value in node.items():
                found.add(key)
                walk(value)
        elif isinstance(node, CommentedSeq):
            for item in node:
                walk(item)

    walk(data)
    assert found == keys(RECORD_MODELS[kind])
    assert data["id"] == expected


def test_comments_come_from_the_models_and_the_vocabularies(tree):
    text = scaffold.create(tree, "arrest").read_text(encoding="utf-8")
    flat = " ".join(
        line.lstrip("# ").strip() for line in text.splitlines() if line.lstrip().startswith("#")
    )
    for description in (
        "A short neutral label for the record (not a claim).",
        RECORD_MODELS["arrest"]
        .model_fields["arrest"]
        .annotation.model_fields["suspicion"]
        .description,
    ):
        assert " ".join(description.split()) in flat
    for value, meaning in vocab.STANCES.items():
        assert f"{value}: {' '.join(meaning.split())}" in flat
    for value, meaning in vocab.LEGAL_STATUSES.items():
        assert f"{value}: {' '.join(meaning.split())}" in flat


def test_an_unfilled_record_fails_on_every_required_field(tree):
    path = scaffold.create(tree, "arrest")
    problems = validate_paths(tree, [path]).problems
    fields = {p.field for p in problems}
    for required in (
        "title",
        "summary",
        "status",
        "date.earliest",
        "claims[0].quote",
        "claims[0].claimant",
        "arrest.suspicion",
        "locations[0].country",
    ):
        assert required in fields, sorted(fields)
    assert all(p.line > 1 for p in problems)


def fill(template, data):
    """Fill a template (ruamel data) from plain data: matching keys take the data's
    values; blocks the data does not have are deleted; empty optional values stay."""
    for key in list(template):
        value = template[key]
        if key not in data:
            if isinstance(value, CommentedMap) or (
                isinstance(value, CommentedSeq) and value and isinstance(value[0], CommentedMap)
            ):
                del template[key]
            continue
        given = data[key]
        if isinstance(value, CommentedMap) and isinstance(given, dict):
            fill(value, given)
        elif (
            isinstance(value, CommentedSeq)
            and value
            and isinstance(value[0], CommentedMap)
            and isinstance(given, list)
        ):
            pristine = copy.deepcopy(value[0])
            items = []
            for item in given:
                block = copy.deepcopy(pristine) if items else value[0]
                fill(block, item)
                items.append(block)
            value[:] = items
        else:
            template[key] = given


@pytest.mark.parametrize("name", ["arrest", "transfer", "incident", "recruitment"])
def test_a_template_filled_in_from_the_sources_passes(tree, name):
    """As a contributor would: new, fill every field from an article, validate, green."""
    data = seed(name)
    data.pop("related", None)
    kind = vocab.KIND_BY_PREFIX[data["id"][:3]].name
    path = scaffold.create(tree, kind)
    template = _yaml().load(path.read_text(encoding="utf-8"))
    new_id = template["id"]
    fill(template, data)
    template["id"] = new_id
    template["related"] = []
    with path.open("w", encoding="utf-8") as out:
        _yaml().dump(template, out)
    report = validate_paths(tree, [path])
    assert report.problems == [], "\n".join(p.text() for p in report.problems)
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")


@pytest.mark.parametrize("registry", list(paths.REGISTRIES))
def test_new_actor_and_source_at_their_path_fail_until_filled(tree, registry):
    path = scaffold.create(tree, registry, "zz-new-entry")
    assert path == tree / "records" / paths.registry_relpath(registry, "zz-new-entry")
    data = read(path.read_bytes())
    assert set(data) == set(REGISTRY_MODELS[registry].model_fields)
    assert validate_paths(tree, [path]).problems


def test_withdrawn_ids_are_never_reused(tree):
    (tree / "records" / "withdrawn.yaml").write_text(
        '- id: ARR-2015-00040\n  reason: out_of_scope\n  withdrawn: "2026-11-22"\n',
        encoding="utf-8",
    )
    assert ids.next_record_id(tree, "arrest", 2015) == "ARR-2015-00041"


def test_ids_taken_on_the_base_branch_are_not_reused(tree):
    def git(*args):
        subprocess.run(
            ["git", "-C", str(tree), "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
            check=True,
            capture_output=True,
        )

    git("init", "-q", "-b", "main")
    git("add", "records")
    git("commit", "-qm", "seed")
    git("checkout", "-q", "-b", "topic")
    git("checkout", "-q", "main")
    later = tree / "records" / paths.record_relpath("ARR-2015-00060")
    later.parent.mkdir(parents=True, exist_ok=True)
    later.write_text("id: ARR-2015-00060\n", encoding="utf-8")
    git("add", "records")
    git("commit", "-qm", "added on main")
    git("checkout", "-q", "topic")
    assert not later.exists()
    assert ids.next_record_id(tree, "arrest", 2015) == "ARR-2015-00061"


def test_the_template_is_already_in_canonical_format(tree):
    path = scaffold.create(tree, "weapons_transfer")
    text = path.read_text(encoding="utf-8")
    assert format_text(text, path.relative_to(tree / "records").as_posix()) == text


def test_bad_requests_are_usage_errors_not_tracebacks(tree):
    for args in (
        ["new", "thing"],
        ["new", "actor"],
        ["new", "actor", "Not A Slug"],
        ["new", "actor", SEEDS["actor"].rsplit("/", 1)[-1][:-5]],
        ["new", "arrest", "ARR-2015-00001"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "conflictdata.cli", *args, "--root", str(tree)],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 2, args
        assert "Traceback" not in done.stderr and done.stderr.startswith("conflictdata new: "), (
            done.stderr
        )


def test_cli_prints_the_path(tree):
    done = subprocess.run(
        [sys.executable, "-m", "conflictdata.cli", "new", "recruitment", "--year", "2022"],
        cwd=tree,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    printed = done.stdout.strip()
    assert (tree / printed).is_file()
    assert printed == "records/" + paths.record_relpath(read((tree / printed).read_bytes())["id"])
    assert SEED_RECORDS.is_dir()
