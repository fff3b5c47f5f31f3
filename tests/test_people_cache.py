"""The registry's names kept between runs (``validation/people_cache.py``): a run over a
few files answers exactly as reading the whole registry does, reads again only the actor
files that changed, and treats a cache it cannot use as a cache: rebuilt with a warning,
or done without."""

from __future__ import annotations

import os
import sqlite3
import time
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflictdata.core import paths
from conflictdata.core.gazetteer import CacheWarning
from conflictdata.validation import people, people_cache
from seeds import dump, make_tree, seed, write

TEXT = "Janbolat Amirov met Abu Bakr al-Baghdadi and Ivan Petrov in Almaty; Clarkson doubted it."


def actor_file(folder: Path, actor_id: str) -> Path:
    """Where an actor lives in the actors ``folder`` of a tree."""
    return folder.parent / paths.registry_relpath("actor", actor_id)


def actor(folder: Path, actor_id: str, name: str, aliases=(), **more) -> Path:
    path = actor_file(folder, actor_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"id": actor_id, "name": name, "type": "person", **more}
    if aliases:
        data["aliases"] = list(aliases)
    path.write_text(dump(data), encoding="utf-8")
    return path


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(where))
    return where / "conflictdata"


@pytest.fixture
def registry(tmp_path) -> Path:
    folder = tmp_path / "records" / "actors"
    actor(folder, "janbolat-amirov", "Janbolat Amirov", aliases=["Amirov"])
    actor(folder, "abu-bakr", "Abu Bakr al-Baghdadi", aliases=["Abu Bakr"])
    actor(folder, "ivan-petrov", "Ivan Petrov")
    actor(folder, "unnamed", "Ivan Petrov", anonymous=True)
    actor(folder, "ministry", "Ivan Petrov", type="state-body")
    return folder


def answer(folder: Path) -> dict[str, set[str]]:
    """What reading every actor file gives: the answer a cache must match."""
    return people.named_people(TEXT, people_cache.read_registry(folder))


def cached(folder: Path, text: str = TEXT) -> dict[str, set[str]]:
    return people_cache.RegistryNames(folder).named_in(text)


def reads(monkeypatch) -> list[str]:
    """The actor files read from now on."""
    seen: list[str] = []
    real = people_cache.names_in_file

    def spy(path):
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(people_cache, "names_in_file", spy)
    return seen


def test_the_cache_answers_as_reading_the_registry_does(registry, cache):
    expected = {
        "Janbolat Amirov": {"janbolat-amirov"},
        "Abu Bakr al-Baghdadi": {"abu-bakr"},
        "Ivan Petrov": {"ivan-petrov"},
    }
    assert answer(registry) == expected
    assert cached(registry) == expected  # built
    assert cached(registry) == expected  # read back
    assert len(list(cache.glob("people-v*.sqlite"))) == 1


def test_only_new_or_changed_actor_files_are_read_again(registry, cache, monkeypatch):
    """Deterministic, not timed: a run reads what changed, not the registry."""
    monkeypatch.setattr(people_cache, "RACY_NS", 0)  # the files here are all brand new
    for i in range(300):
        actor(registry, f"person-{i}", f"Person Number {i}")
    cached(registry)
    seen = reads(monkeypatch)
    assert cached(registry) and seen == []  # nothing changed, nothing read

    seen.clear()
    actor(registry, "ivan-petrov", "Ivan Petrovich Petrov", aliases=["Ivan Petrov"])
    actor_file(registry, "janbolat-amirov").unlink()
    actor(registry, "new-person", "Amirov Janbolat")
    got = cached(registry)
    assert sorted(seen) == ["ivan-petrov.yaml", "new-person.yaml"]
    assert got == answer(registry)
    assert "Janbolat Amirov" not in got and got["Ivan Petrov"] == {"ivan-petrov"}


def test_a_change_that_keeps_the_size_and_sets_the_time_back_is_seen(registry, cache):
    path = actor_file(registry, "ivan-petrov")
    assert "Ivan Petrov" in cached(registry)
    before = path.stat()
    path.write_text(path.read_text().replace("Ivan Petrov", "Ivan Petrav"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert "Ivan Petrov" not in cached(registry) and "Ivan Petrov" not in answer(registry)


@pytest.mark.parametrize("racy_ns", [people_cache.RACY_NS, 0])
def test_a_rewrite_in_the_tick_of_the_listing_is_seen(registry, cache, monkeypatch, racy_ns):
    """The racy case: a file rewritten with the same size within one timestamp tick keeps
    its whole stamp. Simulated by stamps whose times stand still at now; the rule of
    reading recent files again is what finds the change (without it, racy_ns=0, the
    cache answers from the old file)."""
    now = time.time_ns()
    monkeypatch.setattr(people_cache, "_stamp", lambda st: (st.st_size, now, now, st.st_ino))
    monkeypatch.setattr(people_cache, "RACY_NS", racy_ns)
    path = actor_file(registry, "ivan-petrov")
    assert "Ivan Petrov" in cached(registry)
    path.write_text(path.read_text().replace("Ivan Petrov", "Ivan Petrav"), encoding="utf-8")
    stale = "Ivan Petrov" in cached(registry)
    assert stale == (racy_ns == 0)


def test_one_cache_per_registry(tmp_path, registry, cache):
    other = tmp_path / "other" / "records" / "actors"
    actor(other, "someone-else", "Ivan Petrov")
    assert cached(registry)["Ivan Petrov"] == {"ivan-petrov"}
    assert cached(other) == {"Ivan Petrov": {"someone-else"}}
    assert len(list(cache.glob("people-v*.sqlite"))) == 2


def _database(cache: Path) -> Path:
    (found,) = cache.glob("people-v*.sqlite")
    return found


def _garbage(db: Path):
    db.write_bytes(b"not a database at all" * 100)


def _truncated(db: Path):
    with open(db, "r+b") as f:
        f.truncate(3000)


def _another_layout(db: Path):
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA user_version = 99")


def _table_dropped(db: Path):
    with sqlite3.connect(db) as con:
        con.execute("DROP TABLE names")


def _not_text(db: Path):
    with sqlite3.connect(db) as con:
        con.execute("UPDATE names SET name = X'00ff'")


@pytest.mark.parametrize(
    "damage", [_garbage, _truncated, _another_layout, _table_dropped, _not_text]
)
def test_a_cache_that_cannot_be_used_is_rebuilt_with_a_warning(
    registry, cache, damage, monkeypatch
):
    monkeypatch.setattr(people_cache, "RACY_NS", 0)  # no file is read again for being new
    cached(registry)
    damage(_database(cache))
    with pytest.warns(CacheWarning, match="actor names cache"):
        assert cached(registry) == answer(registry)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cached(registry) == answer(registry)  # the rebuilt cache is used


def test_without_a_cache_folder_the_registry_is_read(registry, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", "relative-home")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: Path("nowhere")))
    assert cached(registry) == answer(registry)
    assert not any(tmp_path.rglob("*.sqlite"))


def test_a_cache_that_cannot_be_opened_means_reading_the_registry(registry, cache):
    # a folder where the database would be: SQLite cannot open it (SQLITE_CANTOPEN)
    people_cache.cache_file(registry).mkdir(parents=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cached(registry) == answer(registry)


def test_a_cache_folder_that_is_a_file_means_reading_the_registry(registry, cache):
    cache.parent.mkdir(parents=True)
    cache.write_text("a file where the folder would be")
    assert cached(registry) == answer(registry)


def test_a_link_at_the_cache_is_replaced_not_written_through(registry, cache, tmp_path):
    cached(registry)
    db = _database(cache)
    target = tmp_path / "elsewhere.sqlite"
    target.write_bytes(b"keep me")
    db.unlink()
    db.symlink_to(target)
    assert cached(registry) == answer(registry)
    assert target.read_bytes() == b"keep me" and not db.is_symlink()


def test_a_busy_cache_means_reading_the_registry(registry, cache, monkeypatch):
    cached(registry)
    monkeypatch.setattr(people_cache, "_BUSY_MS", 50)
    holder = sqlite3.connect(_database(cache), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        actor(registry, "late-comer", "Late Comer Person")
        assert cached(registry, "Late Comer Person said so") == {
            "Late Comer Person": {"late-comer"}
        }
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_linked_and_unreadable_actor_files_name_no_one(registry, cache, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text(dump({"id": "x", "name": "Linked Person", "type": "person"}))
    linked, broken = actor_file(registry, "linked"), actor_file(registry, "broken")
    for path in (linked, broken):
        path.parent.mkdir(exist_ok=True)
    linked.symlink_to(outside)
    broken.write_text("name: [unclosed", encoding="utf-8")
    text = "Linked Person and Ivan Petrov"
    assert cached(registry, text) == {"Ivan Petrov": {"ivan-petrov"}}
    assert people.named_people(text, people_cache.read_registry(registry)) == cached(registry, text)


NAMES = ["Amirov", "Janbolat", "Abu", "Bakr", "al-Baghdadi", "Юсуп", "Ахмед", "(2)", "X."]
name = st.lists(st.sampled_from(NAMES), min_size=1, max_size=3).map(" ".join)
entry = st.tuples(name, st.lists(name, max_size=2), st.booleans())


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    first=st.dictionaries(st.sampled_from("abcdefgh"), entry, max_size=6),
    then=st.dictionaries(st.sampled_from("abcdefgh"), entry | st.none(), max_size=6),
    words=st.lists(st.sampled_from(NAMES + [",", "and", "-"]), max_size=12),
)
def test_after_any_edits_the_cache_answers_as_reading_does(tmp_path_factory, first, then, words):
    root = tmp_path_factory.mktemp("registry")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_CACHE_HOME", str(root / "cache"))
        folder = root / "records" / "actors"
        folder.mkdir(parents=True)
        text = " ".join(words)
        for edits in (first, then):
            for key, value in edits.items():
                if value is None:
                    actor_file(folder, key).unlink(missing_ok=True)
                else:
                    actor(folder, key, value[0], aliases=value[1], anonymous=value[2])
            expected = people.named_people(text, people_cache.read_registry(folder))
            assert cached(folder, text) == expected


def test_a_single_record_run_sees_an_actor_edited_since_the_last_run(tmp_path, cache):
    """End to end: the named-in-text rule over one record follows the registry."""
    from conflictdata.validation.validate import validate_paths

    tree = make_tree(tmp_path / "tree")
    data = seed("arrest")
    data["title"] = "Kuwait: an arrest Janbolat Kurmanov described"
    relpath = write(tree, "arrests/2015/000/ARR-2015-00001.yaml", data)

    def named():
        found = validate_paths(tree, [relpath]).problems
        return [p.message for p in found if p.rule == "named-in-text"]

    assert named() == []
    actor(tree / "records" / "actors", "janbolat-kurmanov", "Janbolat Kurmanov")
    assert named() == [
        "names 'Janbolat Kurmanov' (actor janbolat-kurmanov), who is neither a party nor a "
        "claimant of this record; add them with the claim that supports it, or leave the "
        "name out"
    ]
