"""Which release a reading command reads, and what it says about itself.

A reading command (``stats``, ``export``, ``cite``, ``--version``) works on the release
installed with the package when there is no checkout, and says which release it read.
The release folder holds ``datapackage.json`` and ``data/``; an installed wheel also
carries the project's ``CITATION.cff`` and ``CHANGELOG.md`` beside them.
"""

from __future__ import annotations

import json
from pathlib import Path

from conflictdata.loader.dataset import DESCRIPTOR, ReleaseNotFound, _release_dir, bundled_release

#: Files of the project that travel with the release in the wheel.
EXTRA_FILES = ("CITATION.cff", "CHANGELOG.md")


def find(root: Path | str | None = None) -> Path:
    """The release folder: the bundled one, or the checkout or package at ``root``."""
    return bundled_release() if root is None else _release_dir(root)


def descriptor(release: Path) -> dict:
    with open(Path(release) / DESCRIPTOR, encoding="utf-8") as f:
        return json.load(f)


def describe(release: Path, bundled: bool) -> str:
    """One line naming the release: its data and schema versions and where it is."""
    desc = descriptor(release)
    where = "installed with the package, at" if bundled else "at"
    return (
        f"release {desc.get('version', '?')} (schema {desc.get('schemaVersion', '?')}) "
        f"{where} {release}"
    )


def versions() -> dict[str, str]:
    """The package's version, and the data and schema versions of the release it
    carries (the code's own when no release is bundled)."""
    from conflictdata import __version__
    from conflictdata.core import metadata

    out = {"package": __version__, "data": metadata.DATA_VERSION, "schema": ""}
    try:
        desc = descriptor(bundled_release())
        out["data"] = desc.get("version", out["data"])
        out["schema"] = desc.get("schemaVersion", "")
    except (ReleaseNotFound, OSError, ValueError):
        pass
    if not out["schema"]:
        from conflictdata.model.models import SCHEMA_VERSION

        out["schema"] = SCHEMA_VERSION
    return out


def extra_file(name: str, root: Path | str | None = None) -> Path | None:
    """``CITATION.cff`` or ``CHANGELOG.md`` of the release: beside the bundled release
    in an installed wheel, or at the root of a checkout; None when there is none."""
    candidates = []
    if root is not None:
        candidates.append(Path(root) / name)
    else:
        try:
            candidates.append(bundled_release() / name)
        except ReleaseNotFound:
            pass
        candidates.append(Path(__file__).resolve().parents[3] / name)  # a checkout
    return next((p for p in candidates if p.is_file()), None)
