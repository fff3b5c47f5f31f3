"""Every quote in records/ occurs word for word in the archived text of its source.

The source texts are kept outside the repository, in the archive folder: the
``CONFLICTDATA_ARCHIVE`` environment variable, else ``<repo>/../shared/sources/``. Each
claim's quote must occur in its source's text; only whitespace and typographic
quotation marks and apostrophes may differ. A source without an archived text fails
unless its record says why none can exist (``archive: {status: unavailable, ...}``);
nothing is skipped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conflictdata.publish import build
from conflictdata.reader.yamlreader import read
from conflictdata.validation import quotes
from conflictdata.validation.quotes import Archive, archive_dir, check_tree, normalise
from seeds import SEEDS, make_tree, seed, write

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "conflictdata.cli"]
ARCHIVE = archive_dir(ROOT)
IWPR = "iwpr-2015-kyrgyzstan-firefight"


def occurs(quote: str, text: str) -> bool:
    return normalise(quote) in normalise(text)


# --- The committed records ---------------------------------------------------------------------


def test_every_committed_quote_occurs_in_its_archived_source():
    assert ARCHIVE.is_dir(), (
        f"the archive of source texts {ARCHIVE} does not exist: set {quotes.ENV} to its folder "
        "(see CONTRIBUTING.md, 'The archive of source texts')"
    )
    report = check_tree(ROOT, Archive(ARCHIVE))
    assert report.quotes > 0, "no quote was checked"
    assert not report.problems, "\n".join(p.text() for p in report.problems)
    assert report.verified == report.quotes


# --- A scratch tree and archive ---------------------------------------------------------------


@pytest.fixture
def tree(tmp_path) -> Path:
    """The seed tree and an archive of the texts it quotes (copies, free to break)."""
    root = make_tree(tmp_path / "repo")
    archive = tmp_path / "texts"
    archive.mkdir()
    for path in sorted((root / "records/sources").rglob("*.yaml")):
        source_id = path.stem
        claims = [
            c["quote"]
            for data in map(read, (p.read_bytes() for p in (root / "records").rglob("*.yaml")))
            if isinstance(data, dict)
            for c in data.get("claims") or []
            if c.get("source") == source_id
        ]
        original = ARCHIVE / f"{source_id}.txt"
        text = original.read_text(encoding="utf-8") if original.is_file() else "\n\n".join(claims)
        (archive / f"{source_id}.txt").write_text(text, encoding="utf-8")
    return root


def texts(root: Path) -> Path:
    return root.parent / "texts"


def test_the_seed_tree_passes(tree):
    report = check_tree(tree, Archive(texts(tree)))
    assert not report.problems, [p.text() for p in report.problems]
    assert report.quotes == report.verified > 0


def test_a_changed_word_is_reported_at_the_quote_with_the_first_difference(tree):
    data = seed("arrest")
    quote = data["claims"][0]["quote"]
    words = quote.split()
    words[3] = "CHANGED"
    data["claims"][0]["quote"] = " ".join(words)
    path = write(tree, SEEDS["arrest"], data)
    report = check_tree(tree, Archive(texts(tree)))
    (problem,) = report.problems
    text = path.read_text(encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.lstrip().startswith("quote:"))
    assert problem.path.endswith(SEEDS["arrest"]) and problem.line == line and problem.col == 3
    assert problem.field == "claims[0].quote" and problem.rule == "quote"
    assert "CHANGED" in problem.message
    assert f"after {len(' '.join(normalise(quote).split()[:3])) + 1} matching" in problem.message
    quote_part, text_part = problem.message.split("where the text")
    assert "CHANGED" in quote_part and quote.split()[3] in text_part


def test_a_source_without_an_archived_text_fails_at_the_source(tree):
    (texts(tree) / f"{IWPR}.txt").unlink()
    report = check_tree(tree, Archive(texts(tree)))
    problems = [p for p in report.problems]
    assert [p.path.rsplit("/", 1)[-1] for p in problems] == [f"{IWPR}.yaml"]
    assert problems[0].rule == "quote-archive" and "status: unavailable" in problems[0].message
    assert report.unchecked > 0


def test_a_source_that_says_why_no_text_exists_passes_and_is_counted(tree):
    (texts(tree) / f"{IWPR}.txt").unlink()
    data = seed("source")
    data["archive"] = {"status": "unavailable", "reason": "A broadcast; no text was published."}
    write(tree, SEEDS["source"], data)
    report = check_tree(tree, Archive(texts(tree)))
    assert not report.problems and report.unavailable > 0 and report.unchecked == 0


def test_the_archive_field_is_validated(tree):
    data = seed("source")
    data["archive"] = {"status": "lost"}
    write(tree, SEEDS["source"], data)
    done = subprocess.run([*CLI, "validate", "--root", str(tree)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "archive.status: invalid value 'lost'" in done.stdout
    assert "archive.reason" in done.stdout


def test_whitespace_and_typographic_quotes_are_tolerated():
    text = "He said \u201cIt\u2019s beyond doubt.\u201d\nThen   he left."
    assert occurs('said "It\'s beyond doubt." Then he left.', text)


def test_a_changed_word_is_not_tolerated():
    text = "Kuwait's Interior Ministry claimed to have arrested six people."
    assert not occurs("Kuwait's Interior Ministry claimed to have arrested seven people.", text)


def test_changed_punctuation_is_not_tolerated():
    assert not occurs("six people, in a cell", "six people in a cell")


def test_the_first_difference_names_the_line_of_the_text(tmp_path):
    (tmp_path / "s.txt").write_text("one two\nthree   four five\nsix\n", encoding="utf-8")
    text = Archive(tmp_path).text("s")
    diff = quotes.first_difference("two three four six", text)
    assert diff.matched == len("two three four ")
    assert diff.text_line == 2 and diff.text_excerpt.endswith("five six")
    assert quotes.first_difference("two\nthree four", text) is None
    assert quotes.first_difference("zzz", text).matched == 0


# --- Where the archive is ---------------------------------------------------------------------


def test_the_archive_folder_is_an_option_then_a_variable_then_beside_the_root(
    tmp_path, monkeypatch
):
    monkeypatch.delenv(quotes.ENV, raising=False)
    assert archive_dir(tmp_path / "repo") == tmp_path / "shared" / "sources"
    monkeypatch.setenv(quotes.ENV, str(tmp_path / "env"))
    assert archive_dir(tmp_path / "repo") == tmp_path / "env"
    assert archive_dir(tmp_path / "repo", tmp_path / "opt") == tmp_path / "opt"


def test_the_command_reports_and_exits_1_then_2_without_an_archive(tree):
    data = seed("arrest")
    data["claims"][0]["quote"] = data["claims"][0]["quote"] + " and more"
    write(tree, SEEDS["arrest"], data)
    args = ["quotes", "--root", str(tree), "--archive", str(texts(tree))]
    done = subprocess.run([*CLI, *args], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert f"{SEEDS['arrest']}:" in done.stdout and ": claims[0].quote: " in done.stdout
    github = subprocess.run([*CLI, *args, "--format", "github"], capture_output=True, text=True)
    assert github.stdout.startswith("::error file=") and "title=conflictdata quote" in github.stdout
    shutil.rmtree(texts(tree))
    done = subprocess.run([*CLI, *args], capture_output=True, text=True)
    assert done.returncode == 2 and quotes.ENV in done.stderr


# --- The published claims table ---------------------------------------------------------------


def _claims_rows(outputs: dict[str, bytes]) -> list[dict]:
    text = outputs["data/claims.csv"].decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_claims_table_says_whether_each_quote_was_verified_and_against_which_copy(tree):
    (texts(tree) / "vice-news-2015-is-weapons-ukraine.txt").unlink()
    data = seed("source")
    data["archive"] = {"status": "unavailable", "reason": "Kept for the test."}
    (texts(tree) / f"{IWPR}.txt").unlink()
    write(tree, SEEDS["source"], data)
    _, outputs = build.produce(tree, jobs=1, archive=Archive(texts(tree)))
    rows = _claims_rows(outputs)
    hashes = {p.stem: hashlib.sha256(p.read_bytes()).hexdigest() for p in texts(tree).glob("*.txt")}
    seen = set()
    for row in rows:
        if row["source"] in hashes:
            assert (row["quote_verified"], row["quote_archive_sha256"]) == (
                "true",
                hashes[row["source"]],
            )
        else:
            assert (row["quote_verified"], row["quote_archive_sha256"]) == ("false", "")
        seen.add(row["quote_verified"])
    assert seen == {"true", "false"}
    _, without = build.produce(tree, jobs=1, archive=Archive(tree / "no-such-folder"))
    assert {(r["quote_verified"], r["quote_archive_sha256"]) for r in _claims_rows(without)} == {
        ("", "")
    }
