"""Text on its way to a terminal or a CI log: characters that would act instead of show
are shown escaped.

A record file name or a value in a record is text anyone can write. Printed raw, a
control character (an ANSI escape such as ``\\x1b[31m``, a carriage return that moves
the cursor back over a line, a newline that starts a line of its own) or a
bidirectional override (U+202E, which shows the rest of a line backwards) changes what
a reader sees, and a line that starts with ``::`` is a command to the GitHub Actions
runner (``::error``, ``::stop-commands::``). So:

* :func:`escape` writes every such character as ``\\uXXXX`` (valid inside a JSON
  string too, so it is safe on any output format);
* :func:`shown_path` also makes sure a path never starts a line with ``::``;
* :class:`EscapingStream` wraps ``sys.stdout``/``sys.stderr`` for the command line, so
  that whatever a command prints reaches the terminal escaped (newlines and tabs kept).

:data:`UNSAFE` is also what the validator's ``text`` rule looks for in record values.
"""

from __future__ import annotations

import re

#: Characters shown escaped: C0 controls but tab and newline, DEL, C1 controls, the
#: line and paragraph separators, and the bidirectional marks, embeddings, overrides
#: and isolates.
UNSAFE_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(f"[{UNSAFE_CHARS}]")
#: Also escaped on output: lone surrogates, which is how Python holds the bytes of a
#: file name that is not UTF-8 (and which no UTF-8 terminal could be sent).
_OUTPUT = f"{UNSAFE_CHARS}\ud800-\udfff"
_UNSAFE_LINES = re.compile(f"[{_OUTPUT}]")
_UNSAFE_ANY = re.compile(f"[{_OUTPUT}\t\n]")

#: Bidirectional controls by name, for messages.
BIDI_NAMES = {
    "\u061c": "ARABIC LETTER MARK",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}


def _sub(m: re.Match) -> str:
    return f"\\u{ord(m.group()):04x}"


def escape(text: str, *, lines: bool = False) -> str:
    """``text`` with every unsafe character written as ``\\uXXXX``; newlines and tabs
    are escaped too unless ``lines`` (text that is meant to span lines)."""
    pattern = _UNSAFE_LINES if lines else _UNSAFE_ANY
    return pattern.sub(_sub, text) if pattern.search(text) else text


def shown_path(path: str) -> str:
    """A path for a message line: escaped, and never starting with ``::``."""
    path = escape(path)
    return "./" + path if path.startswith("::") else path


def describe(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)`` for a character :data:`UNSAFE` matches."""
    name = BIDI_NAMES.get(char)
    return f"U+{ord(char):04X}" + (f" ({name})" if name else " (a control character)")


class EscapingStream:
    """A text stream that escapes what it writes (newlines and tabs kept)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(escape(text, lines=True))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._stream, name)
