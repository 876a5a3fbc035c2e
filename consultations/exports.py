"""The consultation records of one 年度 as CSV (UTF-8 with BOM, so Excel opens it as Japanese)
or XLSX (the shared in-memory writer: the records and the counts), never on disk."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _

from platform_site.lib import japanese as jp
from platform_site.lib.spreadsheet import neutralise_cell
from platform_site.lib.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from platform_site.lib.xlsx import Cell, Sheet, write_xlsx

from . import tables
from .models import Consultation
from .selectors import Counts

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}


def headers() -> list[str]:
    return [
        _("相談日"),
        _("方法"),
        _("受けた団体"),
        _("相談の内容"),
        _("きっかけ"),
        _("つないだ参加団体"),
        _("つないだ市の窓口"),
        _("ケース番号"),
        _("メモ"),
    ]


def record_cells(record: Consultation) -> list[Cell]:
    return [
        record.date,
        record.get_channel_display(),
        record.organisation.display_name if record.organisation else _("市（事務局）"),
        "、".join(t.name for t in record.topics.all()),
        record.get_arrival_display(),
        record.pointed_to_organisation.display_name if record.pointed_to_organisation else "",
        record.pointed_to_city,
        record.case_id,
        record.note,
    ]


def _csv_cell(cell: Cell) -> object:
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, str):
        return neutralise_cell(cell)
    return "" if cell is None else cell


def records_csv(rows: Sequence[Consultation]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers())
    for record in rows:
        writer.writerow([_csv_cell(c) for c in record_cells(record)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def records_xlsx(rows: Sequence[Consultation], counts: Counts) -> bytes:
    label = jp.fiscal_year_label(counts.fiscal_year)
    summary = Sheet(
        title=_("件数"),
        headers=[[_("%(fy)s 相談・問い合わせ件数") % {"fy": label}], tables.month_headers()],
        rows=[*tables.month_rows(counts), [], *tables.summary_rows(counts)],
        widths=[28, 8, 8, 8, 8, 8, 10, 8],
        bold_headers=True,
    )
    records = Sheet(
        title=_("記録"),
        headers=[headers()],
        rows=[record_cells(r) for r in rows],
        widths=[12, 8, 28, 30, 12, 28, 18, 10, 40],
        bold_headers=True,
        wrap=True,
    )
    return write_xlsx(summary, records)


def render(*, rows: Sequence[Consultation], counts: Counts, file_format: str) -> bytes:
    if file_format == "csv":
        return records_csv(rows)
    if file_format == "xlsx":
        return records_xlsx(rows, counts)
    raise ValueError(f"unknown format {file_format!r}")
