"""Every quote checked word for word against the archived text of its source.

The archive of source texts lives outside the repository (the texts are their
publishers'): one UTF-8 file per source, named after the source's ID,
``<archive>/<source-id>.txt``. Its folder is, in order of precedence, the ``--archive``
option, the ``CONFLICTDATA_ARCHIVE`` environment variable, or ``../shared/sources/``
beside the repository root (:func:`archive_dir`).

A quote passes when it occurs in its source's text with only whitespace and typographic
quotation marks and apostrophes differing (:func:`normalise`). A source without an
archived text fails unless its source record says why none can exist
(``archive: {status: unavailable, reason: ...}``); its quotes are then published as not
verified. The build records, per claim, whether the quote was verified and against
which copy (the SHA-256 of the archived file): :meth:`Archive.verdict`.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from conflictdata.core.paths import RECORDS_DIR, classify, display_record_path, entry_id, list_files
from conflictdata.core.safeio import read_plain
from conflictdata.reader.yamlreader import MAX_BYTES, YamlError, locator, read
from conflictdata.validation import codes
from conflictdata.validation.problems import Problem

#: The environment variable that sets the archive folder.
ENV = "CONFLICTDATA_ARCHIVE"
#: The default archive folder, relative to the repository root.
DEFAULT = Path("..") / "shared" / "sources"
#: The archived text of a source: ``<archive>/<source-id><SUFFIX>``.
SUFFIX = ".txt"
#: How much of the quote and of the text a difference shows on each side.
EXCERPT = 30
#: Marks, in the excerpts of a difference, where the quote and the text part.
MARK = "▶"

_TYPOGRAPHIC = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_SPACE = re.compile(r"\s+")


def archive_dir(root: Path | str, override: Path | str | None = None) -> Path:
    """The archive folder: ``override`` (the ``--archive`` option), else the
    ``CONFLICTDATA_ARCHIVE`` environment variable, else ``../shared/sources`` beside the
    repository root. A relative option or variable is relative to the working folder."""
    if override:
        return Path(override)
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    return Path(os.path.normpath(Path(root).absolute() / DEFAULT))


def normalise(text: str) -> str:
    """Collapse whitespace and straighten typographic quotes; nothing else."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


def _normalise_mapped(text: str) -> tuple[str, list[int]]:
    """:func:`normalise` with, for each character of the result, its offset in ``text``."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text.translate(_TYPOGRAPHIC)):
        if ch.isspace():
            space = bool(out)
            continue
        if space:
            out.append(" ")
            where.append(i - 1)
            space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where


@dataclass
class Text:
    """One archived text: its file, its SHA-256 and its normalised form."""

    path: Path
    sha256: str
    raw: str
    normal: str
    offsets: list[int]

    def line_of(self, normal_offset: int) -> int:
        """The 1-based line in the file of a position in the normalised text."""
        if not self.offsets:
            return 1
        i = self.offsets[min(normal_offset, len(self.offsets) - 1)]
        return self.raw.count("\n", 0, i) + 1


@dataclass
class Difference:
    """Where a quote first departs from the archived text."""

    matched: int  # characters of the normalised quote that occur in the text
    quote_excerpt: str
    text_excerpt: str
    text_line: int

    def message(self, source_file: str) -> str:
        if self.matched == 0:
            return (
                f"the quote does not occur in {source_file}: not even its start "
                f"«{self.quote_excerpt}» is in the text"
            )
        return (
            f"the quote does not occur word for word in {source_file}: after "
            f"{self.matched} matching character(s) (at {MARK}) the quote has «{self.quote_excerpt}» "
            f"where the text (line {self.text_line}) has «{self.text_excerpt}»"
        )


def first_difference(quote: str, text: Text) -> Difference | None:
    """None when the quote occurs in the text; else where it first differs: the longest
    start of the quote that occurs in the text, and what follows it on each side."""
    q = normalise(quote)
    if q in text.normal:
        return None
    low, high = 0, len(q)  # the start of length ``low`` occurs, ``high + 1`` does not
    while low < high:
        mid = (low + high + 1) // 2
        if q[:mid] in text.normal:
            low = mid
        else:
            high = mid - 1
    back = max(0, low - EXCERPT)
    quote_excerpt = (
        ("…" if back else "")
        + q[back:low]
        + MARK
        + q[low : low + EXCERPT]
        + ("…" if low + EXCERPT < len(q) else "")
    )
    if low == 0:
        return Difference(0, quote_excerpt, "", 1)
    at = text.normal.index(q[:low]) + low
    start = max(0, at - EXCERPT)
    text_excerpt = (
        ("…" if start else "")
        + text.normal[start:at]
        + MARK
        + text.normal[at : at + EXCERPT]
        + ("…" if at + EXCERPT < len(text.normal) else "")
    )
    return Difference(low, quote_excerpt, text_excerpt, text.line_of(at))


class Archive:
    """The archived texts in one folder, each read and hashed once, on first use."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self._texts: dict[str, Text | None] = {}

    @property
    def available(self) -> bool:
        return self.folder.is_dir()

    def path_of(self, source_id: str) -> Path:
        return self.folder / f"{source_id}{SUFFIX}"

    def text(self, source_id: str) -> Text | None:
        """The archived text of a source, or None when there is none."""
        if source_id not in self._texts:
            path = self.path_of(source_id)
            try:
                data = read_plain(path)  # never a FIFO to wait on, never through a link
            except OSError:
                self._texts[source_id] = None
            else:
                raw = data.decode("utf-8", errors="replace")
                normal, offsets = _normalise_mapped(raw)
                self._texts[source_id] = Text(
                    path, hashlib.sha256(data).hexdigest(), raw, normal, offsets
                )
        return self._texts[source_id]

    def verdict(self, source_id: str, quote: str) -> tuple[bool | None, str | None]:
        """(verified, SHA-256 of the copy checked against) for one claim's quote:
        (True, hash) when it occurs in the archived text, (False, hash) when it does not,
        (False, None) when the source has no archived text, and (None, None) when the
        archive folder is not available, so nothing could be checked."""
        if not self.available:
            return None, None
        text = self.text(source_id)
        if text is None:
            return False, None
        return normalise(quote) in text.normal, text.sha256


# --- Checking a tree --------------------------------------------------------------------------


@dataclass
class QuoteReport:
    """The outcome of checking every quote in a tree."""

    problems: list[Problem] = field(default_factory=list)
    quotes: int = 0  # quotes checked against a text
    verified: int = 0
    unavailable: int = 0  # quotes of sources that say no text can be archived
    unchecked: int = 0  # quotes of sources without an archived text (each a problem)
    files: int = 0


def _unavailable(source: dict) -> bool:
    archive = source.get("archive")
    return isinstance(archive, dict) and archive.get("status") == "unavailable"


def _read(root: Path, relpath: str) -> tuple[str, dict | None, str | None]:
    path = root / RECORDS_DIR / relpath
    try:  # a link, a FIFO or an oversized file is refused unread
        text = read_plain(path, MAX_BYTES).decode("utf-8")
        data = read(text)
    except (OSError, UnicodeDecodeError, YamlError) as exc:
        return "", None, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text, data if isinstance(data, dict) else None, None


def check_tree(root: Path | str, archive: Archive) -> QuoteReport:
    """Check every quote of every record under ``root/records`` against ``archive``, and
    that every source has an archived text or says why none can exist."""
    root = Path(root)
    report = QuoteReport()
    records = root / RECORDS_DIR
    files = list_files(records) if records.is_dir() else []
    sources: dict[str, dict] = {}
    record_files: list[str] = []
    for rel in files:
        what, _ = classify(rel)
        if not rel.endswith(".yaml"):
            continue
        if what == "source":
            report.files += 1
            _, data, error = _read(root, rel)
            shown = display_record_path(root, rel)
            if data is None:
                report.problems.append(
                    Problem(shown, 1, 1, "", f"cannot read the source: {error}", codes.YAML)
                )
                continue
            sources[data.get("id") or entry_id(rel)] = data
            if not _unavailable(data) and archive.text(entry_id(rel)) is None:
                report.problems.append(
                    Problem(
                        shown,
                        1,
                        1,
                        "archive",
                        f"no archived text of this source at {archive.path_of(entry_id(rel))}; "
                        "add the text there (see CONTRIBUTING.md), or, if no copy can exist, "
                        "say why with archive: {status: unavailable, reason: ...}",
                        codes.QUOTE_ARCHIVE,
                    )
                )
        elif what == "record":
            record_files.append(rel)
    for rel in record_files:
        report.files += 1
        text, data, error = _read(root, rel)
        shown = display_record_path(root, rel)
        if data is None:
            report.problems.append(
                Problem(shown, 1, 1, "", f"cannot read the record: {error}", codes.YAML)
            )
            continue
        claims = data.get("claims")
        if not isinstance(claims, list):
            continue
        where = None
        for i, claim in enumerate(claims):
            if not isinstance(claim, dict):
                continue
            quote, source_id = claim.get("quote"), claim.get("source")
            if not isinstance(quote, str) or not isinstance(source_id, str):
                continue  # the validator reports a missing quote or source
            source = sources.get(source_id)
            if source is not None and _unavailable(source):
                report.unavailable += 1
                continue
            archived = archive.text(source_id)
            if archived is None:
                report.unchecked += 1
                if source is None:  # else the source's own problem says it has no text
                    where = where or locator(text)
                    line, col = where(("claims", i, "quote"))
                    message = (
                        f"the quote cannot be checked: source '{source_id}' does not exist in "
                        f"records/sources/ and has no archived text at {archive.path_of(source_id)}"
                    )
                    report.problems.append(
                        Problem(shown, line, col, f"claims[{i}].quote", message, codes.QUOTE)
                    )
                continue
            report.quotes += 1
            difference = first_difference(quote, archived)
            if difference is None:
                report.verified += 1
                continue
            where = where or locator(text)
            line, col = where(("claims", i, "quote"))
            report.problems.append(
                Problem(
                    shown,
                    line,
                    col,
                    f"claims[{i}].quote",
                    difference.message(f"{source_id}{SUFFIX}"),
                    codes.QUOTE,
                )
            )
    report.problems.sort()
    return report
