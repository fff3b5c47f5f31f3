"""Replacing a file atomically: the one way every command writes a file.

A file is never opened for writing in place. :func:`replacing` (and the shortcuts
:func:`write_bytes` and :func:`write_text`) write to a temporary file beside the target
with a name no other run shares (``.NAME.XXXXXXXX.tmp``, made by :mod:`tempfile` in the
same folder), flush it, ``fsync`` it, give it the target's permissions (or the usual
ones for a new file) and rename it over the target. So:

* a reader sees the old file or the new one, never a half-written one;
* a failure (a full disk, an exception in the code that writes, a kill) leaves the old
  file as it was; on an exception the temporary file is removed, and after a kill it is
  left as a ``.*.tmp`` file that ``conflictdata build --check`` names;
* two runs at the same time never share a temporary file (the last rename wins);
* a symbolic link at the target is refused (:class:`WriteError`), never written through
  or silently replaced.

Every failure is a :class:`WriteError` (an ``OSError``) whose message names the file and
the reason, for the command line to print as it is.

Writing several files that belong together (a release) is :class:`Batch`: every file is
written to its temporary first, and only when all of them are written are they renamed
into place, one after another, so a failure while writing leaves every old file intact.

Use it for any file a command writes::

    from conflictdata.core import atomic

    atomic.write_text(path, text)
    with atomic.replacing(path) as out:  # a binary file object
        out.write(data)
    atomic.create(path, data)  # a new file; never replaces one
    with atomic.Batch() as batch:  # files that belong together
        batch.add(path, data)
        db_path = batch.reserve(other)  # for a library that writes by file name

``tests/test_writes.py`` checks that no module writes a file any other way.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

#: How the temporary files are named: ``.{target name}.{random}{TMP_SUFFIX}``.
TMP_SUFFIX = ".tmp"


class WriteError(OSError):
    """A file could not be written; the message names it and says why."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _check_target(path: Path) -> int | None:
    """The mode to give the new file (the old file's, if there is one)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return 0o666 & ~_umask()
    except OSError as exc:
        raise WriteError(exc.errno, f"{path}: cannot write: {exc.strerror}") from None
    if stat.S_ISLNK(st.st_mode):
        raise WriteError(
            f"{path}: is a symbolic link; not writing through it (replace it with a plain file)"
        )
    if not stat.S_ISREG(st.st_mode):
        raise WriteError(f"{path}: is not a plain file; not replacing it")
    return stat.S_IMODE(st.st_mode)


def is_temporary(name: str) -> bool:
    """Whether a file name is one of this module's temporary files."""
    return name.startswith(".") and name.endswith(TMP_SUFFIX) and name.count(".") >= 3


def _open_temporary(path: Path):
    mode = _check_target(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    except OSError as exc:
        raise WriteError(
            exc.errno, f"{path}: cannot create a file beside it: {exc.strerror}"
        ) from None
    return os.fdopen(fd, "wb"), Path(tmp), mode


@contextlib.contextmanager
def _temporary(path: Path):
    """``(file, temporary path, mode)`` of a new temporary beside ``path``; when the
    block raises, the temporary is closed and removed and an ``OSError`` becomes a
    :class:`WriteError` naming ``path`` (a ``FileExistsError`` says the file exists)."""
    out, tmp, mode = _open_temporary(path)
    try:
        yield out, tmp, mode
    except BaseException as exc:
        out.close()
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, FileExistsError):
            raise WriteError(exc.errno, f"{path}: already exists; not replacing it") from None
        if isinstance(exc, OSError):
            raise _fail(path, exc) from None
        raise


def _finish(out, tmp: Path, mode: int | None) -> None:
    out.flush()
    os.fsync(out.fileno())
    if mode is not None:
        os.chmod(tmp, mode)
    out.close()


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every system can open or sync a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fail(path: Path, exc: OSError) -> WriteError:
    if isinstance(exc, WriteError):
        return exc
    return WriteError(exc.errno, f"{path}: cannot write: {exc.strerror or exc}")


@contextlib.contextmanager
def replacing(path: Path | str):
    """A binary file object whose contents replace ``path`` when the block ends without
    an exception; on an exception the old file is kept and the temporary removed."""
    path = Path(path)
    with _temporary(path) as (out, tmp, mode):
        yield out
        _finish(out, tmp, mode)
        _check_target(path)  # a link put there meanwhile is refused all the same
        os.replace(tmp, path)
    _sync_folder(path.parent)


def write_bytes(path: Path | str, data: bytes) -> None:
    """Replace ``path`` with ``data``, atomically."""
    with replacing(path) as out:
        out.write(data)


def write_text(path: Path | str, text: str) -> None:
    """Replace ``path`` with ``text`` as UTF-8 with the line endings as given."""
    write_bytes(path, text.encode("utf-8"))


def create(path: Path | str, data: bytes) -> None:
    """Write a new file at ``path`` whole, atomically, never replacing anything: a
    :class:`WriteError` (``FileExistsError`` as its errno) when something is there."""
    path = Path(path)
    with _temporary(path) as (out, tmp, mode):
        out.write(data)
        _finish(out, tmp, mode)
        os.link(tmp, path)  # fails if path exists, even as a link
    with contextlib.suppress(OSError):
        tmp.unlink()
    _sync_folder(path.parent)


class Batch:
    """Files replaced together: :meth:`add` writes each to its temporary file,
    :meth:`commit` renames them all into place. Leaving the ``with`` block by an
    exception (or calling :meth:`abort`) removes the temporaries and keeps every old
    file."""

    def __init__(self):
        self._pending: list[tuple[Path, Path, int | None]] = []
        self._reserved: set[Path] = set()

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is not None:
            self.abort()
        else:
            self.commit()

    def add(self, path: Path | str, data: bytes) -> None:
        path = Path(path)
        with _temporary(path) as (out, tmp, mode):
            out.write(data)
            _finish(out, tmp, mode)
        self._pending.append((path, tmp, mode))

    def reserve(self, path: Path | str) -> Path:
        """A temporary path beside ``path`` for a library that writes a file by name
        (SQLite, Parquet); it replaces ``path`` when the batch commits."""
        path = Path(path)
        out, tmp, mode = _open_temporary(path)
        out.close()
        self._pending.append((path, tmp, mode))
        self._reserved.add(tmp)
        return tmp

    def adopt(self, path: Path | str, source: Path | str) -> None:
        """A file already written in full elsewhere (a staged build output) replaces
        ``path`` when the batch commits: moved beside it now if it is on the same file
        system, copied there otherwise."""
        tmp = self.reserve(path)
        try:
            os.replace(source, tmp)
        except OSError:
            try:
                shutil.copyfile(source, tmp)
            except OSError as exc:
                raise _fail(Path(path), exc) from None

    def commit(self) -> None:
        pending, self._pending = self._pending, []
        done, current = 0, None
        try:
            for current, tmp, mode in pending:
                _check_target(current)
                if tmp in self._reserved:  # written by name: flush it to disk here
                    fd = os.open(tmp, os.O_RDONLY)
                    try:
                        os.fsync(fd)
                    finally:
                        os.close(fd)
                    if mode is not None:
                        os.chmod(tmp, mode)
            for current, tmp, _ in pending:
                os.replace(tmp, current)
                done += 1
        except OSError as exc:
            for _, tmp, _ in pending[done:]:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            raise _fail(current, exc) from None
        for folder in {p.parent for p, _, _ in pending}:
            _sync_folder(folder)

    def abort(self) -> None:
        pending, self._pending = self._pending, []
        for _, tmp, _ in pending:
            with contextlib.suppress(OSError):
                tmp.unlink()
