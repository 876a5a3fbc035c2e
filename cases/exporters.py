"""The 引き継ぎ簿 export: the column layout of 宇和島's sheet, as XLSX.

Generator-based (pretix ListExporter.iterate_list): yield the header, then one row per case.
The export is its own right (CASES_EXPORT), checked by the view; each exported case gets a
`cases.export` entry in the access log, written in the same transaction as the read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_site.lib.spreadsheet import neutralise_cell
from platform_site.lib.xlsx import CONTENT_TYPE as XLSX
from platform_site.lib.xlsx import Sheet, write_xlsx
from platform_site.models import Platform

from . import events as ev
from .access import ALL_ITEMS, coordinator_items
from .models import Case, CaseEvent, ConsentItem
from .selectors import ledger_rows

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _date(day: dt.date | None) -> str:
    return f"{day:%Y/%m/%d}" if day else ""


def header() -> list[list[str]]:
    """Two header rows, as on the paper sheet (the group headings over their columns)."""
    return [
        ["#", _("実行日"), _("年齢"), _("性別"), _("自治体等受入情報"), _("NPO受入情報"), ""],
        ["", "", "", "", _("相談内容/生活状況"), _("支援日"), _("支援内容")],
    ]


def _row(number: int, case: Case, items: frozenset[str]) -> list[Any]:
    handoffs = list(case.handoffs.all())
    dates = "\n".join(_date(h.date) for h in handoffs)
    contents = []
    for i, h in enumerate(handoffs):
        mark = _CIRCLED[i] if i < len(_CIRCLED) else f"({i + 1})"
        text = h.given + (f"（{h.quantity}）" if h.quantity else "")
        if h.noticed:
            text += f"\n■{h.noticed}"
        if h.report_to_city:
            text += "\n※" + _("自治体へ報告")
        contents.append(f"{mark}{text}")
    situation = case.situation if ConsentItem.SITUATION in items else ""
    if case.is_fictional and situation:
        situation = _("【架空】") + situation
    return [
        number,
        _date(case.intake_date),
        case.age if ConsentItem.AGE in items else "",
        case.get_sex_display() if ConsentItem.SEX in items and case.sex else "",
        situation,
        dates,
        "\n".join(contents),
    ]


def iterate_ledger(
    *, platform: Platform, organisation_id: int | None, cases: list[Case]
) -> Iterator[list[Any]]:
    yield from header()
    today = timezone.localdate()
    for number, case in enumerate(cases, start=1):
        items = (
            ALL_ITEMS
            if organisation_id is None
            else coordinator_items(
                case=case,
                organisation_id=organisation_id,
                today=today,
                active=getattr(case, "org_active", False),
            )
        )
        yield _row(number, case, items)  # write_xlsx neutralises every text cell (once)


@transaction.atomic
def ledger_xlsx(*, platform: Platform, actor: Any, organisation_id: int | None) -> tuple[str, str, bytes]:
    cases = list(ledger_rows(platform=platform, organisation_id=organisation_id))
    headers = header()
    rows = iterate_ledger(platform=platform, organisation_id=organisation_id, cases=cases)
    # platform_site.lib.xlsx builds the workbook in memory: no temp file with personal data
    workbook = write_xlsx(
        Sheet(
            title=_("引き継ぎ簿"),
            headers=headers,
            rows=itertools.islice(rows, len(headers), None),
            widths=(5, 12, 8, 8, 60, 14, 60),
            bold_headers=True,
            wrap=True,
            merged=("F1:G1",),
        )
    )
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=c,
                platform=platform,
                actor=actor,
                action=ev.EXPORTED,
                data={
                    "format": "xlsx",
                    "rows": len(cases),
                    "scope": "organisation" if organisation_id else "platform",
                },
            )
            for c in cases
        ],
        batch_size=1000,
    )
    if not cases:
        ev.event_log(platform=platform, actor=actor, action=ev.EXPORTED, data={"format": "xlsx", "rows": 0})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"hikitsugibo-{platform.slug}-{stamp}.xlsx", XLSX, workbook


def figures_csv(*, figures: dict[str, Any], platform: Platform) -> tuple[str, str, bytes]:
    """The yearly figures (no names) as CSV with a UTF-8 BOM, so Excel opens it as Japanese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("年度"), _("区分"), _("月・団体"), _("依頼"), _("引き渡し"), _("世帯")])
    label = figures["fiscal_year_label"]
    for row in figures["per_month"]:
        writer.writerow(
            [label, _("月別"), f"{row['month']:%Y-%m}", row["referrals"], row["handoffs"], row["households"]]
        )
    for row in figures["per_org"]:
        name = neutralise_cell(row["organisation"].name)
        writer.writerow([label, _("団体別"), name, row["referrals"], row["handoffs"], row["households"]])
    flow = figures.get("flow")
    if flow:
        # the two-way flow (依頼 column: the count of that direction) and supporters' reports
        for key, text in (
            ("city_to_member", _("市→団体")),
            ("member_to_city", _("団体→市")),
            ("became_cases", _("団体→市（ケースとして受付）")),
            ("member_to_member", _("団体→団体")),
        ):
            writer.writerow([label, _("連携の方向"), text, flow[key], "", ""])
        for row in flow["reports_per_area"]:
            area = neutralise_cell(row["area"] or _("（地区なし）"))
            for month, n in zip(flow["report_months"], row["months"], strict=True):
                if n:
                    writer.writerow([label, _("サポーター報告"), f"{area} {month:%Y-%m}", n, "", ""])
    t = figures["totals"]
    writer.writerow([label, _("合計"), "", t["referrals"], t["handoffs"], t["households"]])
    body = "\ufeff" + out.getvalue()
    return (
        f"hikitsugibo-figures-{platform.slug}-{figures['fiscal_year']}.csv",
        "text/csv; charset=utf-8",
        body.encode("utf-8"),
    )
