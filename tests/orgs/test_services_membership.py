"""Members per fiscal year (selectors.membership_by_fiscal_year) and pipeline moves."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.core.exceptions import ValidationError

from orgs import services
from orgs.models import MembershipStatus
from orgs.selectors import membership_by_fiscal_year
from platform_site.models import MembershipTarget
from tests import factories as f


def rows(platform, today=dt.date(2025, 5, 1)):
    return [
        (r.label, r.members_at_end, r.joined, r.left, r.target)
        for r in membership_by_fiscal_year(platform=platform, today=today)
    ]


def test_it_counts_members_at_the_end_of_each_fiscal_year(platform_a):
    platform_a.founded_on = dt.date(2023, 3, 1)  # FY2022 (令和4年度)
    platform_a.save()
    MembershipTarget.objects.create(platform=platform_a, fiscal_year=2024, target=30)
    for _ in range(18):
        f.make_org(platform_a, membership={"joined_on": dt.date(2023, 3, 1)})
    for _ in range(3):
        f.make_org(platform_a, membership={"joined_on": dt.date(2024, 4, 1)})  # first day of FY2024
    f.make_org(
        platform_a,
        membership={
            "joined_on": dt.date(2023, 3, 31),
            "left_on": dt.date(2024, 3, 31),
            "status": MembershipStatus.WITHDRAWN,
        },
    )
    f.make_org(platform_a, membership={"status": MembershipStatus.CANDIDATE})  # not a member: no date
    assert rows(platform_a) == [
        ("令和4年度", 19, 19, 0, None),
        # left on 31 March 2024, the last day of FY2023: not a member at its end
        ("令和5年度", 18, 0, 1, None),
        ("令和6年度", 21, 3, 0, 30),
        ("令和7年度", 21, 0, 0, None),
    ]


def test_it_starts_at_the_earliest_joined_year_if_before_founding(platform_a):
    platform_a.founded_on = dt.date(2024, 6, 1)
    platform_a.save()
    f.make_org(platform_a, membership={"joined_on": dt.date(2022, 1, 10)})  # FY2021
    assert [r[0] for r in rows(platform_a)] == [
        "令和3年度",
        "令和4年度",
        "令和5年度",
        "令和6年度",
        "令和7年度",
    ]


def test_it_is_empty_without_dates(platform_a):
    f.make_org(platform_a, membership={"status": MembershipStatus.CANDIDATE})
    assert rows(platform_a) == []


def test_it_only_counts_this_platform(platform_a, platform_b):
    f.make_org(platform_b, membership={"joined_on": dt.date(2024, 5, 1)})
    assert rows(platform_a) == []


def test_membership_update_refuses_a_skipped_move_back(platform_a, org_a):
    m = org_a.memberships.get()
    with pytest.raises(ValidationError):
        services.membership_update(membership=m, actor=None, data={"status": MembershipStatus.CANDIDATE})
    m.refresh_from_db()
    assert m.status == MembershipStatus.MEMBER


@pytest.fixture
def process_clock_on_utc(monkeypatch):
    """The process's own zone (what ``date.today()`` follows) on UTC, as on most servers; Django's
    TIME_ZONE stays Asia/Tokyo, so only code that asks Django for the date gets Tokyo's."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_joining_and_leaving_take_the_tokyo_date_at_the_fiscal_year_boundary(
    platform_a, process_clock_on_utc
):
    """At 00:30 on 1 April in Tokyo it is still 31 March in UTC: the member joins in the new 年度,
    and a year later leaves on the first day of the next one (a member through 令和9年度)."""
    org = f.make_org(platform_a, membership={"status": MembershipStatus.CONTACTED})
    m = org.memberships.get()
    with time_machine.travel(dt.datetime(2027, 3, 31, 15, 30, tzinfo=dt.UTC), tick=False):
        assert dt.date.today() == dt.date(2027, 3, 31)  # the trap: the process's clock is on UTC
        services.membership_update(membership=m, actor=None, data={"status": MembershipStatus.MEMBER})
        m.refresh_from_db()
        assert m.joined_on == dt.date(2027, 4, 1)
    with time_machine.travel(dt.datetime(2028, 3, 31, 15, 30, tzinfo=dt.UTC), tick=False):
        assert dt.date.today() == dt.date(2028, 3, 31)
        services.membership_update(membership=m, actor=None, data={"status": MembershipStatus.WITHDRAWN})
    m.refresh_from_db()
    assert (m.status, m.left_on) == (MembershipStatus.WITHDRAWN, dt.date(2028, 4, 1))
    assert [r[:4] for r in rows(platform_a, today=dt.date(2028, 4, 1))] == [
        ("令和9年度", 1, 1, 0),
        ("令和10年度", 0, 0, 1),
    ]
