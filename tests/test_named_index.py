"""The named-in-text rule finds the same names through its word index as by comparing
the text with every name of the registry, and its cost does not grow with the registry
(comparing every record with every name was quadratic in the size of the corpus)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from conflictdata.validation import people


def brute_force(text: str, names: dict[str, set[str]]) -> dict[str, set[str]]:
    """The rule as written before the index: every multi-word name, longest first."""
    found: dict[str, set[str]] = {}
    for name in sorted(names, key=len, reverse=True):
        if " " not in name.strip():
            continue
        if re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
            if any(name in longer for longer in found):
                continue
            found[name] = names[name]
    return found


WORDS = ["Amirov", "Janbolat", "Amirova", "al-Baghdadi", "Abu", "Bakr", "Юсуп", "Ахмед", "X."]
word = st.sampled_from(WORDS)
name = st.lists(word, min_size=1, max_size=3).map(" ".join) | st.sampled_from(
    ["Name (3)", "  Abu Bakr ", "- -", "Abu  Bakr"]
)
glue = st.sampled_from([" ", ", ", "-", "", " (", ") ", "\n"])


@settings(max_examples=300, deadline=None)
@given(
    names=st.dictionaries(name, st.sets(st.sampled_from(["a", "b"]), min_size=1), max_size=8),
    parts=st.lists(st.tuples(word | name, glue), max_size=10),
)
def test_the_index_finds_what_comparing_every_name_finds(names, parts):
    text = "".join(w + g for w, g in parts)
    assert people.named_people(text, names) == brute_force(text, names)


def test_a_record_is_compared_only_with_the_names_that_share_a_word_with_it():
    """Deterministic, not timed: the names a text is compared with do not grow with the
    registry, only with the names that share a word with the text."""
    text = "Janbolat Amirov said the cell was recruited in Almaty by Abu Bakr."
    names = {f"Person {i} Name": {f"p{i}"} for i in range(20_000)}
    names.update(
        {"Janbolat Amirov": {"amirov"}, "Abu Bakr": {"bakr"}, "Abu Bakr al-Baghdadi": {"b"}}
    )
    index = people.NameIndex(names)
    # longest first; "Abu Bakr al-Baghdadi" is filed under "Baghdadi", which the text lacks
    assert index.candidates(text) == ["Janbolat Amirov", "Abu Bakr"]
    assert people.named_people(text, names) == {
        "Janbolat Amirov": {"amirov"},
        "Abu Bakr": {"bakr"},
    }


def test_namesakes_are_filed_under_the_word_that_tells_them_apart():
    """A registry with many namesakes ("Janbolat Amirov (1)", "(2)", ...): a text naming
    "Janbolat Amirov" is compared with none of them, not with every one."""
    names = {f"Janbolat Amirov ({i})": {f"a{i}"} for i in range(5_000)}
    index = people.NameIndex(names)
    assert index.candidates("Janbolat Amirov was detained.") == []
    assert index.candidates("Janbolat Amirov (42) was detained.") == ["Janbolat Amirov (42)"]
