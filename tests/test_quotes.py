"""Every quote in records/ occurs word for word in its source.

The source texts are reference copies kept outside the repository, at
``<repo>/../shared/sources/<source-id>.txt``. Where they are present, each claim's
quote must occur in its source's text; only whitespace and typographic quotation marks
and apostrophes may differ. Where they are absent, the tests are skipped and say why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conflictdata.reader import yamlreader

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "records"
SOURCE_TEXTS = ROOT.parent / "shared" / "sources"
RECORD_FOLDERS = ("incidents", "arrests", "weapons-transfers", "recruitment")

_TYPOGRAPHIC = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Collapse whitespace and straighten typographic quotes; nothing else."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


def occurs(quote: str, text: str) -> bool:
    return normalise(quote) in normalise(text)


def _claims():
    """One parameter (record path, claim) per claim in records/; an unreadable record
    becomes one failing parameter rather than an error that hides the others."""
    found = []
    for folder in RECORD_FOLDERS:
        for path in sorted((RECORDS / folder).rglob("*.yaml")):
            try:
                data = yamlreader.read(path.read_bytes())
                claims = data["claims"]
                items = [(f"{data['id']}#{c['id']}", c) for c in claims]
            except (yamlreader.YamlError, KeyError, TypeError) as exc:
                found.append(pytest.param(path, {"error": str(exc)}, id=f"{path.stem}#unreadable"))
                continue
            for test_id, claim in items:
                found.append(pytest.param(path, claim, id=test_id))
    return found


def _sources():
    return [pytest.param(p, id=p.stem) for p in sorted((RECORDS / "sources").rglob("*.yaml"))]


def _text_of(source_id: str) -> str:
    if not SOURCE_TEXTS.is_dir():
        pytest.skip(f"source texts are not available locally: {SOURCE_TEXTS} does not exist")
    path = SOURCE_TEXTS / f"{source_id}.txt"
    if not path.is_file():
        pytest.skip(f"no local text for source {source_id!r}: {path} does not exist")
    return path.read_text(encoding="utf-8")


CLAIMS = _claims()


def test_records_have_claims_to_check():
    assert CLAIMS, "no claims found under records/; the quote tests would check nothing"


@pytest.mark.parametrize(("path", "claim"), CLAIMS)
def test_quote_occurs_in_source(path: Path, claim: dict):
    assert "error" not in claim, f"{path}: cannot read the claims: {claim.get('error')}"
    text = _text_of(claim["source"])
    assert occurs(claim["quote"], text), (
        f"{path.relative_to(ROOT)}: claim {claim['id']}: the quote does not occur word for word "
        f"in {claim['source']}.txt:\n  {normalise(claim['quote'])}"
    )


@pytest.mark.parametrize("path", _sources())
def test_source_text_is_available(path: Path):
    source_id = yamlreader.read(path.read_bytes())["id"]
    text = _text_of(source_id)
    assert text.strip(), f"{source_id}.txt is empty"


# --- The comparison itself ------------------------------------------------------------


def test_whitespace_and_typographic_quotes_are_tolerated():
    text = "He said \u201cIt\u2019s beyond doubt.\u201d\nThen   he left."
    assert occurs('said "It\'s beyond doubt." Then he left.', text)


def test_a_changed_word_is_not_tolerated():
    text = "Kuwait's Interior Ministry claimed to have arrested six people."
    assert not occurs("Kuwait's Interior Ministry claimed to have arrested seven people.", text)


def test_changed_punctuation_is_not_tolerated():
    assert not occurs("six people, in a cell", "six people in a cell")
