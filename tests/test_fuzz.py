"""Bounded fuzzing of the YAML reader and the validator: whatever the bytes, the result
is data or located problems, never an exception.

The budget is fixed by ``max_examples`` per property (a few seconds each);
``FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py`` runs a longer campaign.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflictdata.core.paths import list_files
from conflictdata.reader.yamlreader import YamlError, locator, read
from conflictdata.validation.validate import IndexLookup, check_file, validate_paths
from seeds import RECORDS, SEEDS, make_tree, seed

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "250")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

SEED_BYTES = {name: (RECORDS / rel).read_bytes() for name, rel in SEEDS.items()}

#: Pieces of YAML that matter to the reader: indicators, tags, anchors, odd scalars,
#: bad bytes.
TOKENS = [
    b":",
    b": ",
    b"- ",
    b"-",
    b" ",
    b"  ",
    b"\n",
    b"\t",
    b"#",
    b"'",
    b'"',
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b"&a ",
    b"*a",
    b"<<: ",
    b"!!python/object:os.system ",
    b"!!binary ",
    b"!!str ",
    b"!!int ",
    b"!x ",
    b"---\n",
    b"...\n",
    b"%YAML 1.1\n",
    b"? ",
    b"|",
    b">-",
    b"\\",
    b"~",
    b"null",
    b"NO",
    b"off",
    b"0755",
    b"1:20",
    b"2024-02-30",
    b".nan",
    b"-.inf",
    b"5.0",
    b"1e400",
    b"99999999999999999999999",
    b"\x00",
    b"\x07",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\r",
    b"\r\n",
    "é".encode(),
    "Ж".encode(),
    "\U0001f600".encode(),
    b"id",
    b"claims",
    b"c1",
    b"ARR-2015-00001",
    b"related",
    b"responds_to",
    b"ARR-2015-00001#c1",
]


def mutate(data: bytes, edits: list[tuple[float, int, int]]) -> bytes:
    """Apply edits ``(where, what, how)``: insert a token, replace a span with it, or
    delete a span, at a relative position."""
    for where, what, how in edits:
        pos = int(where * len(data))
        token = TOKENS[what % len(TOKENS)]
        if how == 0:
            data = data[:pos] + token + data[pos:]
        elif how == 1:
            data = data[:pos] + token + data[pos + len(token) :]
        else:
            data = data[:pos] + data[pos + 1 + what % 20 :]
    return data


edits = st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 10_000), st.integers(0, 2)), min_size=1, max_size=6
)


def assert_reader_survives(data: bytes):
    try:
        out = read(data)
    except YamlError as e:
        assert e.line >= 1 and e.col >= 1 and e.message
        return
    assert isinstance(out, dict)


@FUZZ
@given(st.binary(max_size=2000))
def test_reader_on_random_bytes(data):
    assert_reader_survives(data)


@FUZZ
@given(
    st.text(
        alphabet=st.sampled_from(
            list(":- \n\t#'\"[]{},&*!|>?%@`~.0123456789abcNOy\\\x00\x85\u2028\ufeffé")
        ),
        max_size=400,
    )
)
def test_reader_on_yaml_like_text(text):
    assert_reader_survives(text.encode("utf-8", "surrogatepass"))
    find = locator(text)
    assert find(("a", 0, "b")) >= (1, 1)


@FUZZ
@given(st.sampled_from(sorted(SEED_BYTES)), edits)
def test_reader_on_mutated_records(name, changes):
    assert_reader_survives(mutate(SEED_BYTES[name], changes))


# --- The validator ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_tree(tmp_path_factory) -> Path:
    return make_tree(tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def fuzz_lookup(fuzz_tree):
    lookup = IndexLookup(list_files(fuzz_tree / "records"))
    lookup.actor_types.update({"osama-khayat": "person", "gknb-unnamed-representative": "person"})
    return lookup


def check_survives(tree: Path, relpath: str, content: bytes, lookup):
    path = tree / "records" / relpath
    original = path.read_bytes()
    path.write_bytes(content)
    try:
        result = check_file(tree, relpath, lookup)
        for p in result.problems:
            assert p.line >= 1 and p.col >= 1 and p.message and p.rule
        report = validate_paths(tree, [path])  # cross-record rules and locating too
        assert all(p.line >= 1 and p.col >= 1 for p in report.problems)
        return result
    finally:
        path.write_bytes(original)


@FUZZ
@given(st.sampled_from(sorted(SEEDS)), edits)
def test_validator_on_mutated_text(fuzz_tree, fuzz_lookup, name, changes):
    check_survives(fuzz_tree, SEEDS[name], mutate(SEED_BYTES[name], changes), fuzz_lookup)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "c1",
            "c9",
            "ARR-2015-00001",
            "WTR-2015-00001#c1",
            "NO",
            "",
            " ",
            "2015-02-30",
            "kuwait-interior-ministry",
            "asserts",
            "denies",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "claims",
                    "low",
                    "best",
                    "high",
                    "actor",
                    "description",
                    "stance",
                    "responds_to",
                    "record",
                    "relation",
                    "earliest",
                    "latest",
                    "x",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, prefix + (i,))


@FUZZ
@given(st.sampled_from(sorted(SEEDS)), st.data())
def test_validator_on_records_with_random_values(fuzz_tree, fuzz_lookup, name, draw):
    """Any field of a valid record replaced by any JSON-like value: the shape checks,
    the salvaged partial model and every rule still end in problems, not exceptions."""
    data = copy.deepcopy(seed(name))
    paths = [p for p in _paths(data) if p]
    for _ in range(draw.draw(st.integers(1, 3))):
        where = draw.draw(st.sampled_from(paths))
        parent = data
        try:
            for part in where[:-1]:
                parent = parent[part]
            parent[where[-1]] = draw.draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    result = check_survives(fuzz_tree, SEEDS[name], text.encode("utf-8"), fuzz_lookup)
    assert isinstance(result.problems, list)


def test_fuzz_mutations_do_break_records():
    """The mutations reach the reader's error paths (the fuzzing is not vacuous)."""
    broken = 0
    for i in range(200):
        data = mutate(
            SEED_BYTES["arrest"], [(i / 200, i * 7, i % 3), ((i * 13 % 200) / 200, i * 3, 0)]
        )
        try:
            read(data)
        except YamlError:
            broken += 1
    assert broken > 20
