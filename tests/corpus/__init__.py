"""A corpus of malformed uploads, built in code: small files stated byte for byte, big ones
generated (a few hundred KB at most, with the limits lowered by the tests that need more).

`MALFORMED` maps a name to (file name, bytes, a phrase of the Japanese message that refuses it).
Every import screen (registry, survey responses, resource survey, events) is fed every file in
tests/test_malformed_corpus.py: each is refused with that message and nothing is saved.
`sheet_xml_xlsx` builds an .xlsx around any sheet XML, for rows openpyxl's writer would not make
(inline strings, a lying <dimension>, gaps of a million rows).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def inline_row(line: int, values: Iterable[str]) -> str:
    cells = "".join(
        f'<c r="{column_letter(i)}{line}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values)
    )
    return f'<row r="{line}">{cells}</row>'


def sheet_xml_xlsx(rows_xml: Iterable[str], *, dimension: str = "") -> bytes:
    """An .xlsx whose first sheet is exactly these <row> elements (streamed into the archive)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(SHEET_HEAD.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for row in rows_xml:
                sheet.write(row.encode())
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def tiny_rows_xlsx(header: list[str], count: int, value: str = "x") -> bytes:
    """The header, then ``count`` rows of one tiny inline cell: compresses about 300 to 1."""
    return sheet_xml_xlsx([inline_row(1, header), *(inline_row(n, [value]) for n in range(2, count + 2))])


def _zip_member_lies() -> bytes:
    """A zip whose directory says the sheet is tiny: zipfile stops at the declared size."""
    data = bytearray(sheet_xml_xlsx([inline_row(1, ["団体名"]), inline_row(2, ["あ" * 200])]))
    return bytes(data[: len(data) // 2])  # truncated: the central directory is gone


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    return buffer.getvalue()


MALFORMED: dict[str, tuple[str, bytes, str]] = {
    "empty": ("m.csv", b"", "空です"),  # the upload field refuses it first, in its own words
    "only BOMs and blanks": ("m.csv", b"\xef\xbb\xbf\xef\xbb\xbf \r\n\r\n", "ファイルが空です"),
    "old xls": ("m.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "古い Excel 形式"),
    "csv named xlsx": ("m.xlsx", "団体名\r\nあ\r\n".encode(), "Excel ファイルではありません"),
    "binary garbage": ("m.csv", bytes(range(256)) * 4, "ファイルを読み取れません"),
    "utf-16": ("m.csv", "団体名\r\nあ\r\n".encode("utf-16"), "ファイルを読み取れません"),
    "BOM then invalid UTF-8": ("m.csv", b"\xef\xbb\xbf\xe5\x9b\xa3\xff\xfe,\r\n", "ファイルを読み取れません"),
    "truncated xlsx": ("m.xlsx", _zip_member_lies(), "Excel ファイル"),
    "zip that is no workbook": (
        "m.xlsx",
        _zip_without_workbook(),
        "Excel ファイル（.xlsx）として読めません",
    ),
    "unclosed quote with NUL": ("m.csv", b'"\x00abc', "ファイルを読み取れません"),
    "cell over the csv field limit": (
        "m.csv",
        ("団体名\r\n" + "あ" * 140_000 + "\r\n").encode(),
        "2行目: セルの文字が多すぎます",
    ),
    "million-row gap": (
        "m.xlsx",
        sheet_xml_xlsx([inline_row(1, ["団体名"]), inline_row(1_048_576, ["あ"])]),
        "行が多すぎます",
    ),
}
