"""Spreadsheets the tests make: OpenDocument (.ods) written as its XML, Excel 97-2003
(.xls) from the committed fixtures (tests/fixtures/make_xls.py made them)."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2"'
)

Cell = str | int | float | bool | date | tuple[str, str] | None  # ("error", "#N/A") etc.


def _cell(value: Cell, span: int = 1) -> str:
    attrs = f' table:number-columns-spanned="{span}"' if span > 1 else ""
    if value is None:
        return f"<table:table-cell{attrs}/>"
    if isinstance(value, bool):
        shown = "TRUE" if value else "FALSE"
        return (
            f'<table:table-cell{attrs} office:value-type="boolean" '
            f'office:boolean-value="{str(value).lower()}"><text:p>{shown}</text:p>'
            "</table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell{attrs} office:value-type="float" office:value="{value!r}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, date):
        return (
            f'<table:table-cell{attrs} office:value-type="date" '
            f'office:date-value="{value.isoformat()}"><text:p>{value}</text:p>'
            "</table:table-cell>"
        )
    if isinstance(value, tuple):
        kind, text = value
        if kind == "link":  # a hyperlink cell: the text is what shows
            return (
                f'<table:table-cell{attrs} office:value-type="string"><text:p>'
                f'<text:a xlink:href="mailto:{escape(text)}">{escape(text)}</text:a>'
                "</text:p></table:table-cell>"
            )
        # a formula whose cached result is an error (#N/A): LibreOffice writes the text
        return (
            f'<table:table-cell{attrs} table:formula="of:=NA()" office:value-type="string" '
            f'office:string-value=""><text:p>{escape(text)}</text:p></table:table-cell>'
        )
    return (
        f'<table:table-cell{attrs} office:value-type="string"><text:p>{escape(value)}</text:p>'
        "</table:table-cell>"
    )


def write_ods(
    path: Path,
    rows: Sequence[Sequence[Cell]],
    *,
    sheet: str = "Sheet1",
    spans: dict[tuple[int, int], int] | None = None,
    repeated_rows: int = 0,
) -> Path:
    """A minimal valid .ods: ``spans`` maps (row, col) (0-based) to a merged width (the
    covered cells are written as LibreOffice does); ``repeated_rows`` adds that many empty
    rows at the end in one element (LibreOffice pads every sheet like this)."""
    spans = spans or {}
    body = []
    for r, row in enumerate(rows):
        cells = []
        skip = 0
        for c, value in enumerate(row):
            if skip:
                skip -= 1
                cells.append("<table:covered-table-cell/>")
                continue
            span = spans.get((r, c), 1)
            skip = span - 1
            cells.append(_cell(value, span))
        body.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    if repeated_rows:
        body.append(
            f'<table:table-row table:number-rows-repeated="{repeated_rows}">'
            "<table:table-cell/></table:table-row>"
        )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<office:document-content {_NS}><office:body><office:spreadsheet>"
        f'<table:table table:name="{escape(sheet)}">{"".join(body)}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIME}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME)  # stored, first
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path
