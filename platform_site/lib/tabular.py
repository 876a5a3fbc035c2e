"""Reading the tables Japanese offices send: CSV (UTF-8, with or without BOM, or CP932 as Excel
saves it, told apart without asking) and XLSX (first sheet, with a guard against zip bombs).

No models here; every import (registry, survey responses, events) starts with `read_table`.
A file that cannot be read raises `ImportRejected` with every reason in Japanese.

What a file may hold is bounded before and while it is read (`Limits`, from the settings
``IMPORT_MAX_*``, see docs/import-export.md): the bytes an .xlsx unpacks to, the rows with data,
the cells, the characters of one cell, and the seconds spent reading. The sheet is read as a
stream and reading stops at the first limit passed, so a small file that unpacks to millions of
rows is refused in a moment, with bounded memory. The rows of an .xlsx are read to the last one
present, whatever its ``<dimension>`` says. What is reported is bounded too: `ImportRejected`
and the import results keep the first ``IMPORT_MAX_PROBLEMS`` problems and count the rest
(`ProblemList`).
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from .spreadsheet import UndecodableFile, decode_csv_bytes

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one uploaded table may hold; the defaults fit 10,000 organisations or 20,000
    respondents with room to spare (a 10,000-row registry unpacks to a few MB)."""

    unpacked_bytes: int = 50 * MB
    rows: int = 20_000
    cells: int = 2_000_000
    cell_chars: int = 32_767  # Excel's own limit for one cell
    seconds: float = 60.0
    problems: int = 200

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            unpacked_bytes=int(getattr(settings, "IMPORT_MAX_UNPACKED_MB", 50) * MB),
            rows=getattr(settings, "IMPORT_MAX_ROWS", cls.rows),
            cells=getattr(settings, "IMPORT_MAX_CELLS", cls.cells),
            cell_chars=getattr(settings, "IMPORT_MAX_CELL_CHARS", cls.cell_chars),
            seconds=getattr(settings, "IMPORT_MAX_SECONDS", cls.seconds),
            problems=getattr(settings, "IMPORT_MAX_PROBLEMS", cls.problems),
        )


class ProblemList(list[str]):
    """The first problems (``Limits.problems`` of them) and how many more there were."""

    def __init__(self, problems: Iterable[str] = (), *, limit: int | None = None) -> None:
        limit = Limits.from_settings().problems if limit is None else limit
        everything = list(problems)
        super().__init__(everything[:limit])
        self.total: int = problems.total if isinstance(problems, ProblemList) else len(everything)
        self.more: int = self.total - len(self)


def capped(problems: Iterable[str]) -> ProblemList:
    return problems if isinstance(problems, ProblemList) else ProblemList(problems)


class ImportRejected(Exception):
    """The file cannot be imported; ``problems`` lists the reasons, in Japanese, by row (the
    first ``IMPORT_MAX_PROBLEMS`` of them; ``problems.more`` counts the rest)."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = capped(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        tail = [more_problems_text(self.problems.more)] if self.problems.more else []
        return "\n".join([*self.problems, *tail])


def more_problems_text(count: int) -> str:
    return _("ほかに %(count)s 件の問題があります（最初の %(shown)s 件だけを表示しています）。") % {
        "count": f"{count:,}",
        "shown": f"{Limits.from_settings().problems:,}",
    }


class _Reading:
    """Counts cells and lines as a table is read, and the time; refuses past a limit."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.cells = 0
        self.deadline = time.monotonic() + limits.seconds

    def take(self, row: Sequence[Any], line: int) -> list[Any]:
        self.cells += len(row)
        if self.cells > self.limits.cells:
            raise ImportRejected(
                [
                    _("セルが多すぎます（%(max)s 個まで）。列や行を減らすか、ファイルを分けてください。")
                    % {"max": f"{self.limits.cells:,}"}
                ]
            )
        for value in row:
            if isinstance(value, str) and len(value) > self.limits.cell_chars:
                raise ImportRejected([cell_too_long(line, self.limits.cell_chars)])
        if line > self.limits.rows + 1 and any(value not in (None, "") for value in row):
            raise ImportRejected(  # the header is line 1; blank lines count, as Excel numbers them
                [
                    _("行が多すぎます（見出しのほか %(max)s 行まで）。ファイルを分けてください。")
                    % {"max": f"{self.limits.rows:,}"}
                ]
            )
        if line % 1000 == 0:
            self.check_time()
        return list(row)

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise ImportRejected(
                [
                    _("ファイルの読み込みに時間がかかりすぎます（%(s)d秒まで）。ファイルを分けてください。")
                    % {"s": self.limits.seconds}
                ]
            )


def cell_too_long(line: int, limit: int) -> str:
    return _("%(line)d行目: セルの文字が多すぎます（1つのセルに %(max)s 文字まで）。") % {
        "line": line,
        "max": f"{limit:,}",
    }


def _without_trailing_blanks(rows: Iterator[list[Any]]) -> list[list[Any]]:
    """The rows, blank lines kept between rows with data but not after the last one (Excel
    often writes thousands of formatted, empty rows at the end of a sheet): a run of blank lines
    is only counted until a row with data follows it."""
    kept: list[list[Any]] = []
    blanks = 0
    for row in rows:
        if any(value not in (None, "") for value in row):
            kept += [[] for _blank in range(blanks)]
            blanks = 0
            kept.append(row)
        else:
            blanks += 1
    return kept


def xlsx_rows(
    data: bytes, limits: Limits | None = None, sheet: str | None = None
) -> tuple[list[list[Any]], str]:
    """Rows of the first sheet, or of the sheet titled ``sheet`` (no rows when there is none),
    every row present (the sheet's ``<dimension>`` is not trusted).
    Formulas are read as written (data_only=False) so they are refused rather than silently
    replaced by a cached value."""
    from openpyxl import load_workbook

    limits = limits or Limits.from_settings()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        # the sizes in the archive's directory bound what is unpacked: Python's zipfile stops
        # (and fails) at the size an entry declares
        unpacked = sum(item.file_size for item in archive.infolist())
    if unpacked > limits.unpacked_bytes:  # a "zip bomb": 20 MB that unpacks to gigabytes of rows
        raise ImportRejected(
            [
                _(
                    "Excel ファイルの中身が大きすぎます（展開後 %(mb)dMB まで）。行を分けるか CSV で保存してください。"
                )
                % {"mb": limits.unpacked_bytes // MB}
            ]
        )
    reading = _Reading(limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            if sheet is None:
                found = workbook.worksheets[0]
            elif sheet in workbook.sheetnames:
                found = workbook[sheet]
            else:
                return [], "xlsx"
            reset = getattr(found, "reset_dimensions", None)
            if reset:  # read to the last row and column present, not to what <dimension> claims
                reset()
            rows = _without_trailing_blanks(
                reading.take(row, line) for line, row in enumerate(found.iter_rows(values_only=True), 1)
            )
        finally:
            workbook.close()
    except ImportRejected:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected(
            [_("Excel ファイル（.xlsx）として読めません。ファイルが壊れていないか確かめてください。")]
        ) from exc
    reading.check_time()
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


def csv_rows(data: bytes, limits: Limits | None = None) -> tuple[list[list[Any]], str]:
    """Rows of a CSV in UTF-8 (with or without BOM, even twice) or CP932, and the encoding found."""
    limits = limits or Limits.from_settings()
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
    reader = csv.reader(io.StringIO(text, newline=""))
    reading = _Reading(limits)
    rows: list[list[Any]] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise ImportRejected([cell_too_long(len(rows) + 1, limits.cell_chars)]) from exc
            raise ImportRejected(
                [
                    _('%(line)d行目: CSV として読めません（引用符 " の閉じ忘れなど）。')
                    % {"line": len(rows) + 1}
                ]
            ) from exc
        rows.append(reading.take(row, len(rows) + 1))
    reading.check_time()
    return _without_trailing_blanks(iter(rows)), encoding


def read_table(data: bytes, filename: str) -> tuple[list[list[Any]], str]:
    """All rows (header first) of an XLSX or CSV file, told apart by content, then by name."""
    return xlsx_rows(data) if sniff(data, filename) == "xlsx" else csv_rows(data)
