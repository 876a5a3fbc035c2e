"""django-import-export formats for the files Japanese offices send and open.

The library's own CSV format decodes with one fixed encoding (the admin: UTF-8) and its XLSX
format reads formula cells as their cached results (`data_only=True`) with no size guard. These
formats keep the library's interface (`create_dataset`, `export_data`, so a Resource or the admin
uses them as any other) and do the reading and writing our way:

- CSV reads UTF-8 (with or without BOM) or CP932 as Excel saves it, told apart without asking
  (`platform_site.lib.tabular.csv_rows`), and writes UTF-8 with a BOM, CRLF line ends and every
  field quoted, so Excel opens it as it is;
- XLSX reads the first sheet with the zip-bomb guard, formulas as written so that an import can
  refuse them (`platform_site.lib.tabular.xlsx_rows`);
- XLSX is written in memory (`platform_site.lib.xlsx`), never through the temp folder;
- on export every text cell is neutralised (`platform_site.lib.spreadsheet.neutralise_cell`).

Both are binary (bytes in, bytes out): the encoding is ours to find and to write.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from import_export.formats import base_formats
from tablib import Dataset

from . import cells
from .spreadsheet import neutralise_cell
from .tabular import csv_rows, sniff, xlsx_rows
from .xlsx import Sheet, fitted_widths, write_xlsx

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def dataset_from_rows(rows: Sequence[Sequence[Any]]) -> Dataset:
    """A tablib Dataset from a table read as rows: the first row (as text) is the header, and each
    row is cut or padded to the header's width (tablib requires equal widths; a CSV may be ragged).
    """
    headers = [cells.text(h) for h in rows[0]] if rows else []
    width = len(headers)
    body = [list(row[:width]) + [None] * (width - len(row)) for row in rows[1:]]
    return Dataset(*body, headers=headers)


class CSV(base_formats.CSV):
    CONTENT_TYPE = "text/csv; charset=utf-8"

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream: bytes | str, **kwargs: Any) -> Dataset:
        data = in_stream.encode("utf-8") if isinstance(in_stream, str) else in_stream
        rows, self.encoding = csv_rows(data)
        return dataset_from_rows(rows)

    def export_data(self, dataset: Dataset, **kwargs: Any) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(dataset.headers or [])
        writer.writerows([neutralise_cell(value) for value in row] for row in dataset)
        return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


class XLSX(base_formats.XLSX):
    def create_dataset(self, in_stream: bytes, **kwargs: Any) -> Dataset:
        rows, self.encoding = xlsx_rows(in_stream)
        return dataset_from_rows(rows)

    def export_data(
        self, dataset: Dataset, *more: Dataset, date_columns: Iterable[str] = (), **kwargs: Any
    ) -> bytes:
        """One sheet per dataset, named after its title, the header row bold and frozen, columns
        as wide as their contents, written in memory (`platform_site.lib.xlsx`, which neutralises
        every text cell and drops what XML cannot hold). The ``date_columns`` (headers, on any
        sheet) become real date cells: Excel sorts and filters them as dates; the import reads
        them back the same."""
        wanted = set(date_columns)
        return write_xlsx(*(_sheet(d, number, wanted) for number, d in enumerate((dataset, *more), start=1)))


def _sheet(dataset: Dataset, number: int, date_columns: set[str]) -> Sheet:
    headers = list(dataset.headers or [])
    dates = [i for i, h in enumerate(headers) if h in date_columns]

    def row_of(values: Sequence[Any]) -> list[Any]:
        row = list(values)
        for i in dates:
            if i < len(row) and isinstance(row[i], str) and _ISO_DATE.fullmatch(row[i]):
                row[i] = dt.date.fromisoformat(row[i])
        return row

    sample = [row_of(r) for r in itertools.islice(dataset, 200)]
    return Sheet(
        title=dataset.title or f"Sheet{number}",
        headers=[headers],
        rows=(row_of(row) for row in dataset),
        widths=fitted_widths(headers, sample),
        bold_headers=True,
    )


FORMATS: dict[str, type[base_formats.Format]] = {"csv": CSV, "xlsx": XLSX}


def read_dataset(data: bytes, filename: str) -> tuple[Dataset, str]:
    """An uploaded CSV or XLSX (told apart by content) as a Dataset, and its encoding ("cp932",
    "utf-8", "utf-8-sig" or "xlsx"). Raises `ImportRejected` for a file that cannot be read."""
    file_format = FORMATS[sniff(data, filename)]()
    dataset = file_format.create_dataset(data)
    return dataset, file_format.encoding


def read_sheet(data: bytes, filename: str, title: str) -> Dataset | None:
    """The XLSX upload's sheet titled ``title`` as a Dataset; None for a CSV, or when the workbook
    has no such sheet (or it is empty). Call after `read_dataset`, which refused a bad file."""
    if sniff(data, filename) != "xlsx":
        return None
    rows, _encoding = xlsx_rows(data, sheet=title)
    return dataset_from_rows(rows) if rows else None
