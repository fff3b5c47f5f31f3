"""Which people of the actor registry a text names: the matching behind the
named-in-text rule (:mod:`conflictdata.validation.curation_rules`).

A name counts when it occurs whole, not inside a longer word ("Amirov" is not in
"Amirova"), and has at least two words: a name of one word ("Karim") names too many
people to be sure. A name inside a longer name found ("Amirov" in "Janbolat Amirov") is
not reported again.

A text is compared only with the names that may occur in it: each name is filed under
one of its words, and a text looks up its own words. A name found in a text has each of
its maximal runs of word characters as a maximal run in the text too (the bounds of the
pattern forbid a word character on either side), so filing a name under any one of its
words misses nothing; filing it under the word fewest names share keeps the comparisons
few. Two places keep such an index: :class:`NameIndex` in memory, for a run over the
whole registry, and :mod:`conflictdata.validation.people_cache` on disk, for a run over a
few files.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

_WORD = re.compile(r"\w+")


def words(text: str) -> set[str]:
    """The maximal runs of word characters in ``text``."""
    return set(_WORD.findall(text))


def counts(name: str) -> bool:
    """Whether ``name`` can be reported at all: it has two words or more."""
    return " " in name.strip()


def key_word(name_words: set[str], shared: Callable[[str], int]) -> str:
    """The word a name is filed under: the one fewest names share (then the longest,
    then the first); "" for a name with no word character, which every text is compared
    with."""
    if not name_words:
        return ""
    return min(name_words, key=lambda w: (shared(w), -len(w), w))


def order(names: Iterable[str]) -> list[str]:
    """Longest first, so that a name is seen before the shorter names inside it."""
    return sorted(names, key=lambda n: (-len(n), n))


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")


def found_in(
    text: str, candidates: Iterable[str], actors_of: Callable[[str], set[str]]
) -> dict[str, set[str]]:
    """The ``candidates`` that ``text`` names, each with the actors that bear it."""
    found: dict[str, set[str]] = {}
    for name in order(candidates):
        if name in text and _name_pattern(name).search(text):
            if any(name in longer for longer in found):
                continue
            found[name] = actors_of(name)
    return found


class NameIndex:
    """The names of a registry held in memory, each filed under its rarest word, so that
    the cost of a text follows its own words, not the size of the registry (comparing
    every record with every name was quadratic in the corpus)."""

    def __init__(self, names: dict[str, set[str]]):
        self.names, self.size = names, len(names)
        named = {name: words(name) for name in names if counts(name)}
        shared = Counter(w for ws in named.values() for w in ws)
        self.by_word: dict[str, list[str]] = {}
        for name, ws in named.items():
            self.by_word.setdefault(key_word(ws, shared.__getitem__), []).append(name)

    def candidates(self, text: str) -> list[str]:
        """The names that may occur in ``text``, longest first."""
        found = set(self.by_word.get("", ()))
        for word in words(text):
            found.update(self.by_word.get(word, ()))
        return order(found)


_index: NameIndex | None = None


def _name_index(names: dict[str, set[str]]) -> NameIndex:
    """The index of ``names``, built once for each registry a run reads."""
    global _index
    if _index is None or _index.names is not names or _index.size != len(names):
        _index = NameIndex(names)
    return _index


def named_people(text: str, names: dict[str, set[str]]) -> dict[str, set[str]]:
    """The names and aliases of people found in ``text`` (names of one word left out),
    each with the actors that bear it (one name may belong to several actors)."""
    return found_in(text, _name_index(names).candidates(text), names.__getitem__)


def names_of(data: object) -> list[str]:
    """The names an actor file gives a named person: its name and aliases (none for an
    organisation, a state body or an anonymous person)."""
    if not isinstance(data, dict) or data.get("type") != "person":
        return []
    if data.get("anonymous") is True:
        return []
    aliases = data.get("aliases")
    given = [data.get("name"), *(aliases if isinstance(aliases, list) else [])]
    return [n for n in given if isinstance(n, str) and n.strip()]
