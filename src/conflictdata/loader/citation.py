"""The citation of a release, from its ``CITATION.cff``: as CFF, BibTeX or APA text."""

from __future__ import annotations

import re
from pathlib import Path

FORMATS = ("apa", "bibtex", "cff")


class CitationError(ValueError):
    """A CITATION.cff that cannot be read or lacks what a citation needs."""


def read(path: Path) -> dict:
    """The citation as data. An installed wheel carries it read already, as
    ``CITATION.json`` beside ``CITATION.cff``; a checkout's is read with PyYAML (the
    ``validate`` extra)."""
    import json

    path = Path(path)
    as_json = path.with_suffix(".json")
    try:
        if as_json.is_file():
            data = json.loads(as_json.read_text(encoding="utf-8"))
        else:
            try:
                import yaml
            except ImportError:
                raise CitationError(
                    f"{path}: reading it needs PyYAML: pip install 'conflictdata[validate]'"
                ) from None
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as exc:
                raise CitationError(f"{path}: cannot read the citation: {exc}") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise CitationError(f"{path}: cannot read the citation: {exc}") from None
    if not isinstance(data, dict) or not data.get("title"):
        raise CitationError(f"{path}: no title in the citation file")
    return data


def _authors(cff: dict) -> list[str]:
    out = []
    for a in cff.get("authors") or []:
        if a.get("name"):
            out.append(a["name"])
        elif a.get("family-names"):
            given = a.get("given-names", "")
            out.append(f"{a['family-names']}, {given}".strip(", "))
    return out or ["conflictdata contributors"]


def _year(cff: dict) -> str:
    return str(cff.get("date-released", ""))[:4]


def _url(cff: dict) -> str:
    doi = cff.get("doi")
    return f"https://doi.org/{doi}" if doi else cff.get("url") or cff.get("repository-code", "")


def apa(cff: dict) -> str:
    """APA 7 style for a data set."""
    authors = _authors(cff)
    who = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + ", & " + authors[-1]
    year = _year(cff) or "n.d."
    version = f" (Version {cff['version']})" if cff.get("version") else ""
    return f"{who}. ({year}). {cff['title']}{version} [Data set]. {_url(cff)}".strip()


def _bib(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", str(text))


def bibtex(cff: dict) -> str:
    """A BibTeX ``@misc`` entry; the author is kept as one name in braces."""
    version = str(cff.get("version", ""))
    key = "conflictdata" + (f"_{re.sub(r'[^0-9A-Za-z]+', '_', version)}" if version else "")
    fields = [
        ("author", " and ".join("{" + _bib(a) + "}" for a in _authors(cff))),
        ("title", "{" + _bib(cff["title"]) + "}"),
        ("year", _year(cff)),
        ("version", _bib(version)),
        (
            "publisher",
            _bib(cff.get("publisher", {}).get("name", ""))
            if isinstance(cff.get("publisher"), dict)
            else "",
        ),
        ("url", _url(cff)),
        ("doi", cff.get("doi", "")),
        ("note", _bib(f"Data licence {cff['license']}") if cff.get("license") else ""),
    ]
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields if v)
    return f"@misc{{{key},\n{body}\n}}"


def render(path: Path, fmt: str) -> str:
    """The citation in ``fmt`` (apa, bibtex or cff)."""
    if fmt == "cff":
        return Path(path).read_text(encoding="utf-8").rstrip("\n")
    cff = read(path)
    return apa(cff) if fmt == "apa" else bibtex(cff)
