"""Reading the tables Japanese offices send: CSV (UTF-8, with or without BOM, or CP932 as Excel
saves it, told apart without asking) and XLSX (first sheet, with a guard against zip bombs).

No models here; every import (registry, survey responses, events) starts with `read_table`.
A file that cannot be read raises `ImportRejected` with every reason in Japanese.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from django.utils.translation import gettext as _

from .spreadsheet import UndecodableFile, decode_csv_bytes

XLSX_MAX_UNPACKED = 200 * 1024 * 1024  # 10,000 organisations or 7,000 respondents unpack to a few MB


class ImportRejected(Exception):
    """The file cannot be imported; ``problems`` lists every reason, in Japanese, by row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(self.problems)


def xlsx_rows(data: bytes, sheet: str | None = None) -> tuple[list[list[Any]], str]:
    """Rows of the first sheet, or of the sheet titled ``sheet`` (no rows when there is none).
    Formulas are read as written (data_only=False) so they are refused rather than silently
    replaced by a cached value."""
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(item.file_size for item in archive.infolist())
    if unpacked > XLSX_MAX_UNPACKED:  # a "zip bomb": 20 MB that unpacks to gigabytes of rows
        raise ImportRejected(
            [
                _(
                    "Excel ファイルの中身が大きすぎます（展開後 %(mb)dMB まで）。行を分けるか CSV で保存してください。"
                )
                % {"mb": XLSX_MAX_UNPACKED // (1024 * 1024)}
            ]
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        if sheet is None:
            found = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            found = workbook[sheet]
        else:
            workbook.close()
            return [], "xlsx"
        rows = [list(r) for r in found.iter_rows(values_only=True)]
        workbook.close()
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected(
            [_("Excel ファイル（.xlsx）として読めません。ファイルが壊れていないか確かめてください。")]
        ) from exc
    return rows, "xlsx"


def sniff(data: bytes, filename: str) -> str:
    """ "xlsx" or "csv", told apart by content (then by name, to explain a fake .xlsx); refuses an
    empty file and the old binary .xls."""
    if not data or not data.strip(b" \r\n\t\xef\xbb\xbf"):
        raise ImportRejected([_("ファイルが空です。")])
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRejected(
            [_("古い Excel 形式（.xls）には対応していません。.xlsx か CSV で保存し直してください。")]
        )
    if zipfile.is_zipfile(io.BytesIO(data)):
        return "xlsx"
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportRejected(
            [_("拡張子は .xlsx ですが、Excel ファイルではありません。Excel で開いて保存し直してください。")]
        )
    return "csv"


def csv_rows(data: bytes) -> tuple[list[list[Any]], str]:
    """Rows of a CSV in UTF-8 (with or without BOM) or CP932, and the encoding found."""
    try:
        text, encoding = decode_csv_bytes(data)
    except UndecodableFile as exc:
        raise ImportRejected(
            [
                _(
                    "ファイルを読み取れません。CSV（UTF-8 または Shift_JIS/CP932）か Excel（.xlsx）で保存してください。"
                )
            ]
        ) from exc
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportRejected([_("CSV として読めません（%(error)s）。") % {"error": exc}]) from exc
    return rows, encoding


def read_table(data: bytes, filename: str) -> tuple[list[list[Any]], str]:
    """All rows (header first) of an XLSX or CSV file, told apart by content, then by name."""
    return xlsx_rows(data) if sniff(data, filename) == "xlsx" else csv_rows(data)
