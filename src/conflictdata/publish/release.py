"""Making a data release: the committed ``datapackage.json`` and ``data/`` rebuilt from
the records, the data version bumped, and a section of ``CHANGELOG.md`` written.

The data version is stated once, as ``DATA_VERSION`` in
``src/conflictdata/core/metadata.py``; the release rewrites that line (and the version
and date in ``CITATION.cff``), and the build writes it into ``datapackage.json`` and
``data/records.json``. Versions are calendar versions ``YYYY.MM.N``: the next release
in the month of the last one is ``N + 1``, the first of a new month ``YYYY.MM.0``.

The previous release is the committed ``data/records.json``: the changelog lists what
changed since then. A release is refused when a record has a problem, when a quote
does not occur in its archived source text (or a source has no text and does not say
why), or when a record ID of the previous release is gone without a tombstone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from conflictdata.core import atomic
from conflictdata.core.paths import RECORDS_DIR, pending_files
from conflictdata.publish import build, changelog
from conflictdata.validation.problems import Problem
from conflictdata.validation.quotes import Archive, check_tree

#: Where the data version is stated, relative to the repository root.
VERSION_FILE = "src/conflictdata/core/metadata.py"
CITATION = "CITATION.cff"
_VERSION_LINE = re.compile(r'^DATA_VERSION = "([0-9]{4}\.[0-9]{2}\.[0-9]+)"$', re.MULTILINE)
_VERSION = re.compile(r"^([0-9]{4})\.([0-9]{2})\.([0-9]+)$")


class ReleaseError(Exception):
    """The release cannot be made; the message says why."""


@dataclass
class Release:
    """A release ready to be written: every file (path from the root -> bytes)."""

    version: str
    previous: str
    changes: changelog.Changes
    files: dict[str, bytes]
    problems: list[Problem] = field(default_factory=list)


def next_version(current: str, today: date) -> str:
    """The version after ``current`` for a release made on ``today``."""
    m = _VERSION.match(current)
    if not m:
        raise ReleaseError(f"the current data version {current!r} is not YYYY.MM.N")
    year, month, n = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if (today.year, today.month) == (year, month):
        return f"{year:04d}.{month:02d}.{n + 1}"
    if (today.year, today.month) < (year, month):
        raise ReleaseError(f"the release date {today} is before the current version {current}")
    return f"{today.year:04d}.{today.month:02d}.0"


def current_version(root: Path) -> str:
    path = root / VERSION_FILE
    try:
        m = _VERSION_LINE.search(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReleaseError(f"cannot read {VERSION_FILE}: {exc.strerror}") from None
    if not m:
        raise ReleaseError(f'{VERSION_FILE} has no line DATA_VERSION = "YYYY.MM.N"')
    return m.group(1)


def previous_release(root: Path) -> dict:
    """The committed release's ``data/records.json``."""
    path = root / build.DATA_DIR / build.RECORDS_JSON
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise ReleaseError(
            f"no previous release at {build.DATA_DIR}/{build.RECORDS_JSON}: cannot tell what changed"
        ) from None
    except ValueError as exc:
        raise ReleaseError(f"{build.DATA_DIR}/{build.RECORDS_JSON} is not JSON: {exc}") from None


def _citation(text: str, version: str, day: str) -> str:
    text = re.sub(r"^version: .*$", f'version: "{version}"', text, count=1, flags=re.MULTILINE)
    return re.sub(
        r"^date-released: .*$", f'date-released: "{day}"', text, count=1, flags=re.MULTILINE
    )


def prepare(root: Path | str, archive: Archive, today: date, jobs: int | None = None) -> Release:
    """Everything the release writes, or the problems that stop it (``files`` empty)."""
    root = Path(root)
    pending = pending_files(root / RECORDS_DIR)
    if pending:
        raise ReleaseError(
            f"{len(pending)} record(s) still have a placeholder ID ({', '.join(pending[:3])}"
            f"{', ...' if len(pending) > 3 else ''}); run 'conflictdata assign-ids' and commit "
            "the result first: a placeholder is never published"
        )
    current = current_version(root)
    old = previous_release(root)
    if old.get("version") != current:
        raise ReleaseError(
            f"the committed release is {old.get('version')!r} but {VERSION_FILE} says {current!r}"
        )
    version = next_version(current, today)
    if not archive.available:
        raise ReleaseError(
            f"the archive of source texts {archive.folder} does not exist; a release checks "
            "every quote against it"
        )
    report, outputs = build.produce(root, jobs=jobs, archive=archive, version=version)
    empty = changelog.Changes(changelog.Group(), changelog.Group(), changelog.Group(), [], {})
    if outputs is None:
        return Release(version, current, empty, {}, list(report.problems))
    quotes = check_tree(root, archive)
    if quotes.problems:
        return Release(version, current, empty, {}, list(quotes.problems))
    new = json.loads(outputs[f"{build.DATA_DIR}/{build.RECORDS_JSON}"])
    changes = changelog.diff(old, new)
    if changes.lost:
        raise ReleaseError(
            "record ID(s) of release "
            + current
            + " are gone without a tombstone in records/withdrawn.yaml: "
            + ", ".join(changes.lost)
        )
    log_path = root / changelog.FILE
    log = log_path.read_text(encoding="utf-8") if log_path.is_file() else None
    notes = changelog.unreleased_notes(log or "")
    if not changes and not notes:
        # The same records, but the tables may differ still (a change to the code).
        unchanged = all(
            (root / rel).is_file()
            and build.same_release_file(
                rel, (root / rel).read_bytes(), data.replace(version.encode(), current.encode())
            )
            for rel, data in outputs.items()
        )
        if unchanged:
            raise ReleaseError(
                f"nothing to release: the records are those of {current} and "
                f"{changelog.FILE} has no notes under '{changelog.UNRELEASED}'"
            )
    day = today.isoformat()
    files = dict(outputs)
    files[changelog.FILE] = changelog.update(
        log, changelog.section(version, day, changes, notes)
    ).encode("utf-8")
    version_file = (root / VERSION_FILE).read_text(encoding="utf-8")
    files[VERSION_FILE] = _VERSION_LINE.sub(
        f'DATA_VERSION = "{version}"', version_file, count=1
    ).encode("utf-8")
    if (root / CITATION).is_file():
        files[CITATION] = _citation(
            (root / CITATION).read_text(encoding="utf-8"), version, day
        ).encode("utf-8")
    return Release(version, current, changes, files)


def write(root: Path | str, release: Release) -> list[str]:
    """Write the release into the checkout; the built files through
    :func:`conflictdata.publish.build.write` (which also removes tables no longer made)."""
    root = Path(root)
    built = {
        k: v
        for k, v in release.files.items()
        if k == build.DESCRIPTOR or k.startswith(build.DATA_DIR + "/")
    }
    written, _ = build.write(root, built)
    for rel, data in release.files.items():
        if rel in built:
            continue
        path = root / rel
        if path.is_file() and path.read_bytes() == data:
            continue
        atomic.write_bytes(path, data)
        written.append(rel)
    return sorted(written)


def check(root: Path | str) -> list[str]:
    """What is inconsistent in the committed release: every place that states the data
    version (``VERSION_FILE``, ``datapackage.json``, ``data/records.json``,
    ``CITATION.cff``, the newest section of ``CHANGELOG.md``) must state the same one."""
    root = Path(root)
    problems = []
    try:
        version = current_version(root)
    except ReleaseError as exc:
        return [str(exc)]
    stated: dict[str, str | None] = {}
    for rel in (build.DESCRIPTOR, f"{build.DATA_DIR}/{build.RECORDS_JSON}"):
        try:
            stated[rel] = json.loads((root / rel).read_text(encoding="utf-8")).get("version")
        except (OSError, ValueError) as exc:
            problems.append(f"{rel}: cannot read it: {exc}")
    if (root / CITATION).is_file():
        m = re.search(
            r'^version: "?([^"\n]+)"?$', (root / CITATION).read_text(encoding="utf-8"), re.M
        )
        stated[CITATION] = m.group(1) if m else None
    log = root / changelog.FILE
    stated[changelog.FILE] = (
        changelog.latest_version(log.read_text(encoding="utf-8")) if log.is_file() else None
    )
    for rel, value in stated.items():
        if value != version:
            problems.append(f"{rel}: states version {value!r}, but {VERSION_FILE} says {version!r}")
    return problems
