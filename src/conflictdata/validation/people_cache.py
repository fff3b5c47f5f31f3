"""The people of an actor registry, kept between runs, for a run over a few files.

Checking one changed record must not cost reading the whole actor registry, yet the
named-in-text rule asks which of the registry's people a record names. So the names are
kept in an SQLite file in the cache folder (:func:`conflictdata.core.gazetteer.cache_folder`),
one per actors folder, each name filed under one of its words
(:mod:`conflictdata.validation.people`): a text asks only for the names filed under its
own words.

The cache is brought up to date at the start of each run the way ``git status`` does it:
every actor file's size, modification time, change time and inode are compared with the
ones its names were read at, and only new or changed files are read again (a file can
have its modification time set back, not its change time). Looking at each file's
metadata still grows with the registry, but it costs a small fraction of reading it:
about 2 s for 590,000 actor files, where reading them took 30 to 50 s
(``docs/benchmarks.md``). A digest of the whole listing lets an unchanged registry skip
the comparison file by file.

A cache is only a cache: a database that cannot be read (corrupt, truncated, not a
database, of another layout) is rebuilt with a :class:`~conflictdata.core.gazetteer.CacheWarning`;
when there is no cache folder, or it cannot be written, or the database is busy, the
registry is read in full for the run, as before. The answers are the same either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
import warnings
from collections import Counter
from pathlib import Path

from conflictdata.core import gazetteer
from conflictdata.core.safeio import NotReadable, read_plain
from conflictdata.reader.yamlreader import MAX_BYTES, YamlError, read
from conflictdata.validation import people

#: The layout of the database; another value in ``PRAGMA user_version`` means rebuild.
LAYOUT = 1
_CHUNK = 500  # parameters in one query, well under SQLite's limit
_BUSY_MS = 10_000
#: A file changed less than this long before a listing is read again on the next run.
RACY_NS = 3_000_000_000

_TABLES = """
CREATE TABLE files (path TEXT PRIMARY KEY, stamp TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE names (path TEXT NOT NULL, name TEXT NOT NULL, actor TEXT NOT NULL,
                    key TEXT NOT NULL);
CREATE INDEX names_by_key ON names (key);
CREATE INDEX names_by_path ON names (path);
CREATE TABLE words (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
"""


_EXPECTED = {"files", "names", "words", "meta", "names_by_key", "names_by_path"}

Stamp = tuple[int, int, int, int]


def _stamp(st: os.stat_result) -> Stamp:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _text(stamp: Stamp) -> str:
    return ":".join(map(str, stamp))


def _digest(current: dict[str, Stamp]) -> str:
    """One digest of a whole listing, in the order it was listed: when it is the one of
    the last run, nothing changed and no stamp need be compared."""
    return hashlib.sha256(json.dumps(list(current.items())).encode()).hexdigest()


def _settled(stamp: Stamp, started: int) -> str:
    """``stamp``, or "racy" for a file changed too close to the listing to be sure that
    a change after it shows in the stamp: timestamps move in ticks (a few milliseconds,
    seconds on some file systems), so a file written twice in one tick keeps its stamp
    when its size does not change. Git's index has the same problem and the same cure:
    such a file is read again on the next run, until it is older than :data:`RACY_NS`."""
    _, mtime, ctime, _ = stamp
    return _text(stamp) if max(mtime, ctime) <= started - RACY_NS else "racy"


def listing(folder: Path) -> dict[str, Stamp]:
    """Every plain ``.yaml`` file under ``folder`` (links are not followed), by its path
    relative to ``folder``, with its stamp."""
    found: dict[str, Stamp] = {}
    pending = [(folder, "")]
    while pending:
        here, prefix = pending.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), f"{prefix}{entry.name}/"))
                elif entry.name.endswith(".yaml") and entry.is_file(follow_symlinks=False):
                    found[prefix + entry.name] = _stamp(entry.stat(follow_symlinks=False))
            except OSError:
                continue
    return found


def names_in_file(path: Path) -> list[str]:
    """The names an actor file gives a named person; none when it cannot be read."""
    try:
        return people.names_of(read(read_plain(path, MAX_BYTES)))
    except (NotReadable, OSError, YamlError):
        return []


def _actor(relpath: str) -> str:
    return relpath.rsplit("/", 1)[-1][: -len(".yaml")]


def read_registry(folder: Path) -> dict[str, set[str]]:
    """Every name of a named person in the registry -> the actors' IDs, read in full."""
    names: dict[str, set[str]] = {}
    for relpath in sorted(listing(folder)) if folder.is_dir() else ():
        for name in names_in_file(folder / relpath):
            names.setdefault(name, set()).add(_actor(relpath))
    return names


def cache_file(folder: Path) -> Path | None:
    """Where the names of the registry at ``folder`` are kept; None without a cache folder."""
    cache = gazetteer.cache_folder()
    if cache is None:
        return None
    where = hashlib.sha256(os.fsencode(folder.resolve())).hexdigest()[:16]
    return cache / f"people-v{LAYOUT}-{where}.sqlite"


def _in_chunks(values: list):
    """``values`` a few hundred at a time, each part with its ``?, ?, ...`` for ``IN (...)``."""
    for i in range(0, len(values), _CHUNK):
        part = values[i : i + _CHUNK]
        yield ",".join("?" * len(part)), part


class RegistryNames:
    """Which people of the registry at ``folder`` a text names (see the module)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._db: sqlite3.Connection | None = None
        self._all: dict[str, set[str]] | None = None  # read in full when there is no cache
        self._ready = False

    def named_in(self, text: str) -> dict[str, set[str]]:
        """The names found in ``text``, each with the actors that bear it."""
        if not self._ready:
            self._ready = True
            self._db = self._open_cache()
            if self._db is None:
                self._all = read_registry(self.folder)
        if self._db is not None:
            try:
                return self._query(text)
            except (sqlite3.Error, UnicodeError) as exc:
                warnings.warn(
                    f"the actor names cache was not used ({exc}); reading the registry, "
                    "and the cache is rebuilt next time",
                    gazetteer.CacheWarning,
                    stacklevel=2,
                )
                self._db.close()
                self._db = None
                self._forget()
                self._all = read_registry(self.folder)
        return people.named_people(text, self._all or {})

    # --- the database ----------------------------------------------------------------------

    def _path(self) -> Path | None:
        return cache_file(self.folder)

    def _open_cache(self) -> sqlite3.Connection | None:
        path = self._path()
        if path is None or not self.folder.is_dir():
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if os.path.islink(path):
                os.unlink(path)  # never written through a link
        except OSError:
            return None
        for attempt in (1, 2):
            db = None
            try:
                db = sqlite3.connect(path, timeout=_BUSY_MS / 1000, isolation_level=None)
                self._bring_up_to_date(db)
                return db
            except sqlite3.OperationalError as exc:
                if db is not None:
                    db.close()
                if (exc.sqlite_errorcode & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_CANTOPEN):
                    return None  # busy or not writable: read in full this time
                reason = exc
            except (sqlite3.DatabaseError, ValueError, UnicodeError) as exc:
                if db is not None:
                    db.close()
                reason = exc
            if attempt == 1:
                warnings.warn(
                    f"the actor names cache {path} was not used ({reason}); rebuilding it",
                    gazetteer.CacheWarning,
                    stacklevel=4,
                )
                if not self._forget():
                    return None
        return None

    def _forget(self) -> bool:
        """Remove the database (and a journal beside it); whether it is gone."""
        path = self._path()
        try:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        except (OSError, TypeError):
            return False
        return True

    def _bring_up_to_date(self, db: sqlite3.Connection) -> None:
        db.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        db.execute("BEGIN IMMEDIATE")
        try:
            layout = db.execute("PRAGMA user_version").fetchone()[0]
            if layout == 0 and not db.execute("SELECT 1 FROM sqlite_master").fetchone():
                for statement in filter(str.strip, _TABLES.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {LAYOUT}")
            elif layout != LAYOUT:
                raise ValueError(f"layout {layout}, where this release writes {LAYOUT}")
            else:
                tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
                if missing := _EXPECTED - tables:
                    raise ValueError(f"no {', '.join(sorted(missing))}")
            self._update(db)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _update(self, db: sqlite3.Connection) -> None:
        started = time.time_ns()
        listed = listing(self.folder)
        digest = _digest(listed)
        last = db.execute("SELECT value FROM meta WHERE key = 'listing'").fetchone()
        if last is not None and last[0] == digest:
            return
        known = dict(db.execute("SELECT path, stamp FROM files"))
        current = {p: _text(stamp) for p, stamp in listed.items()}
        stale = [p for p in known if current.get(p) != known[p]]
        fresh = [p for p, stamp in current.items() if known.get(p) != stamp]
        # forget what the stale files said, and how often their names' words were shared
        gone: Counter[str] = Counter()
        for marks, part in _in_chunks(stale):
            for (name,) in db.execute(f"SELECT name FROM names WHERE path IN ({marks})", part):
                gone.update(people.words(name))
            db.execute(f"DELETE FROM names WHERE path IN ({marks})", part)
            db.execute(f"DELETE FROM files WHERE path IN ({marks})", part)
        # read the new and changed files
        read_now = {
            p: [n for n in names_in_file(self.folder / p) if people.counts(n)]
            for p in sorted(fresh)
        }
        added = Counter(w for names in read_now.values() for n in names for w in people.words(n))
        shared = self._counts(db, list(gone.keys() | added.keys()))
        shared.subtract(gone)
        shared.update(added)
        db.executemany(
            "INSERT INTO words (word, n) VALUES (?, ?) "
            "ON CONFLICT (word) DO UPDATE SET n = excluded.n",
            ((w, n) for w, n in shared.items() if n > 0),
        )
        db.executemany(
            "DELETE FROM words WHERE word = ?", ((w,) for w, n in shared.items() if n <= 0)
        )
        db.executemany(
            "INSERT INTO names (path, name, actor, key) VALUES (?, ?, ?, ?)",
            (
                (p, n, _actor(p), people.key_word(people.words(n), shared.__getitem__))
                for p, names in read_now.items()
                for n in names
            ),
        )
        db.executemany(
            "INSERT INTO files (path, stamp) VALUES (?, ?)",
            ((p, _settled(listed[p], started)) for p in read_now),
        )
        # the digest is kept only when no file waits to be read again
        racy = db.execute("SELECT 1 FROM files WHERE stamp = 'racy' LIMIT 1").fetchone()
        db.execute(
            "INSERT INTO meta (key, value) VALUES ('listing', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (None if racy else digest,),
        )

    @staticmethod
    def _counts(db: sqlite3.Connection, words: list[str]) -> Counter[str]:
        found: Counter[str] = Counter()
        for marks, part in _in_chunks(words):
            found.update(
                dict(db.execute(f"SELECT word, n FROM words WHERE word IN ({marks})", part))
            )
        return found

    def _query(self, text: str) -> dict[str, set[str]]:
        actors: dict[str, set[str]] = {}
        keys = sorted(people.words(text) | {""})
        for marks, part in _in_chunks(keys):
            for name, actor in self._db.execute(
                f"SELECT name, actor FROM names WHERE key IN ({marks})", part
            ):
                if not isinstance(name, str) or not isinstance(actor, str):
                    raise sqlite3.DatabaseError("a name that is not text")
                actors.setdefault(name, set()).add(actor)
        return people.found_in(text, actors, actors.__getitem__)
