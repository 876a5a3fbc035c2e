"""The membership pipeline's rules, one set for the screens, the import and the services.

candidate → contacted → member → withdrawn (a withdrawn organisation may rejoin or become a
candidate again). Membership over time is a list of periods (joined, left, why); the PF role and
core status have periods of their own that lie inside the membership periods. Everything here is
plain data — no queries — so that `orgs.services` (the screens) and `orgs.imports` (every row of a
file) apply exactly the same checks and make exactly the same periods:

- a member needs a joining date (its latest period is open, or ends on a planned day ahead);
- a withdrawal needs a leaving date after the joining date (the day of leaving is no longer a
  member day, so a period that ends the day it starts would hold no day at all);
- periods do not overlap, and only the latest may be open.

Each problem is one Japanese sentence without a row number; the import puts 「3行目: 」 before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from .models import MembershipStatus, PFRole

PIPELINE_NEXT = {
    MembershipStatus.CANDIDATE: {
        MembershipStatus.CONTACTED,
        MembershipStatus.MEMBER,
        MembershipStatus.WITHDRAWN,
    },
    MembershipStatus.CONTACTED: {
        MembershipStatus.CANDIDATE,
        MembershipStatus.MEMBER,
        MembershipStatus.WITHDRAWN,
    },
    MembershipStatus.MEMBER: {MembershipStatus.WITHDRAWN},
    MembershipStatus.WITHDRAWN: {MembershipStatus.MEMBER, MembershipStatus.CANDIDATE},
}


@dataclass(frozen=True)
class Period:
    """A membership period; ``left_on`` None while it lasts."""

    joined_on: dt.date
    left_on: dt.date | None = None
    leave_reason: str = ""

    def text(self) -> str:
        """「2023-03-01〜2024-06-30（事業終了）」, as the history and the preview show a period."""
        shown = f"{self.joined_on.isoformat()}〜{self.left_on.isoformat() if self.left_on else ''}"
        return f"{shown}（{self.leave_reason}）" if self.leave_reason else shown


@dataclass(frozen=True)
class RoleSpan:
    """The PF role and core status from ``started_on`` until ``ended_on`` (None while current)."""

    pf_role: str
    is_core: bool
    started_on: dt.date
    ended_on: dt.date | None = None

    def text(self) -> str:
        role = str(PFRole(self.pf_role).label) + ("・" + _("コア") if self.is_core else "")
        return f"{role} {self.started_on.isoformat()}〜{self.ended_on.isoformat() if self.ended_on else ''}"


def texts(items: Iterable[Period | RoleSpan]) -> list[str]:
    return [item.text() for item in items]


def ordered(periods: Iterable[Period]) -> list[Period]:
    return sorted(periods, key=lambda p: p.joined_on)


def move_problem(old: str, new: str) -> str:
    """Why the pipeline does not allow this move ("" when it does)."""
    if old == new or new in PIPELINE_NEXT[MembershipStatus(old)]:
        return ""
    return _("「%(old)s」から「%(new)s」には変更できません。") % {
        "old": MembershipStatus(old).label,
        "new": MembershipStatus(new).label,
    }


def leaving_problem(period: Period) -> str:
    """Why the period's leaving date is wrong ("" when it is not): it must come after the joining
    date, as the day of leaving is no longer a member day (a period ending on its first day
    would hold none)."""
    if period.left_on is not None and period.left_on <= period.joined_on:
        return _("退会日（%(left)s）は参加日（%(joined)s）より後の日付にしてください。") % {
            "left": period.left_on.isoformat(),
            "joined": period.joined_on.isoformat(),
        }
    return ""


def period_problems(status: str, periods: Sequence[Period], *, today: dt.date) -> list[str]:
    """Every way these periods break the rules for a membership in ``status``."""
    problems = []
    periods = ordered(periods)
    problems += [problem for p in periods if (problem := leaving_problem(p))]
    for first, second in zip(periods, periods[1:], strict=False):
        if first.left_on is None or first.left_on > second.joined_on:
            problems.append(
                _("参加期間「%(first)s」と「%(second)s」が重なっています。")
                % {"first": first.text(), "second": second.text()}
            )
    latest = periods[-1] if periods else None
    if status == MembershipStatus.MEMBER:
        if latest is None:
            problems.append(_("「参加」の団体には参加日が必要です。"))
        elif latest.left_on is not None and latest.left_on <= today:
            problems.append(
                _(
                    "退会日（%(left)s）が過ぎています。退会した団体は、状態を「退会」にしてください（退会予定なら先の日付を入れます）。"
                )
                % {"left": latest.left_on.isoformat()}
            )
    elif latest is not None and latest.left_on is None:
        if status == MembershipStatus.WITHDRAWN:
            problems.append(_("「退会」の団体には退会日が必要です。"))
        else:
            problems.append(
                _(
                    "「%(status)s」の団体に、終わっていない参加期間（%(period)s）があります。退会日を入れてください。"
                )
                % {"status": MembershipStatus(status).label, "period": latest.text()}
            )
    return problems


def move_periods(
    old_status: str,
    new_status: str,
    periods: Sequence[Period],
    *,
    joined_on: dt.date | None,
    left_on: dt.date | None,
    leave_reason: str | None,
    today: dt.date,
) -> list[Period]:
    """The periods after a move on the membership screen, whose dates are the latest period's.

    Becoming a member starts a new period (on ``joined_on``, today when empty); withdrawing
    ends the current one (on ``left_on``, today when empty, with the reason). Otherwise the
    dates given correct the latest period; earlier periods are never touched here.
    """
    result = ordered(periods)
    latest = result[-1] if result else None
    joining = new_status == MembershipStatus.MEMBER and old_status != MembershipStatus.MEMBER
    if joining:
        if latest is not None and joined_on == latest.joined_on:
            joined_on = None  # the form still shows the last period's date: the new one starts today
        planned = left_on if old_status != MembershipStatus.WITHDRAWN else None
        return [*result, Period(joined_on=joined_on or today, left_on=planned)]
    if latest is None:  # never joined (or a member recorded without a date, given one now)
        if new_status == MembershipStatus.MEMBER and joined_on:
            return [Period(joined_on=joined_on, left_on=left_on)]
        return result
    if new_status == MembershipStatus.WITHDRAWN and old_status == MembershipStatus.MEMBER:
        left_on = left_on or today
    reason = latest.leave_reason if leave_reason is None else leave_reason
    result[-1] = Period(
        joined_on=joined_on or latest.joined_on,
        left_on=left_on if left_on is not None else latest.left_on,
        leave_reason=reason,
    )
    if new_status == MembershipStatus.MEMBER and left_on is None:
        result[-1] = replace(result[-1], left_on=None)  # a planned leaving date taken out
    if result[-1].left_on is None:
        result[-1] = replace(result[-1], leave_reason="")
    return result


def fit_roles(
    roles: Sequence[RoleSpan],
    periods: Sequence[Period],
    *,
    pf_role: str,
    is_core: bool,
    on: dt.date,
) -> list[RoleSpan]:
    """The role periods after a change, kept inside the membership periods.

    Joining (a latest period with no role span of its own yet) starts a span on the joining
    day; a changed role or core status while a member closes the current span on ``on`` and
    starts the new one there (the same day's change just corrects it); leaving closes the span
    on the leaving day. Organisations that never joined have no role periods.
    """
    spans = sorted(roles, key=lambda r: r.started_on)
    periods = ordered(periods)
    if not periods:
        return spans
    latest = periods[-1]
    inside = [r for r in spans if r.started_on >= latest.joined_on]
    if not inside:
        if spans and spans[-1].ended_on is None:
            spans[-1] = replace(spans[-1], ended_on=max(spans[-1].started_on, latest.joined_on))
        spans.append(RoleSpan(pf_role=pf_role, is_core=is_core, started_on=latest.joined_on))
    elif latest.left_on is None or on < latest.left_on:  # a member on the day of the change
        last = spans[-1]
        if (last.pf_role, last.is_core) != (pf_role, is_core):
            day = max(on, last.started_on)
            if latest.left_on is not None:
                day = min(day, latest.left_on)
            if day <= last.started_on:
                spans[-1] = replace(last, pf_role=pf_role, is_core=is_core)
            else:
                spans[-1] = replace(last, ended_on=day)
                spans.append(RoleSpan(pf_role=pf_role, is_core=is_core, started_on=day))
    last = spans[-1]
    if latest.left_on is not None and (last.ended_on is None or last.ended_on > latest.left_on):
        spans[-1] = replace(last, ended_on=max(latest.left_on, last.started_on))
    elif latest.left_on is None and last.ended_on is not None and last.started_on >= latest.joined_on:
        spans[-1] = replace(last, ended_on=None)  # a withdrawal taken back
    return spans
