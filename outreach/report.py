"""The 試行的事業一覧 as text cells, one list per project: the browser table, the XLSX and the PDF
all print these, so the three never disagree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from consultations import tables as consultation_tables
from platform_site.lib import japanese as jp

from .models import Event, EventStatus
from .selectors import FiscalYearReport


def headers() -> list[str]:
    return [
        _("事業名称"),
        _("事業内容"),
        _("目的・期待効果・KPI"),
        _("実施時期"),
        _("発注先（予算）"),
        _("成果検証結果"),
    ]


def yen(amount: int | None, approx: bool = False) -> str:
    if amount is None:
        return ""
    return f"{'約' if approx else ''}{amount:,}円"


def _num(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return f"{value:,f}" if value != value.to_integral() else f"{int(value):,}"
    return f"{value:,}"


def _day(day: dt.date) -> str:
    name, number = jp.era_year(day)
    return f"{name}{'元' if number == 1 else number}年{day.month}月{day.day}日"


def period(event: Event) -> str:
    sessions = list(event.sessions.all())
    if sessions:
        return "、".join(_day(s.date) for s in sessions)
    if event.date_start and event.date_end and event.date_end != event.date_start:
        return f"{_day(event.date_start)}～{_day(event.date_end)}"
    if event.date_start:
        return _day(event.date_start)
    if event.period_note:
        return event.period_note
    if event.date_end:
        return _("～%(day)s") % {"day": _day(event.date_end)}
    return ""


def purpose_and_kpis(event: Event) -> str:
    lines = [event.purpose] if event.purpose else []
    for kpi in event.kpis.all():
        if kpi.target is None:
            continue
        lines.append(
            _("KPI: %(name)s %(target)s%(unit)s")
            % {"name": kpi.name, "target": _num(kpi.target), "unit": kpi.unit}
        )
    return "\n".join(lines)


def contractor_and_budget(event: Event) -> str:
    who = event.contractor.display_name if event.contractor else event.contractor_note
    budget = yen(event.budget_yen, event.budget_approx)
    if budget:
        return f"{who}\n（{budget}）" if who else f"（{budget}）"
    return who


def results(event: Event) -> str:
    lines = []
    unit = event.get_unit_display()
    sessions = list(event.sessions.all())
    if sessions:
        for s in sessions:
            parts = [f"{s.date.month}/{s.date.day}"]
            if s.applicants is not None:
                parts.append(_("申込 %(n)s%(unit)s") % {"n": _num(s.applicants), "unit": unit})
            if s.attendees is not None:
                parts.append(_("参加 %(n)s%(unit)s") % {"n": _num(s.attendees), "unit": unit})
            lines.append(" ".join(parts))
    elif event.attendees is not None:
        lines.append(_("参加 %(n)s%(unit)s") % {"n": _num(event.attendees), "unit": unit})
    for kpi in event.kpis.all():
        if kpi.actual is not None:
            lines.append(f"{kpi.name}: {_num(kpi.actual)}{kpi.unit}")
    if event.results:
        lines.append(event.results)
    if event.status == EventStatus.PLANNED and not lines:
        lines.append(_("（予定）"))
    return "\n".join(lines)


def cells(event: Event) -> list[str]:
    return [
        event.name,
        event.description,
        purpose_and_kpis(event),
        period(event),
        contractor_and_budget(event),
        results(event),
    ]


def table(report: FiscalYearReport) -> list[list[str]]:
    return [cells(row.event) for row in report.rows]


def title(report: FiscalYearReport) -> str:
    return _("%(platform)s %(fy)s 試行的事業一覧") % {
        "platform": report.platform.name,
        "fy": jp.fiscal_year_label(report.fiscal_year),
    }


def total_label(report: FiscalYearReport) -> str:
    return _("予算合計 %(total)s") % {"total": yen(report.total, report.any_approx)}


def consultations_title(report: FiscalYearReport) -> str:
    return _("%(fy)s 相談・問い合わせ件数（KPI）") % {"fy": jp.fiscal_year_label(report.fiscal_year)}


def consultations_headers() -> list[str]:
    return consultation_tables.month_headers()


def consultations_months(report: FiscalYearReport) -> list[list[str]]:
    """Per month and channel, then the totals (the record of consultations' own table)."""
    return [[str(c) for c in row] for row in consultation_tables.month_rows(report.consultations)]


def consultations_summary(report: FiscalYearReport) -> list[list[str]]:
    """問い合わせ件数, who came on their own, where people were pointed, per topic."""
    return [[str(c) for c in row] for row in consultation_tables.summary_rows(report.consultations)]
