"""Files out of the surveys app: the blank response template (XLSX with a sheet of codes), the
results workbook (aggregates only), and the raw responses as CSV (UTF-8 with BOM, logged by the
caller). Every text cell goes through `neutralise_cell` (no formula reaches Excel).

The workbooks hold no personal data (codes and aggregates), so openpyxl's own writer is used;
the raw responses, which are personal, are written in memory as CSV only.
"""

from __future__ import annotations

import csv
import io
from typing import Any, cast

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from platform_site.lib import japanese as jp
from platform_site.lib.spreadsheet import neutralise_cell

from .items import CHANNEL_COLUMN, NO_ANSWER, RESPONDENT_COLUMN, STANDARD_CODES
from .models import Channel, Question, QuestionKind, Response, Survey
from .selectors import Results

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


def _safe(row: list[Any]) -> list[Any]:
    return [neutralise_cell(v) for v in row]


def _bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_xlsx(survey: Survey, questions: list[Question]) -> bytes:
    """Blank response file: row 1 the column codes, sheet 2 the questions, codes and answers."""
    workbook = Workbook()
    sheet = cast(Worksheet, workbook.active)  # a new workbook has one worksheet
    sheet.title = _("回答")
    sheet.append([RESPONDENT_COLUMN, CHANNEL_COLUMN, *[q.code for q in questions]])
    for cell in sheet[1]:
        cell.font = BOLD
    codes = workbook.create_sheet(_("コード表"))
    codes.append([_("列（設問コード）"), _("見出し"), _("設問文"), _("形式"), _("回答コード"), _("回答")])
    for cell in codes[1]:
        cell.font = BOLD
    codes.append(
        [RESPONDENT_COLUMN, _("回答者ID"), _("回答票の番号（調査の中で重複しないこと）"), _("必須"), "", ""]
    )
    codes.append([CHANNEL_COLUMN, _("回答方法"), "", _("選択"), "郵送", _("郵送（紙の調査票）")])
    codes.append([CHANNEL_COLUMN, _("回答方法"), "", _("選択"), "WEB", _("WEB（オンライン）")])
    for q in questions:
        if q.kind == QuestionKind.CHOICE:
            for c in q.choices.all():
                codes.append(_safe([q.code, q.label, q.text, q.get_kind_display(), c.value, c.label]))
        elif q.kind == QuestionKind.NUMBER:
            span = (
                f"{'' if q.min_value is None else q.min_value}～{'' if q.max_value is None else q.max_value}"
            )
            codes.append(_safe([q.code, q.label, q.text, q.get_kind_display(), span, _("整数")]))
        else:
            codes.append(_safe([q.code, q.label, q.text, q.get_kind_display(), "", _("文章")]))
    codes.append(["", "", _("空欄または「%(v0)s」は無回答として数えます。") % {"v0": NO_ANSWER}, "", "", ""])
    for column, width in zip("ABCDEF", (16, 30, 60, 12, 12, 40), strict=True):
        codes.column_dimensions[column].width = width
    return _bytes(workbook)


def template_filename(survey: Survey) -> str:
    return f"survey-{survey.pk}-template.xlsx"


def results_xlsx(results: Results, comparison: dict[str, Any] | None) -> bytes:
    survey = results.survey
    workbook = Workbook()
    sheet = cast(Worksheet, workbook.active)
    sheet.title = _("集計")
    sheet.append(_safe([survey.title]))
    sheet["A1"].font = BOLD
    sheet.append([_("年度"), jp.fiscal_year_label(survey.fiscal_year)])
    sheet.append([_("回答数"), results.responses])
    sheet.append([_("配布数"), survey.sample_size])
    sheet.append(
        [
            _("回収率（%）"),
            float(results.response_rate_pct) if results.response_rate_pct is not None else None,
        ]
    )
    if survey.is_fictional:
        sheet.append([_("架空のデータ（デモ）")])
    for item in results.items:
        sheet.append([])
        sheet.append(_safe([item.label, item.text]))
        sheet.cell(sheet.max_row, 1).font = BOLD
        sheet.append([_("回答"), _("件数"), _("割合（%）")])
        for row in item.rows:
            sheet.append(_safe([row.label, row.count, float(row.pct) if row.pct is not None else None]))
        sheet.append([_("合計"), item.n, float(item.pct_sum)])
    if results.ucla_bands:
        sheet.append([])
        sheet.append([_("UCLA孤独感尺度 合計点"), _("採点できた回答 n=%(v0)s") % {"v0": results.n_scored}])
        sheet.cell(sheet.max_row, 1).font = BOLD
        for row in results.ucla_bands:
            sheet.append([row.label, row.count, float(row.pct) if row.pct is not None else None])
    sheet.column_dimensions["A"].width = 40
    if results.crosstabs:
        cross = workbook.create_sheet(_("クロス集計"))
        for table in results.crosstabs:
            cross.append([_("孤独感（直接質問）× %(v0)s") % {"v0": table.row_label}, _("（行の%）")])
            cross.cell(cross.max_row, 1).font = BOLD
            cross.append(["", "n", *[label for _k, label in table.columns]])
            for line in table.rows:
                cross.append(
                    [
                        line["label"],
                        line["n"],
                        *[float(p) if p is not None else None for _c, p in line["cells"]],
                    ]
                )
            cross.append([])
    if comparison:
        national = comparison["national"]
        comp = workbook.create_sheet(_("全国との比較"))
        comp.append(
            [
                _("全国: %(v0)s %(v1)s（n=%(v2)s）")
                % {"v0": national.label, "v1": national.name, "v2": national.n}
            ]
        )
        comp.append(["", _("この調査（%）"), _("全国（%）"), _("差（ポイント）")])
        for row in [*comparison["direct"], *comparison["ucla"]]:
            comp.append(
                [
                    row.label,
                    *[float(v) if v is not None else None for v in (row.local, row.national, row.difference)],
                ]
            )
        for note in comparison["differences"]:
            comp.append([_("注: 国の調査と異なる点 — %(v0)s") % {"v0": note}])
    return _bytes(workbook)


def raw_csv(survey: Survey, questions: list[Question]) -> bytes:
    """Every respondent, the codes as imported (empty = 無回答), free text included."""
    standard = [q.code for q in questions if q.standard and q.code in STANDARD_CODES]
    own = [q for q in questions if not q.standard]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([RESPONDENT_COLUMN, CHANNEL_COLUMN, *standard, *[q.code for q in own]])
    channel_label = {Channel.MAIL: "郵送", Channel.WEB: "WEB"}  # data values the import reads back
    for r in (
        Response.objects.filter(survey=survey)
        .order_by("respondent_id")
        .values_list("respondent_id", "channel", *standard, "own")
    ):
        values = [r[0], channel_label.get(r[1], ""), *r[2:-1], *[(r[-1] or {}).get(q.code) for q in own]]
        writer.writerow(_safe(["" if v is None else v for v in values]))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
