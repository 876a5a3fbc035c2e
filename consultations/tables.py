"""The counts of one 年度 as text cells: the dashboard, the fiscal-year report (browser, XLSX,
PDF) and the Excel export all print these, so they never disagree."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from .models import Arrival, Channel
from .selectors import Counts


def month_label(day: dt.date) -> str:
    return _("%(year)s年%(month)s月") % {"year": day.year, "month": day.month}


def month_headers() -> list[str]:
    return [_("月"), *[str(label) for _code, label in Channel.choices], _("合計")]


def month_rows(counts: Counts) -> list[list[str | int]]:
    """One row per month of the 年度: the count per channel and the month's total; then the totals."""
    rows: list[list[str | int]] = []
    for month, total in counts.per_month:
        per = counts.per_month_channel[month]
        rows.append([month_label(month), *[per[c] for c in Channel.values], total])
    rows.append([_("合計"), *[n for _label, n in counts.per_channel], counts.total])
    return rows


def summary_rows(counts: Counts) -> list[list[str | int]]:
    """The KPI lines: 問い合わせ件数, who came on their own, where people were pointed, per topic."""
    share = f"{counts.self_share}%" if counts.self_share is not None else "—"
    rows: list[list[str | int]] = [
        [_("問い合わせ件数"), counts.total],
        [_("自ら相談（割合 %(share)s）") % {"share": share}, counts.arrival.get(Arrival.SELF, 0)],
        [_("紹介・つなぎで来た"), counts.arrival.get(Arrival.REFERRED, 0)],
        [_("参加団体へつないだ"), counts.pointed.get("organisation", 0)],
        [_("市の窓口へつないだ"), counts.pointed.get("city", 0)],
        [_("引き継ぎ簿のケースにした"), counts.pointed.get("case", 0)],
    ]
    rows += [[_("相談の内容: %(topic)s") % {"topic": name}, n] for name, n in counts.per_topic]
    return rows
