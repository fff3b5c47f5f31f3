"""Near matches for an unknown actor or source ID: the IDs, names and aliases of the
registry that look most like it, so that a message can say "did you mean
`tolib-ortikov-t`, aka 'Tolib Ortiqov'?" before it suggests adding a new file (which
would make a duplicate actor).

The registry is read only when an unknown ID turns up, once per process and root.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from conflictdata.core import paths
from conflictdata.core.paths import RECORDS_DIR
from conflictdata.reader.yamlreader import YamlError, read

#: The fields that name an entry, per registry.
NAME_FIELDS = {"actor": ("name", "aliases"), "source": ("title",)}


def slug(text: str) -> str:
    """``'Tolib Ortiqov'`` -> ``'tolib-ortiqov'``: a name in the shape of an ID."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


@lru_cache(maxsize=8)
def names(root: str, registry: str) -> tuple[tuple[str, str, str], ...]:
    """(key to compare, entry ID, name or alias it came from) for every entry."""
    folder = Path(root) / RECORDS_DIR / paths.REGISTRIES[registry]
    out: list[tuple[str, str, str]] = []
    if not folder.is_dir():
        return ()
    for path in sorted(folder.glob("*/*.yaml")):
        entry_id = path.stem
        out.append((entry_id, entry_id, ""))
        try:
            data = read(path.read_bytes())
        except (OSError, YamlError):
            continue
        for name_field in NAME_FIELDS[registry]:
            value = data.get(name_field)
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str) and text.strip():
                    out.append((slug(text), entry_id, text))
    return tuple(out)


def _sorted(key: str) -> str:
    return "-".join(sorted(key.split("-")))


def near(root: Path | str, registry: str, unknown: str, n: int = 3) -> list[tuple[str, str]]:
    """Up to ``n`` (entry ID, the name or alias that matched, or "") most like
    ``unknown``, best first."""
    table = names(str(Path(root).resolve()), registry)
    keys: dict[str, list[tuple[str, str]]] = {}
    for key, entry_id, text in table:
        keys.setdefault(key, []).append((entry_id, text))
        keys.setdefault(_sorted(key), []).append((entry_id, text))  # "ortiqov tolib" too
    found: list[tuple[str, str]] = []
    query = slug(unknown)
    close = difflib.get_close_matches(query, list(keys), n=n * 2, cutoff=0.75)
    close += difflib.get_close_matches(_sorted(query), list(keys), n=n * 2, cutoff=0.75)
    for key in close:
        for entry_id, text in keys[key]:
            if entry_id not in (f for f, _ in found):
                found.append((entry_id, text))
    return found[:n]


def hint(root: Path | str | None, registry: str, unknown: str) -> str:
    """``did you mean `x`, aka 'X'?`` (empty when nothing is close, or no root is known)."""
    if root is None:
        return ""
    found = near(root, registry, unknown)
    if not found:
        return ""
    parts = [f"`{i}`" + (f", aka {t!r}" if t else "") for i, t in found]
    return "did you mean " + " or ".join(parts) + "? "
