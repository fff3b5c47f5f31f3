"""``conflictdata fmt``: one canonical layout, comments kept, values never changed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import seeds
from conflictdata.core.paths import WITHDRAWN_FILE, list_files
from conflictdata.reader.yamlreader import YamlError, read
from conflictdata.tools.fmt import FormatError, format_text
from conflictdata.validation import withdrawn

ROOT = Path(__file__).resolve().parent.parent


def _committed() -> list[str]:
    """Record files under records/ that git tracks (every file, outside a checkout)."""
    done = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "records/"], capture_output=True, text=True
    )
    if done.returncode == 0 and done.stdout:
        tracked = [
            p.removeprefix("records/") for p in done.stdout.split("\0") if p.endswith(".yaml")
        ]
        return [p for p in tracked if (ROOT / "records" / p).is_file()]
    return [p for p in list_files(ROOT / "records") if p.endswith(".yaml")]


COMMITTED = _committed()

MESSY = """\
# yaml-language-server: $schema=../../../schema/actor.schema.json
name: Federal Security Service   # the name most sources use
id: 'fsb'
country: RU   # where it belongs
aliases:
    - FSB
    - "Russia's Federal Security Service"
type: state_body
"""
CANONICAL = """\
# yaml-language-server: $schema=../../../schema/actor.schema.json
id: fsb
name: Federal Security Service   # the name most sources use
type: state_body
aliases: [FSB, Russia's Federal Security Service]
country: RU   # where it belongs
"""


def fmt(text: str, relpath: str = "actors/f/fsb.yaml") -> str:
    return format_text(text, relpath)


@pytest.mark.parametrize("relpath", COMMITTED)
def test_formatting_never_changes_a_value_of_a_committed_record(relpath):
    original = (ROOT / "records" / relpath).read_text(encoding="utf-8")
    formatted = fmt(original, relpath)
    root = list if relpath in ("withdrawn.yaml", "redirects.yaml") else dict  # lists of IDs
    assert read(formatted, root=root) == read(original, root=root)
    assert fmt(formatted, relpath) == formatted  # idempotent
    comments = [
        line.split("#", 1)[1].strip()
        for line in original.splitlines()
        if line.lstrip().startswith("#")
    ]
    kept = [
        line.split("#", 1)[1].strip()
        for line in formatted.splitlines()
        if line.lstrip().startswith("#")
    ]
    assert sorted(kept) == sorted(comments)


def test_keys_follow_the_model_and_lists_of_values_are_flow_style():
    out = fmt(MESSY)
    assert out.splitlines()[1:4] == [
        "id: fsb",
        "name: Federal Security Service   # the name most sources use",
        "type: state_body",
    ]
    assert "aliases: [FSB, Russia's Federal Security Service]" in out
    assert read(out) == read(MESSY)
    assert "country: RU   # where it belongs" in out


def test_fields_out_of_order_around_a_comment_line_are_reported_not_guessed():
    text = "name: F\n# about the ID\nid: fsb\ntype: state_body\n"
    with pytest.raises(FormatError) as info:
        fmt(text)
    assert info.value.line == 1 and "out of order" in info.value.message
    in_order = "id: fsb\n# about the name\nname: F\ntype: state_body\n"
    assert fmt(in_order) == in_order


def test_nested_blocks_are_ordered_too():
    text = "id: x-source\npublished:\n  precision: day\n  latest: '2015-01-02'\n  earliest: 2015-01-01\n"
    out = fmt(text, "sources/x/x-source.yaml")
    assert (
        out
        == 'id: x-source\npublished:\n  earliest: "2015-01-01"\n  latest: "2015-01-02"\n  precision: day\n'
    )


def test_dates_are_double_quoted_and_text_that_looks_like_a_value_stays_text():
    text = 'id: a\nname: "NO"\ndescription: "0755"\ncountry: "null"\naliases: ["true", "1.5"]\n'
    out = fmt(text)
    assert read(out) == read(text)


def test_long_lists_go_one_item_per_line():
    names = [f"alias number {i} with some words" for i in range(6)]
    text = "id: a\naliases:\n" + "".join(f"- {n}\n" for n in names)
    out = fmt(text)
    assert "aliases:\n- alias number 0" in out
    assert read(out) == read(text)


def test_folded_text_is_kept_as_the_author_wrapped_it():
    text = "id: a\ndescription: >-\n  one line\n  and another\n"
    assert fmt(text) == text


def test_unknown_keys_are_kept_after_the_known_ones():
    out = fmt("zzz: 1\nid: a\n")
    assert out == "id: a\nzzz: 1\n"


def test_a_file_that_does_not_parse_is_a_located_error():
    with pytest.raises(FormatError) as info:
        fmt("id: a\nname: [unclosed\n")
    assert info.value.line >= 2 and "cannot format" in info.value.message


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return seeds.cli(root, "fmt", *args)


@pytest.fixture
def messy_tree(tmp_path: Path) -> Path:
    path = tmp_path / "records/actors/f/fsb.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(MESSY, encoding="utf-8")
    return tmp_path


def test_check_writes_nothing_prints_a_diff_that_applies_and_exits_one(messy_tree):
    done = cli(messy_tree, "--check")
    assert done.returncode == 1
    assert (messy_tree / "records/actors/f/fsb.yaml").read_text(encoding="utf-8") == MESSY
    assert done.stdout.startswith(
        "--- a/records/actors/f/fsb.yaml\n+++ b/records/actors/f/fsb.yaml\n"
    )
    applied = subprocess.run(
        ["patch", "-p1", "--quiet"],
        input=done.stdout,
        cwd=messy_tree,
        capture_output=True,
        text=True,
    )
    assert applied.returncode == 0, applied.stderr
    assert (messy_tree / "records/actors/f/fsb.yaml").read_text(encoding="utf-8") == CANONICAL
    assert cli(messy_tree, "--check").returncode == 0


def test_fmt_rewrites_in_place_then_check_passes(messy_tree):
    assert cli(messy_tree).returncode == 0
    assert (messy_tree / "records/actors/f/fsb.yaml").read_text(encoding="utf-8") == CANONICAL
    done = cli(messy_tree, "--check")
    assert done.returncode == 0 and done.stdout == ""


def test_a_broken_file_is_reported_and_the_others_still_formatted(messy_tree):
    bad = messy_tree / "records/actors/b/broken.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text("id: broken\nname: [x\n", encoding="utf-8")
    done = cli(messy_tree)
    assert done.returncode == 1
    assert "records/actors/b/broken.yaml:" in done.stderr and "Traceback" not in done.stderr
    assert (messy_tree / "records/actors/f/fsb.yaml").read_text(encoding="utf-8") == CANONICAL
    assert bad.read_text(encoding="utf-8") == "id: broken\nname: [x\n"


TRICKY = [
    "NO",
    "0755",
    "1e3",
    "-.inf",
    ".nan",
    "2015-07-16",
    "null",
    "~",
    " x",
    "x ",
    "a: b",
    "#x",
    "- x",
    "'q'",
    '"',
    "[a]",
    "{a}",
    ":0",
    "\x85",
    "\u2028",
    "\xa0",
    "true",
    "1.0",
    "-0",
    "0x1F",
    "1_000",
    "@x",
    "`x",
    "%x",
    "!x",
    "&x",
    "*x",
    "|",
    ">",
    "x #y",
    "é",
    "\t",
    "line\nbreak",
    "al-Qaeda",
    "c1",
]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.fixed_dictionaries(
        {
            "id": st.just("a"),
            "name": st.one_of(
                st.sampled_from(TRICKY),
                st.text(
                    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
                    min_size=1,
                    max_size=30,
                ),
            ),
            "description": st.one_of(
                st.sampled_from(TRICKY),
                st.text(min_size=1, max_size=30).filter(lambda t: "\r" not in t),
            ),
            "aliases": st.lists(st.sampled_from(TRICKY), max_size=5),
        }
    ),
    st.booleans(),
)
def test_any_text_is_formatted_without_changing_it(data, flow):
    source = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=flow)
    try:
        before = read(source)
    except YamlError:
        return  # not a record the strict reader accepts in the first place
    out = fmt(source)  # raises FormatError if it could not keep every value
    assert read(out) == before
    assert fmt(out) == out


WITHDRAWN_AFTER_DOCUMENT_MARKER = """\
---
- id: ARR-2015-00099
  withdrawn: "2026-11-22"
  reason: out_of_scope
"""


def test_a_withdrawn_file_starting_with_a_document_marker_formats_and_validates_alike(tmp_path):
    path = tmp_path / "records" / WITHDRAWN_FILE
    path.parent.mkdir(parents=True)
    path.write_text(WITHDRAWN_AFTER_DOCUMENT_MARKER, encoding="utf-8")
    assert withdrawn.check(tmp_path) == []
    out = format_text(WITHDRAWN_AFTER_DOCUMENT_MARKER, WITHDRAWN_FILE)
    assert out.endswith('- id: ARR-2015-00099\n  reason: out_of_scope\n  withdrawn: "2026-11-22"\n')
    path.write_text(out, encoding="utf-8")
    assert withdrawn.check(tmp_path) == []


def test_a_withdrawn_file_that_is_not_a_list_is_refused_by_both_at_the_same_place(tmp_path):
    text = "---\nid: ARR-2015-00099\n"
    path = tmp_path / "records" / WITHDRAWN_FILE
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    (problem,) = withdrawn.check(tmp_path)
    with pytest.raises(FormatError) as info:
        format_text(text, WITHDRAWN_FILE)
    assert (info.value.line, info.value.col) == (problem.line, problem.col) == (2, 1)
