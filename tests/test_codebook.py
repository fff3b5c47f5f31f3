"""``docs/codebook.md`` is generated from the models, the vocabularies, the rules and the
records, and the committed copy is up to date."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conflictdata.core import vocab
from conflictdata.model.models import RECORD_MODELS, REGISTRY_MODELS
from conflictdata.publish import codebook
from conflictdata.validation import codes
from seeds import make_tree

ROOT = Path(__file__).resolve().parent.parent


def test_committed_codebook_is_up_to_date(root):
    done = subprocess.run(
        [sys.executable, "-m", "conflictdata.cli", "codebook", "--check", "--root", str(root)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture
def book(tmp_path: Path) -> str:
    return codebook.render(make_tree(tmp_path))


def test_every_kind_registry_and_field_is_described(book):
    for model in list(RECORD_MODELS.values()) + list(REGISTRY_MODELS.values()):
        for name, info in model.model_fields.items():
            assert f"| `{name}` |" in book, (model.__name__, name)
            if info.description:
                assert " ".join(info.description.split()) in book
    for kind in vocab.KINDS:
        assert f"## {kind.title}\n" in book
    assert "`claims[].grade.credibility`" in book
    assert "`date.earliest`" in book


def test_every_allowed_value_and_rule_is_listed(book):
    for name, values in codebook._vocabularies().items():
        for value, meaning in values.items():
            assert f"| `{value}` | {' '.join(meaning.split())} |" in book, (name, value)
    for c in codes.REGISTRY:
        assert f"| `{c.code}` |" in book and " ".join(c.statement.split()) in book


def _with_examples(tmp_path: Path) -> Path:
    """A scratch tree with the fixed example records beside its records/."""
    tree = make_tree(tmp_path)
    shutil.copytree(ROOT / codebook.EXAMPLES, tree / codebook.EXAMPLES)
    return tree


def _row(book: str, field: str) -> str:
    return next(line for line in book.splitlines() if line.startswith(f"| `{field}` |"))


def test_examples_come_from_the_fixed_example_records(tmp_path):
    tree = _with_examples(tmp_path)
    path = next((tree / codebook.EXAMPLES / "arrests").rglob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    start = text.index("  suspicion: ") + len("  suspicion: ")
    end = text.index("\n", start)
    path.write_text(
        text[:start] + "an example written only for this test" + text[end:], encoding="utf-8"
    )
    book = codebook.render(tree)
    assert _row(book, "arrest.suspicion").endswith("| `an example written only for this test` |")


def test_adding_or_changing_records_does_not_change_the_codebook(tmp_path):
    tree = _with_examples(tmp_path)
    before = codebook.render(tree)
    for path in (tree / "records").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if "  suspicion: " in text:
            start = text.index("  suspicion: ") + len("  suspicion: ")
            end = text.index("\n", start)
            path.write_text(text[:start] + "a changed record" + text[end:], encoding="utf-8")
            shutil.copy(path, path.with_name(path.stem[:-5] + "09999.yaml"))
    assert codebook.render(tree) == before


def test_check_fails_on_drift_and_writing_fixes_it(tmp_path):
    tree = make_tree(tmp_path)
    assert "missing" in codebook.check(tree)
    assert codebook.write(tree) == codebook.OUTPUT
    assert codebook.check(tree) is None
    out = tree / codebook.OUTPUT
    out.write_text(
        out.read_text(encoding="utf-8").replace("Completely reliable", "Reliable"), encoding="utf-8"
    )
    assert "out of date" in codebook.check(tree)
    shutil.rmtree(tree / "records/sources")
    codebook.write(tree)
    assert codebook.check(tree) is None
