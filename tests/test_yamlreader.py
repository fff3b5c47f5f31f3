"""The strict YAML reader: JSON-like YAML 1.2 values, and a located error for
everything else."""

from __future__ import annotations

import math

import pytest

from conflictdata.reader import yamlreader
from conflictdata.reader.yamlreader import YamlError, locator, read


def error(text: str | bytes) -> YamlError:
    with pytest.raises(YamlError) as info:
        read(text.encode("utf-8") if isinstance(text, str) else text)
    return info.value


def value(scalar: str):
    return read(f"v: {scalar}\n".encode())["v"]


# --- Scalars resolve like JSON, never like YAML 1.1 -------------------------------------


@pytest.mark.parametrize(
    "scalar, expected",
    [
        ("NO", "NO"),
        ("no", "no"),
        ("off", "off"),
        ("On", "On"),
        ("yes", "yes"),
        ("Y", "Y"),
        ("n", "n"),
        ("0755", "0755"),
        ("0o17", "0o17"),
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
        ("1:20", "1:20"),
        ("190:20:30", "190:20:30"),
        ("2024-02-30", "2024-02-30"),
        ("2015-07-16", "2015-07-16"),
        ("2015-07-16T10:00:00Z", "2015-07-16T10:00:00Z"),
        ("'5'", "5"),
        ('"5"', "5"),
        ("'true'", "true"),
        ('"null"', "null"),
        ("'.nan'", ".nan"),
        ("'NO'", "NO"),
        ("5", 5),
        ("-3", -3),
        ("0", 0),
        ("5.0", 5.0),
        ("-0.5", -0.5),
        ("1e3", 1000.0),
        ("2.5E-2", 0.025),
        ("true", True),
        ("false", False),
        ("True", True),
        ("FALSE", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("Null", None),
        ("=1+1", "=1+1"),
        ("'@here'", "@here"),
        ("-x", "-x"),
        ("+5", "+5"),
        (".5x", ".5x"),
    ],
)
def test_plain_scalars_resolve_like_json(scalar, expected):
    got = value(scalar)
    assert got == expected and type(got) is type(expected), (scalar, got)


def test_numbers_are_never_strings_and_strings_never_numbers():
    data = read(b"a: 12\nb: '12'\nc: 12.50\nd: \"12.50\"\n")
    assert data == {"a": 12, "b": "12", "c": 12.5, "d": "12.50"}
    assert [type(v) for v in data.values()] == [int, str, float, str]


@pytest.mark.parametrize(
    "scalar, check",
    [
        (".nan", math.isnan),
        (".NaN", math.isnan),
        (".inf", lambda v: v == math.inf),
        ("-.inf", lambda v: v == -math.inf),
        ("+.Inf", lambda v: v == math.inf),
    ],
)
def test_nan_and_infinity_are_floats_so_the_model_can_reject_them_by_name(scalar, check):
    got = value(scalar)
    assert type(got) is float and check(got)


def test_big_integers_stay_exact():
    assert value("123456789012345678901234567890") == 123456789012345678901234567890


def test_block_scalars_keep_their_text():
    assert read(b"s: >-\n  one\n  two\nt: |\n  a\n  b\n") == {"s": "one two", "t": "a\nb\n"}


def test_unicode_text_in_any_script():
    text = 'name: Жанболат Амиров\nalias: جانبولات\nzh: 伊斯兰国\nemoji: "\U0001f600"\n'
    assert read(text.encode()) == {
        "name": "Жанболат Амиров",
        "alias": "جانبولات",
        "zh": "伊斯兰国",
        "emoji": "\U0001f600",
    }


# --- Duplicate keys ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, col, key",
    [
        ("a: 1\nb: 2\na: 3\n", 3, 1, "a"),
        ("a:\n  b: 1\n  c: 2\n  b: 3\n", 4, 3, "b"),
        ("l:\n- x: 1\n  x: 2\n", 3, 3, "x"),
        ("a: 1\n'a': 2\n", 2, 1, "a"),
        ('a: 1\n"a": 2\n', 2, 1, "a"),
        ("m: {k: 1, k: 2}\n", 1, 11, "k"),
    ],
)
def test_duplicate_keys_are_rejected_where_they_repeat(text, line, col, key):
    e = error(text)
    assert (e.line, e.col) == (line, col)
    assert f"duplicate key {key!r}" in e.message


def test_same_key_in_sibling_mappings_is_fine():
    assert read(b"l:\n- x: 1\n- x: 2\n") == {"l": [{"x": 1}, {"x": 2}]}


# --- Anchors, aliases, merge keys --------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, col, fragment",
    [
        ("a: &x 1\nb: 2\n", 1, 4, "anchor &x is not allowed"),
        ("a: &x {k: 1}\n", 1, 4, "anchor &x is not allowed"),
        ("a: &x\n- 1\n", 1, 4, "anchor &x is not allowed"),
        ("a: 1\nb: *x\n", 2, 4, "alias *x is not allowed"),
        ("a:\n- 1\n- *x\n", 3, 3, "alias *x is not allowed"),
        ("a: {k: 1}\nb:\n  <<: {j: 2}\n", 3, 3, "merge keys (<<) are not allowed"),
    ],
)
def test_anchors_aliases_and_merge_keys_are_rejected(text, line, col, fragment):
    e = error(text)
    assert (e.line, e.col) == (line, col)
    assert fragment in e.message


def test_alias_bomb_is_rejected_at_the_first_anchor_without_expanding():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    e = error("\n".join(lines) + "\n")
    assert (e.line, e.col) == (1, 4) and "anchor &a" in e.message


def test_a_quoted_merge_key_is_just_a_field_name():
    assert read(b"'<<': 1\n") == {"<<": 1}


# --- Tags -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tagged, line, col, shown",
    [
        ("!!python/object/apply:os.system ['echo']", 1, 4, "!!python/object/apply:os.system"),
        ("!!python/name:os.system ''", 1, 4, "!!python/name:os.system"),
        ("!!binary aGVsbG8=", 1, 4, "!!binary"),
        ("!!set {a, b}", 1, 4, "!!set"),
        ("!!timestamp 2015-07-16", 1, 4, "!!timestamp"),
        ("!!omap [a: 1]", 1, 4, "!!omap"),
        ("!custom x", 1, 4, "!custom"),
    ],
)
def test_non_json_tags_are_rejected(tagged, line, col, shown):
    e = error(f"v: {tagged}\n")
    assert (e.line, e.col) == (line, col)
    assert f"tag {shown} is not allowed" in e.message


@pytest.mark.parametrize(
    "tagged, expected",
    [
        ("!!str 5", "5"),
        ("!!str true", "true"),
        ("!!int 5", 5),
        ("!!float 5", 5.0),
        ("!!bool true", True),
        ("!!null ''", None),
        ("!!map {a: 1}", {"a": 1}),
        ("!!seq [1]", [1]),
        ("! 5", "5"),
    ],
)
def test_json_like_core_tags_are_accepted(tagged, expected):
    got = value(tagged)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    "tagged", ["!!int five", "!!int 5.5", "!!float yes", "!!bool 1", "!!null 0"]
)
def test_a_core_tag_must_fit_its_value(tagged):
    e = error(f"v: {tagged}\n")
    assert (e.line, e.col) == (1, 4) and "is not a valid !!" in e.message


# --- The shape of the file ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, col, fragment",
    [
        ("a: 1\n---\nb: 2\n", 2, 1, "a second document (---)"),
        ("---\na: 1\n---\n", 3, 1, "a second document"),
        ("- a\n- b\n", 1, 1, "the file holds a list"),
        ("just text\n", 1, 1, "the file holds a single value"),
        ("42\n", 1, 1, "the file holds a single value"),
        ("\n\n[1, 2]\n", 3, 1, "the file holds a list"),
        ("", 1, 1, "file is empty"),
        ("\n\n   \n", 1, 1, "file is empty"),
        ("# only a comment\n# and another\n", 1, 1, "file is empty (or only comments)"),
        ("1: a\n", 1, 1, "key '1' must be a field name (text), not a number"),
        ("a: 1\nnull: b\n", 2, 1, "not null"),
        ("true: b\n", 1, 1, "not true/false"),
        ("? [a]\n: b\n", 1, 3, "a key must be a field name, not a mapping or list"),
    ],
)
def test_file_shape(text, line, col, fragment):
    e = error(text)
    assert (e.line, e.col) == (line, col)
    assert fragment in e.message


def test_explicit_document_markers_around_one_document_are_fine():
    assert read(b"---\na: 1\n...\n") == {"a": 1}


# --- Bytes and characters --------------------------------------------------------------


def test_byte_order_mark_is_rejected():
    e = error(b"\xef\xbb\xbfa: 1\n")
    assert (e.line, e.col) == (1, 1) and "byte-order mark" in e.message


@pytest.mark.parametrize(
    "data, line, col",
    [
        (b"a: 1\nb: caf\xe9\n", 2, 7),
        (b"\xff\xfea: 1\n", 1, 1),
        (b"a: 1\nb: 2\nc: \xc3\x28\n", 3, 4),
        (b"a: \xed\xa0\x80\n", 1, 4),  # an encoded surrogate
    ],
)
def test_invalid_utf8_is_located(data, line, col):
    e = error(data)
    assert (e.line, e.col) == (line, col) and "invalid UTF-8" in e.message


@pytest.mark.parametrize(
    "data, line, col",
    [
        (b"a: 1\r\nb: 2\r\n", 1, 5),
        (b"a: 1\nbb: 2\r\n", 2, 6),
        (b"a: 1\rb: 2\r", 1, 5),
    ],
)
def test_carriage_returns_are_located(data, line, col):
    e = error(data)
    assert (e.line, e.col) == (line, col) and "carriage return" in e.message


@pytest.mark.parametrize(
    "text, line, col",
    [
        ("a:\n\tb: 1\n", 2, 1),
        ("a: 1\n\tb: 2\n", 2, 1),
        ("l:\n  - 1\n\t- 2\n", 3, 1),
    ],
)
def test_tab_indentation_is_located(text, line, col):
    e = error(text)
    assert (e.line, e.col) == (line, col) and "tab character" in e.message


def test_a_tab_inside_a_quoted_string_is_text():
    assert read(b'a: "x\ty"\n') == {"a": "x\ty"}


@pytest.mark.parametrize(
    "text, line",
    [
        ("a: [1, 2\nb: 3\n", 2),
        ("a: 'unterminated\n", 2),
        ("a: b: c\n", 1),
        ("a:\n  - 1\n b: 2\n", 3),
        ("{a: 1\n", 2),
        ("a: @here\n", 1),
        ("a: `cmd`\n", 1),
    ],
)
def test_syntax_errors_are_located(text, line):
    e = error(text)
    assert e.line == line and e.message.startswith("YAML syntax error")


@pytest.mark.parametrize(
    "text, line, col",
    [
        ("a: 1\nb: x\x07y\n", 2, 5),
        ("a: 'x\x00'\n", 1, 6),
        ("a: 1\n\x1b[31mb: 2\n", 2, 1),
        ("a: \ufffe\n", 1, 4),
    ],
)
def test_characters_yaml_forbids_are_a_located_error(text, line, col):
    e = error(text)
    assert (e.line, e.col) == (line, col) and "is not allowed in YAML" in e.message


# --- Limits -----------------------------------------------------------------------------


def _nested(depth: int) -> str:
    return "a: " + "[" * depth + "]" * depth + "\n"


def test_nesting_up_to_the_limit_is_read():
    data = read(_nested(yamlreader.MAX_DEPTH - 1).encode())
    depth = 0
    node = data["a"]
    while node:
        node, depth = node[0], depth + 1
    assert depth == yamlreader.MAX_DEPTH - 2


@pytest.mark.parametrize("depth", [yamlreader.MAX_DEPTH, 1000, 100_000])
def test_deep_nesting_is_rejected_at_the_limit(depth):
    e = error(_nested(depth))
    assert f"nesting deeper than {yamlreader.MAX_DEPTH}" in e.message and e.line == 1
    # libyaml scans up to 1,000 levels ahead and may stop there first
    assert e.col in (3 + yamlreader.MAX_DEPTH, 3 + 1000)


def test_deep_block_nesting_is_rejected():
    text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "x: 1\n"
    e = error(text)
    # the mapping that would be level MAX_DEPTH + 1 starts at its first key
    assert e.line == yamlreader.MAX_DEPTH + 1 and "nesting deeper" in e.message


def test_huge_file_is_rejected_before_parsing():
    data = b"a: " + b"x" * yamlreader.MAX_BYTES + b"\n"
    e = error(data)
    assert (e.line, e.col) == (1, 1) and "limited to" in e.message


def test_large_string_under_the_limit_is_read_whole():
    big = "й" * (yamlreader.MAX_BYTES // 4)
    assert read(f"a: {big}\n".encode())["a"] == big


# --- Locating fields ----------------------------------------------------------------------

SAMPLE = """\
id: ARR-2015-00001
claims:
- id: c1
  via: [a, b]
  grade:
    credibility: 3
- id: c2
date:
  earliest: "2015-11-01"
"""


@pytest.mark.parametrize(
    "path, where",
    [
        (("id",), (1, 1)),
        (("claims",), (2, 1)),
        (("claims", 0), (3, 3)),
        (("claims", 0, "via", 1), (4, 12)),
        (("claims", 0, "grade", "credibility"), (6, 5)),
        (("claims", 1, "id"), (7, 3)),
        (("date", "earliest"), (9, 3)),
        (("date", "latest"), (8, 1)),  # missing: the nearest parent that exists
        (("nowhere", 3), (1, 1)),
    ],
)
def test_locator_finds_fields(path, where):
    assert locator(SAMPLE)(path) == where


def test_locator_on_broken_text_still_answers():
    find = locator("a: 1\nb: [\n")
    assert find(("a",)) == (1, 1)
    assert find(("b", 0)) == (2, 1)


def test_read_with_marks_gives_the_same_data():
    marks: dict = {}
    assert read(SAMPLE, marks=marks) == read(SAMPLE.encode())
    assert marks[("claims", 1)] == (7, 3)


# --- Numbers too long to convert --------------------------------------------------------


@pytest.mark.parametrize(
    "literal",
    [
        "1" * 5000,  # beyond Python's 4,300-digit limit for int()
        "-" + "9" * 5000,
        "1" * 5000 + ".5",
        "1." + "0" * 200_000,  # a float literal of 200,000 characters
        "1" * (yamlreader.MAX_NUMBER_CHARS + 1),
    ],
)
@pytest.mark.parametrize("form", ["a: 1\nv: {}\n", "a: 1\nv: [a, {}]\n", "a: 1\nv: !!int {}\n"])
def test_a_number_too_long_is_a_located_error(literal, form):
    text = form.format(literal)
    e = error(text)
    assert "numbers are limited to" in e.message and f"{len(literal):,} characters" in e.message
    assert (e.line, e.col) == (2, text.index("!!" if "!!" in text else literal) - 5 + 1)


def test_a_key_that_is_a_number_too_long_is_a_located_error():
    e = error("a: 1\n" + "1" * 200 + ": x\n")
    assert (e.line, e.col) == (2, 1) and "numbers are limited to" in e.message


def test_a_number_at_the_limit_is_read():
    assert value("1" * yamlreader.MAX_NUMBER_CHARS) == int("1" * yamlreader.MAX_NUMBER_CHARS)


def test_long_text_of_digits_quoted_stays_text():
    assert value("'" + "1" * 5000 + "'") == "1" * 5000
