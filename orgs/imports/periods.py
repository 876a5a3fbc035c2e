"""Membership periods in an import: the second sheet (「過去の参加期間」) and each row's periods.

The main sheet holds each organisation's latest period (参加日, 退会日, 退会理由); the second sheet,
when the workbook has it, holds every earlier period, one row each, named by the organisation's
団体コード or, where that cell is blank, its 団体名, as on the main sheet; a row naming no
organisation of the main sheet, or breaking a rule, is refused with its line (none is left out).
A CSV, or a workbook without the second sheet, leaves the earlier periods as they are. Whatever
the file, the periods a row ends with go through the pipeline's rules (`orgs.pipeline`), as the
membership screen's do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from tablib import Dataset

from platform_site.lib import cells
from platform_site.lib.sheets import map_headers, problem_text

from .. import pipeline
from ..models import MembershipStatus
from ..pipeline import Period, RoleSpan
from ..resources import EARLIER_SHEET, EarlierPeriodResource


def _sheet_problem(text: str) -> str:
    return _("「%(sheet)s」シート %(problem)s") % {"sheet": EARLIER_SHEET, "problem": text}


@dataclass
class EarlierSheet:
    """The second sheet read: periods by 団体コード and by 団体名, with every problem found."""

    by_ref: dict[str, list[Period]] = field(default_factory=dict)
    by_name: dict[str, list[Period]] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # first line of each key
    problems: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, dataset: Dataset) -> EarlierSheet:
        sheet = cls()
        resource = EarlierPeriodResource()
        columns = {c.attribute.rsplit("__", 1)[-1]: c for c in resource.columns()}
        mapped, problems = map_headers(dataset, resource.columns())
        if problems:
            sheet.problems = [_sheet_problem(p) for p in problems]
            return sheet
        for index, row in enumerate(mapped.dict, start=2):
            if not any(cells.text(v) for v in row.values()):
                continue
            values: dict[str, Any] = {}
            failed = False
            for name, column in columns.items():
                if column.column_name not in row:
                    continue
                try:
                    values[name] = column.clean(row)
                except ValueError as exc:
                    failed = True
                    raw = cells.text(row.get(column.column_name))
                    sheet.problems.append(
                        _sheet_problem(problem_text(index, column.column_name, raw, str(exc)))
                    )
            if failed:
                continue
            if not values.get("ref") and not values.get("name"):
                sheet.problems.append(
                    _sheet_problem(_("%(line)d行目: 団体コードか団体名を入れてください。") % {"line": index})
                )
                continue
            if not values.get("joined_on"):
                sheet.problems.append(_sheet_problem(_("%(line)d行目: 参加日が空欄です。") % {"line": index}))
                continue
            period = Period(values["joined_on"], values.get("left_on"), values.get("leave_reason", ""))
            if period.left_on is None:
                sheet.problems.append(
                    _sheet_problem(
                        _(
                            "%(line)d行目: 退会日が空欄です（終わっていない参加期間は「団体」シートに書きます）。"
                        )
                        % {"line": index},
                    )
                )
                continue
            if wrong := pipeline.leaving_problem(period):
                sheet.problems.append(
                    _sheet_problem(_("%(line)d行目: %(problem)s") % {"line": index, "problem": wrong})
                )
                continue
            key = ("ref", values["ref"]) if values.get("ref") else ("name", values["name"])
            sheet.lines.setdefault(key, index)
            (sheet.by_ref if key[0] == "ref" else sheet.by_name).setdefault(key[1], []).append(period)
        return sheet

    def unmatched(self, refs: set[str], names: set[str]) -> list[str]:
        """Problems for the second sheet's organisations that no row of the main sheet names."""
        problems = []
        for kind, table, known in (("ref", self.by_ref, refs), ("name", self.by_name, names)):
            for key in table:
                if key not in known:
                    line = self.lines[(kind, key)]
                    label = _("団体コード") if kind == "ref" else _("団体名")
                    problems.append(
                        _sheet_problem(
                            _("%(line)d行目: %(label)s「%(key)s」の団体が「団体」シートにありません。")
                            % {"line": line, "label": label, "key": key},
                        )
                    )
        return problems

    def for_row(self, ref: str, name: str) -> list[Period]:
        """The earlier periods of the main sheet's row with this 団体コード and 団体名: the
        second sheet's rows naming either. A second-sheet row without a 団体コード names the
        organisation by its 団体名 even when the main sheet gives it a code (団体名 is one row's
        in a file, as the main sheet checks), so no row of the second sheet is left out."""
        return [*self.by_ref.get(ref, []), *self.by_name.get(name, [])]


def row_periods(
    *,
    status: str,
    current: Period | None,
    earlier: list[Period] | None,
    stored: list[Period],
    today: dt.date,
) -> tuple[list[Period], list[str]]:
    """The periods a row ends with, and the pipeline's problems with them.

    ``current`` is the main sheet's period, ``earlier`` the second sheet's (None: the file has
    no second sheet, so the stored earlier periods stay), ``stored`` what the database holds.
    A re-join keeps the period before it: when the stored latest period has ended and the row's
    starts on or after its end, it becomes an earlier one even if the file does not list it.
    """
    kept = list(stored[:-1]) if earlier is None else list(earlier)
    latest = stored[-1] if stored else None
    if (
        latest is not None
        and current is not None
        and latest.left_on is not None
        and current.joined_on >= latest.left_on
        and all(p.joined_on != latest.joined_on for p in kept)
    ):
        kept.append(latest)
    problems = []
    if current is None and kept:
        problems.append(
            _(
                "参加日が空欄ですが、参加期間が記録されています。最新の参加期間の参加日・退会日は「団体」シートに書いてください。"
            )
        )
    if current is not None and any(p.joined_on >= current.joined_on for p in kept):
        problems.append(
            _("「%(sheet)s」シートに、「団体」シートの参加期間（%(period)s）より後の参加期間があります。")
            % {"sheet": EARLIER_SHEET, "period": current.text()}
        )
    periods = pipeline.ordered([*kept, *([current] if current else [])])
    problems += pipeline.period_problems(status, periods, today=today)
    return periods, problems


def row_roles(
    *, stored: list[RoleSpan], periods: list[Period], pf_role: str, is_core: bool, today: dt.date
) -> list[RoleSpan]:
    """The role periods after the row: a changed role or core status takes effect on the day of
    the import (orgs.pipeline.fit_roles)."""
    return pipeline.fit_roles(stored, periods, pf_role=pf_role, is_core=is_core, on=today)


def left_without_joining(status: str, joined: dt.date | None, left: dt.date | None) -> str:
    """A 退会日 with no 参加日 is only a candidate that declined before ever joining."""
    if left and not joined and status != MembershipStatus.WITHDRAWN:
        return _("退会日（%(left)s）がありますが、参加日がありません。") % {"left": left.isoformat()}
    return ""
