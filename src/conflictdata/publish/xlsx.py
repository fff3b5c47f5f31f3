"""The release as one Excel workbook, written with XlsxWriter.

A ``README`` sheet first (title, data and schema versions, licence, citation, and what
each sheet holds), then one sheet per table, ``events`` first, with a header row.
Values keep their types: integers and numbers as numbers, booleans as TRUE/FALSE,
dates as dates shown ``yyyy-mm-dd``, missing values as empty cells. Text is always
written as text, never as a formula, a number or a link, and text that begins with a
character a spreadsheet reads as the start of a formula (``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) carries Excel's quote prefix, so that editing the cell does
not turn it into one either. No value is altered.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from conflictdata.core import atomic, metadata
from conflictdata.publish.export import prepare, read_descriptor, table_resources

#: What a spreadsheet may take for the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
README = "README"


def _citation(root: Path) -> str:
    from conflictdata.loader import citation, release

    cff = release.extra_file("CITATION.cff", None)
    for candidate in (Path(root) / "CITATION.cff", cff):
        if candidate is not None and candidate.is_file():
            try:
                return citation.apa(citation.read(candidate))
            except citation.CitationError:
                pass
    return f"{metadata.TITLE}. {metadata.HOMEPAGE}"


def workbook(root: Path, path: Path, events_only: bool = False) -> Path:
    """Write the release at ``root`` to the workbook ``path`` (replacing it)."""
    import xlsxwriter

    desc = read_descriptor(root, events_only)
    resources = table_resources(desc)
    path = prepare(path, folder=False)
    with atomic.Batch() as batch:  # written beside the old workbook, which it then replaces
        _write_book(xlsxwriter, str(batch.reserve(path)), root, desc, resources)
    return path


def _write_book(xlsxwriter, path: str, root: Path, desc: dict, resources: list[dict]) -> None:
    book = xlsxwriter.Workbook(
        path,
        {
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "constant_memory": True,
        },
    )
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    quoted = book.add_format({"quote_prefix": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})

    def text(sheet, r, c, value, fmt=None):
        if value.startswith(FORMULA_STARTS):
            sheet.write_string(r, c, value, quoted)
        elif fmt is not None:
            sheet.write_string(r, c, value, fmt)
        else:
            sheet.write_string(r, c, value)

    readme = book.add_worksheet(README)
    readme.set_column(0, 0, 22)
    readme.set_column(1, 1, 110)
    about = [
        ("Title", desc.get("title", metadata.TITLE)),
        ("Data version", desc.get("version", "")),
        ("Schema version", desc.get("schemaVersion", "")),
        ("Licence", f"{metadata.DATA_LICENSE['title']} ({metadata.DATA_LICENSE['path']})"),
        ("Cite as", _citation(root)),
        ("Homepage", desc.get("homepage", metadata.HOMEPAGE)),
        ("Description", desc.get("description", "")),
        (
            "Values",
            "Published exactly as curated; an empty cell is a missing value; NA is "
            "Namibia's country code. Text is stored as text, never as a formula.",
        ),
    ]
    for r, (key, value) in enumerate(about):
        readme.write_string(r, 0, key, bold)
        text(readme, r, 1, value, wrap)
    r = len(about) + 1
    readme.write_string(r, 0, "Sheet", bold)
    readme.write_string(r, 1, "What it holds", bold)
    for resource in resources:
        r += 1
        readme.write_string(r, 0, resource["name"])
        text(readme, r, 1, resource.get("description", ""), wrap)

    for resource in resources:
        fields = resource["schema"]["fields"]
        sheet = book.add_worksheet(resource["name"][:31])
        sheet.freeze_panes(1, 0)
        for c, field in enumerate(fields):
            sheet.write_string(0, c, field["name"], bold)
        types = [f["type"] for f in fields]
        with open(Path(root) / resource["path"], encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            next(reader)
            for r, row in enumerate(reader, 1):
                for c, (kind, value) in enumerate(zip(types, row, strict=True)):
                    if value == "":
                        continue
                    if kind == "integer":
                        sheet.write_number(r, c, int(value))
                    elif kind == "number":
                        sheet.write_number(r, c, float(value))
                    elif kind == "boolean":
                        sheet.write_boolean(r, c, value == "true")
                    elif kind == "date":
                        sheet.write_datetime(r, c, date.fromisoformat(value), day)
                    else:
                        text(sheet, r, c, value)
    book.close()
