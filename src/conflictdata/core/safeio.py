"""Reading a file a user gave without trusting what sits at its path.

:func:`read_plain` reads a record (or any input file) only if it is a plain file: a
symbolic link is refused (never followed: it could point anywhere outside the
repository), and so are a folder, a FIFO (which would block the run forever), a socket
or a device; a file larger than the limit is refused before it is read into memory.
Every refusal is a :class:`NotReadable` (an ``OSError``) with a message fit to print
after the file's name.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_BINARY", 0)
)

#: What a file that is not plain is, for messages.
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


class NotReadable(OSError):
    """A file that is not read: the message says why."""

    def __init__(self, message: str, *, link: bool = False, size: int | None = None):
        super().__init__(message)
        self.message, self.link, self.size = message, link, size

    def __str__(self) -> str:
        return self.message


def _refuse_link(path: Path) -> NotReadable:
    return NotReadable(
        "a symbolic link; records are plain files, not links to other files", link=True
    )


def read_plain(path: Path | str, max_bytes: int | None = None) -> bytes:
    """The bytes of the plain file at ``path``; :class:`NotReadable` if it is a link,
    not a plain file, larger than ``max_bytes`` or cannot be read."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (exc.errno is not None and os.path.islink(path)):
            raise _refuse_link(Path(path)) from None
        raise NotReadable(f"cannot read file: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            what = next((name for test, name in _KINDS if test(st.st_mode)), "not a plain file")
            raise NotReadable(f"{what}, not a plain file; records are plain .yaml files")
        if max_bytes is not None and st.st_size > max_bytes:
            raise NotReadable(
                f"file is {st.st_size:,} bytes; records are limited to {max_bytes:,} bytes",
                size=st.st_size,
            )
        os.set_blocking(fd, True)
        with open(fd, "rb", closefd=False) as f:
            return f.read()
    except NotReadable:
        raise
    except OSError as exc:
        raise NotReadable(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
