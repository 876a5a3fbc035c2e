"""Write XLSX workbooks in memory: sheets of rows with headers, column widths, bold headers, wrapped
cells and merged header cells. Returns the file's bytes; nothing ever goes to the disk.

Why not openpyxl's writer: it writes every worksheet to a named file in the system temp folder
before zipping it (write-only mode too), so an export of personal data would sit there, however
briefly; keeping it in memory took subclassing its private ``ExcelWriter``/``WorksheetWriter``.
Without lxml it also spends ~30 µs per cell. This module writes the SpreadsheetML parts itself —
the same parts and cell form (inline strings) openpyxl writes and Excel opens — into a zip
archive over a ``BytesIO``. Rows pass through a deflate spool in memory, so memory stays near the
compressed size. openpyxl still reads files (the import, the tests).

Every text cell goes through ``platform_site.lib.spreadsheet.neutralise_cell`` after the
characters XML cannot hold are dropped, so a cell never starts with a formula prefix.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
import zipfile
import zlib
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import quoteattr

from .spreadsheet import neutralise_cell

Cell = str | int | float | Decimal | bool | dt.date | None

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767  # Excel refuses longer text (counted in UTF-16 code units)
MAX_TITLE_CHARS = 31
FONT_NAME = "游ゴシック"  # Japanese Excel's default body font
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# C0 controls other than tab and line ends, lone surrogates and the two non-characters: XML
# 1.0 cannot hold them (a U+000B pasted from Word used to make the whole export fail).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_RANGE = re.compile(r"[A-Z]{1,3}[1-9][0-9]*(:[A-Z]{1,3}[1-9][0-9]*)?")
_FLUSH_ROWS = 500
_UNSPOOL_BYTES = 1 << 20
_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed zip timestamps: the same rows give the same bytes

# cellXfs indexes in _STYLES
_PLAIN, _BOLD, _WRAP, _DATE = 0, 1, 2, 3
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug included)


@dataclass(frozen=True)
class Sheet:
    """One worksheet. ``headers`` are the rows above the data (frozen when ``freeze_headers``);
    ``widths`` the column widths in characters, from column A (None keeps Excel's default);
    ``merged`` ranges such as "F1:G1"; ``wrap`` wraps the data cells and aligns them top."""

    title: str
    rows: Iterable[Sequence[Cell]]
    headers: Sequence[Sequence[Cell]] = ()
    widths: Sequence[float | None] = ()
    bold_headers: bool = False
    wrap: bool = False
    merged: Sequence[str] = ()
    freeze_headers: bool = True


def write_xlsx(*sheets: Sheet) -> bytes:
    """The workbook as bytes. Raises ValueError for a bad title, range, value or size."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    _check_titles([s.title for s in sheets])
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _put(archive, "[Content_Types].xml", _content_types(len(sheets)))
        _put(archive, "_rels/.rels", _ROOT_RELS)
        _put(archive, "xl/workbook.xml", _workbook([s.title for s in sheets]))
        _put(archive, "xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        _put(archive, "xl/styles.xml", _STYLES)
        for number, sheet in enumerate(sheets, start=1):
            _write_sheet(archive, f"xl/worksheets/sheet{number}.xml", sheet)
    return buffer.getvalue()


def text_width(value: Cell) -> float:
    """A cell's width in Excel's character units: a CJK (wide) character counts two."""
    if value is None:
        return 0
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    longest = max(text.split("\n"), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in longest)


def fitted_widths(
    headers: Sequence[Cell], rows: Sequence[Sequence[Cell]], *, minimum: float = 6, maximum: float = 50
) -> list[float]:
    """Column widths that fit the header and the longest of the first rows, within bounds."""
    widths = []
    for index, header in enumerate(headers):
        longest = max([text_width(header), *(text_width(r[index]) for r in rows if index < len(r))])
        widths.append(min(maximum, max(minimum, longest + 2)))
    return widths


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- the worksheet ---


def _write_sheet(archive: zipfile.ZipFile, name: str, sheet: Sheet) -> None:
    """The rows go through a fast deflate spool in memory first: the <dimension> that leads the
    sheet (without it openpyxl's read-only mode, the import's, parses the sheet twice) is known
    only after the last row, and the spool keeps memory near the compressed size."""
    for ref in sheet.merged:
        if not _RANGE.fullmatch(ref):
            raise ValueError(f"not a cell range: {ref!r}")
    spool, chunks = zlib.compressobj(1), deque[bytes]()
    letters: list[str] = []
    parts: list[str] = []
    number = 0
    header_style = _BOLD if sheet.bold_headers else _PLAIN
    body_style = _WRAP if sheet.wrap else _PLAIN
    for style, rows in ((header_style, sheet.headers), (body_style, sheet.rows)):
        for row in rows:
            number += 1
            if number > MAX_ROWS:
                raise ValueError(f"more than {MAX_ROWS} rows")
            if len(row) > len(letters):
                if len(row) > MAX_COLUMNS:
                    raise ValueError(f"more than {MAX_COLUMNS} columns")
                letters += [column_letter(i) for i in range(len(letters) + 1, len(row) + 1)]
            parts.append(_row(number, row, letters, style))
            if len(parts) >= _FLUSH_ROWS:
                chunks.append(spool.compress("".join(parts).encode()))
                parts.clear()
    chunks.append(spool.compress("".join(parts).encode()))
    chunks.append(spool.flush())
    dimension = f"A1:{letters[-1]}{number}" if letters and number else "A1"
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w") as out:
        out.write(_sheet_top(sheet, dimension).encode())
        out.write(b"<sheetData>")
        unspool = zlib.decompressobj()
        while chunks:
            data = unspool.decompress(chunks.popleft(), _UNSPOOL_BYTES)
            while data:
                out.write(data)
                data = unspool.decompress(unspool.unconsumed_tail, _UNSPOOL_BYTES)
        tail = ["</sheetData>"]
        if sheet.merged:
            merged = "".join(f'<mergeCell ref="{ref}"/>' for ref in sheet.merged)
            tail.append(f'<mergeCells count="{len(sheet.merged)}">{merged}</mergeCells>')
        tail.append("</worksheet>")
        out.write("".join(tail).encode())


def _sheet_top(sheet: Sheet, dimension: str) -> str:
    top = [f'{_HEAD}<worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/>']
    frozen = len(sheet.headers) if sheet.freeze_headers else 0
    if frozen:
        cell = f"A{frozen + 1}"
        top.append(
            '<sheetViews><sheetView workbookViewId="0">'
            f'<pane ySplit="{frozen}" topLeftCell="{cell}" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="{cell}" sqref="{cell}"/>'
            "</sheetView></sheetViews>"
        )
    top.append('<sheetFormatPr defaultRowHeight="18.75"/>')
    cols = [
        f'<col min="{i}" max="{i}" width="{_number(float(w))}" customWidth="1"/>'
        for i, w in enumerate(sheet.widths, start=1)
        if w is not None
    ]
    if cols:
        top.append(f"<cols>{''.join(cols)}</cols>")
    return "".join(top)


def _row(number: int, row: Sequence[Cell], letters: list[str], style: int, clean: bool = False) -> str:
    styled = f' s="{style}"' if style else ""
    cells = []
    for index, value in enumerate(row):
        if value is None or value == "":
            continue
        ref = f"{letters[index]}{number}"
        if isinstance(value, str):
            cells.append(f'<c r="{ref}"{styled} t="inlineStr"><is>{_text(value, clean)}</is></c>')
            continue
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            # a real date cell: the serial day number, shown as yyyy-mm-dd (sorts and filters in Excel)
            cells.append(f'<c r="{ref}" s="{_DATE}"><v>{(value - _EXCEL_EPOCH).days}</v></c>')
            continue
        if isinstance(value, bool):
            kind, body = "b", "1" if value else "0"
        elif isinstance(value, int | float | Decimal):
            kind, body = "n", _number(value)
        else:
            raise ValueError(f"cannot write a {type(value).__name__} to a cell: format it as text first")
        cells.append(f'<c r="{ref}"{styled} t="{kind}"><v>{body}</v></c>')
    xml = f'<row r="{number}">{"".join(cells)}</row>'
    if not clean and _ILLEGAL.search(xml):  # rare: once per row is cheaper than once per cell
        return _row(number, row, letters, style, clean=True)
    return xml


def _text(value: str, clean: bool) -> str:
    """The <t> element: XML-safe, neutralised, at most MAX_CELL_CHARS, whitespace kept."""
    if clean:  # before neutralising: "\v=cmd" must become "'=cmd", not "=cmd"
        value = _ILLEGAL.sub("", value)
    value = str(neutralise_cell(value))
    if len(value) > MAX_CELL_CHARS // 2:  # shorter text cannot reach the limit, even in UTF-16
        value = _truncate(value)
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value != value.strip():
        return f'<t xml:space="preserve">{escaped}</t>'
    return f"<t>{escaped}</t>"


def _truncate(value: str) -> str:
    units = 0
    for index, char in enumerate(value):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > MAX_CELL_CHARS:
            return value[:index]
    return value


def _number(value: int | float | Decimal) -> str:
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise ValueError(f"cannot write {value} to a cell")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _check_titles(titles: list[str]) -> None:
    seen: set[str] = set()
    for title in titles:
        if (
            not title
            or len(title) > MAX_TITLE_CHARS
            or _BAD_TITLE.search(title)
            or _ILLEGAL.search(title)
            or title.startswith("'")
            or title.endswith("'")
        ):
            raise ValueError(f"not a sheet title Excel accepts: {title!r}")
        if title.casefold() in seen:
            raise ValueError(f"two sheets named {title!r}")
        seen.add(title.casefold())


# --- the package parts around the sheets ---

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_ROOT_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)

_FONT = f'<sz val="11"/><name val="{FONT_NAME}"/><family val="3"/><charset val="128"/>'
_TOP_WRAP = '<alignment vertical="top" wrapText="1"/>'
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    f"{_TOP_WRAP}</xf>"
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{sheets}</Types>"
    )


def _workbook(titles: list[str]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>' for n, title in enumerate(titles, 1)
    )
    return (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{sheets}</sheets></workbook>"
    )


def _workbook_rels(count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    styles = f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{sheets}{styles}</Relationships>'


def _put(archive: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, text.encode())
