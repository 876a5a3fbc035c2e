"""The pipeline's rules (orgs.pipeline): plain data in, periods and problems out."""

from __future__ import annotations

import datetime as dt

from orgs.pipeline import Period, RoleSpan, fit_roles, move_periods, period_problems

D = dt.date
TODAY = D(2026, 5, 20)


def test_joining_starts_a_period_and_withdrawing_ends_it_with_the_reason():
    joined = move_periods(
        "candidate", "member", [], joined_on=None, left_on=None, leave_reason=None, today=TODAY
    )
    assert joined == [Period(TODAY)]
    left = move_periods(
        "member", "withdrawn", joined, joined_on=None, left_on=None, leave_reason="移転", today=D(2026, 6, 1)
    )
    assert left == [Period(TODAY, D(2026, 6, 1), "移転")]


def test_rejoining_with_the_old_date_still_in_the_form_starts_today():
    old = [Period(D(2022, 4, 1), D(2024, 3, 31))]
    result = move_periods(
        "withdrawn",
        "member",
        old,
        joined_on=D(2022, 4, 1),
        left_on=D(2024, 3, 31),
        leave_reason="",
        today=TODAY,
    )
    assert result == [*old, Period(TODAY)]


def test_the_rules():
    assert period_problems("member", [], today=TODAY) == ["「参加」の団体には参加日が必要です。"]
    assert period_problems("withdrawn", [Period(D(2022, 4, 1))], today=TODAY) == [
        "「退会」の団体には退会日が必要です。"
    ]
    assert period_problems("withdrawn", [], today=TODAY) == []  # declined before ever joining
    back_to_back = [Period(D(2022, 4, 1), D(2023, 4, 1)), Period(D(2023, 4, 1))]
    assert period_problems("member", back_to_back, today=TODAY) == []
    overlapping = [Period(D(2022, 4, 1), D(2023, 4, 2)), Period(D(2023, 4, 1))]
    assert "重なっています" in period_problems("member", overlapping, today=TODAY)[0]
    two_open = [Period(D(2022, 4, 1)), Period(D(2023, 4, 1))]
    assert "重なっています" in period_problems("member", two_open, today=TODAY)[0]
    backwards = [Period(D(2023, 4, 1), D(2022, 4, 1))]
    assert "より後の日付にしてください" in period_problems("withdrawn", backwards, today=TODAY)[0]
    same_day = [Period(D(2024, 6, 1), D(2024, 6, 1))]  # a period that holds no member day
    assert period_problems("withdrawn", same_day, today=TODAY) == [
        "退会日（2024-06-01）は参加日（2024-06-01）より後の日付にしてください。"
    ]
    assert period_problems("withdrawn", [Period(D(2024, 6, 1), D(2024, 6, 2))], today=TODAY) == []
    assert "終わっていない参加期間" in period_problems("candidate", [Period(D(2022, 4, 1))], today=TODAY)[0]


def test_role_periods_follow_the_membership_periods():
    periods = [Period(D(2022, 4, 1))]
    roles = fit_roles([], periods, pf_role="member", is_core=False, on=TODAY)
    assert roles == [RoleSpan("member", False, D(2022, 4, 1))]
    roles = fit_roles(roles, periods, pf_role="core", is_core=True, on=D(2024, 4, 1))
    assert roles == [
        RoleSpan("member", False, D(2022, 4, 1), D(2024, 4, 1)),
        RoleSpan("core", True, D(2024, 4, 1)),
    ]
    same_day = fit_roles(roles, periods, pf_role="secretariat", is_core=True, on=D(2024, 4, 1))
    assert same_day[-1] == RoleSpan("secretariat", True, D(2024, 4, 1))  # corrected, not split
    left = [Period(D(2022, 4, 1), D(2025, 3, 31))]
    closed = fit_roles(same_day, left, pf_role="secretariat", is_core=True, on=TODAY)
    assert closed[-1].ended_on == D(2025, 3, 31)
    rejoined = [*left, Period(D(2026, 4, 1))]
    again = fit_roles(closed, rejoined, pf_role="member", is_core=False, on=TODAY)
    assert again[-1] == RoleSpan("member", False, D(2026, 4, 1)) and again[:-1] == closed
    assert fit_roles(again, rejoined, pf_role="member", is_core=False, on=TODAY) == again  # nothing changed
