"""Files out of the surveys app: the blank response template (XLSX with a sheet of codes), the
results workbook (aggregates only), and the raw responses as CSV (UTF-8 with BOM, logged by the
caller). Every text cell goes through `neutralise_cell` (no formula reaches Excel).

Workbooks are written in memory by `platform_site/lib/xlsx.py` (no temporary file); the raw
responses, which are personal, are written in memory as CSV.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from platform_site.lib import japanese as jp
from platform_site.lib.spreadsheet import neutralise_cell
from platform_site.lib.xlsx import CONTENT_TYPE, Cell, Sheet, write_xlsx

from .items import CHANNEL_COLUMN, NO_ANSWER, RESPONDENT_COLUMN, STANDARD_CODES
from .models import Channel, Question, QuestionKind, Response, Survey
from .selectors import Results

XLSX = CONTENT_TYPE


def _safe(row: list[Any]) -> list[Any]:
    return [neutralise_cell(v) for v in row]


def _pct(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def template_xlsx(survey: Survey, questions: list[Question]) -> bytes:
    """Blank response file: row 1 the column codes, sheet 2 the questions, codes and answers."""
    codes: list[list[Cell]] = [
        [RESPONDENT_COLUMN, _("回答者ID"), _("回答票の番号（調査の中で重複しないこと）"), _("必須"), "", ""],
        [CHANNEL_COLUMN, _("回答方法"), "", _("選択"), "郵送", _("郵送（紙の調査票）")],
        [CHANNEL_COLUMN, _("回答方法"), "", _("選択"), "WEB", _("WEB（オンライン）")],
    ]
    for q in questions:
        if q.kind == QuestionKind.CHOICE:
            codes += [
                [q.code, q.label, q.text, q.get_kind_display(), c.value, c.label] for c in q.choices.all()
            ]
        elif q.kind == QuestionKind.NUMBER:
            span = (
                f"{'' if q.min_value is None else q.min_value}～{'' if q.max_value is None else q.max_value}"
            )
            codes.append([q.code, q.label, q.text, q.get_kind_display(), span, _("整数")])
        else:
            codes.append([q.code, q.label, q.text, q.get_kind_display(), "", _("文章")])
    codes.append(
        ["", "", _("空欄または「%(none)s」は無回答として数えます。") % {"none": NO_ANSWER}, "", "", ""]
    )
    return write_xlsx(
        Sheet(
            title=_("回答"),
            headers=[[RESPONDENT_COLUMN, CHANNEL_COLUMN, *[q.code for q in questions]]],
            rows=[],
            bold_headers=True,
        ),
        Sheet(
            title=_("コード表"),
            headers=[
                [_("列（設問コード）"), _("見出し"), _("設問文"), _("形式"), _("回答コード"), _("回答")]
            ],
            rows=codes,
            widths=[16, 30, 60, 12, 12, 40],
            bold_headers=True,
        ),
    )


def template_filename(survey: Survey) -> str:
    return f"survey-{survey.pk}-template.xlsx"


def results_xlsx(results: Results, comparison: dict[str, Any] | None) -> bytes:
    survey = results.survey
    rows: list[list[Cell]] = [
        [_("年度"), jp.fiscal_year_label(survey.fiscal_year)],
        [_("回答数"), results.responses],
        [_("配布数"), survey.sample_size],
        [_("回収率（%）"), _pct(results.response_rate_pct)],
    ]
    if survey.is_fictional:
        rows.append([_("架空のデータ（デモ）")])
    for item in results.items:
        rows += [[], [item.label, item.text], [_("回答"), _("件数"), _("割合（%）")]]
        rows += [[row.label, row.count, _pct(row.pct)] for row in item.rows]
        rows.append([_("合計"), item.n, float(item.pct_sum)])
    if results.ucla_bands:
        rows += [[], [_("UCLA孤独感尺度 合計点"), _("採点できた回答 n=%(n)s") % {"n": results.n_scored}]]
        rows += [[row.label, row.count, _pct(row.pct)] for row in results.ucla_bands]
    sheets = [
        Sheet(title=_("集計"), headers=[[survey.title]], rows=rows, widths=[40, 30, 12], bold_headers=True)
    ]
    if results.crosstabs:
        cross: list[list[Cell]] = []
        for table in results.crosstabs:
            cross.append([_("孤独感（直接質問）× %(row)s") % {"row": table.row_label}, _("（行の%）")])
            cross.append(["", "n", *[label for _k, label in table.columns]])
            cross += [
                [line["label"], line["n"], *[_pct(p) for _c, p in line["cells"]]] for line in table.rows
            ]
            cross.append([])
        sheets.append(Sheet(title=_("クロス集計"), rows=cross, widths=[24]))
    if comparison:
        national = comparison["national"]
        comp: list[list[Cell]] = [
            [
                _("全国: %(label)s %(name)s（n=%(n)s）")
                % {"label": national.label, "name": national.name, "n": national.n}
            ],
            ["", _("この調査（%）"), _("全国（%）"), _("差（ポイント）")],
        ]
        comp += [
            [row.label, _pct(row.local), _pct(row.national), _pct(row.difference)]
            for row in [*comparison["direct"], *comparison["ucla"]]
        ]
        comp += [
            [_("注: 国の調査と異なる点 — %(note)s") % {"note": note}] for note in comparison["differences"]
        ]
        sheets.append(Sheet(title=_("全国との比較"), rows=comp, widths=[30, 14, 14, 14]))
    return write_xlsx(*sheets)


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
