"""The platform dashboard: panels from each app, figures only, a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Handoff
from orgs.models import Membership
from platform_site import extensions
from platform_site.models import MembershipTarget
from tests import factories as f
from tests.ledger import PERSON_NAME, make_case
from tests.outreach.conftest import make_event

TOKYO_NOON = dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC)
# Figures of 令和8年度 seen in June 2026; the clock is set before the personas log in.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def dashboard(client, platform, year=2026):
    return client.get(reverse("platform-dashboard", args=[platform.slug]), {"year": year})


def test_only_staff_see_the_dashboard(coordinator_a, secretariat_b, anon, platform_a):
    assert dashboard(coordinator_a, platform_a).status_code == 403
    assert dashboard(secretariat_b, platform_a).status_code == 404
    assert dashboard(anon, platform_a).status_code == 302


@pytest.mark.frozen_at(TOKYO_NOON)
def test_the_panels_show_members_events_budget_and_monthly_flow(
    secretariat_a, platform_a, org_a, other_org_a
):
    MembershipTarget.objects.create(platform=platform_a, fiscal_year=2025, target=15)
    MembershipTarget.objects.create(platform=platform_a, fiscal_year=2027, target=30)
    Membership.objects.filter(platform=platform_a).update(joined_on=dt.date(2024, 5, 1))
    make_event(
        platform_a,
        fiscal_year=2026,
        name="研修A",
        attendees_in_person=40,
        budget_yen=800_000,
        spent_yen=790_000,
    )
    tour = make_event(platform_a, fiscal_year=2026, name="配布", unit="households", budget_yen=200_000)
    tour.sessions.create(date=dt.date(2026, 6, 1), attendees=138)
    tour.sessions.create(date=dt.date(2026, 6, 8), attendees=80)
    case = make_case(platform_a, secretariat_a.user, org=org_a)
    Handoff.objects.create(
        case=case,
        referral=case.referrals.get(),
        organisation=org_a,
        date=dt.date(2026, 6, 15),
        given="米5kg",
        recorded_by=secretariat_a.user,
    )
    body = dashboard(secretariat_a, platform_a).content.decode()
    assert "令和8年度の状況" in body
    assert "目標（令和9年度まで） 30" in body  # the target line, as text
    assert "令和6年度: 参加団体 2、目標 —" in body  # members at the end of each 年度 (chart description)
    assert "令和7年度: 参加団体 2、目標 15" in body
    assert "研修・講演: 事業数 2" in body
    assert "40人" in body and "218世帯" in body  # reach in its unit: sessions counted once
    assert "1,000,000円" in body and "790,000円" in body  # budget planned and spent
    assert "6月: 紹介 1、引き渡し 1" in body
    assert PERSON_NAME not in body and "米5kg" not in body  # figures only
    assert body.count("<svg") == 4 and "<title" in body


def _queries(client, platform) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert dashboard(client, platform).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.frozen_at(TOKYO_NOON)
def test_the_query_count_does_not_depend_on_the_data(secretariat_a, platform_a, org_a):
    dashboard(secretariat_a, platform_a)  # warm the session
    empty = _queries(secretariat_a, platform_a)
    for n in range(15):
        event = make_event(platform_a, fiscal_year=2026, name=f"事業{n}", attendees_in_person=n)
        event.sessions.create(date=dt.date(2026, 7, 1), attendees=n)
    for _ in range(3):
        make_case(platform_a, secretariat_a.user, org=org_a)
    assert _queries(secretariat_a, platform_a) == empty


def test_panels_come_from_the_apps_hook():
    templates = [p.template for p in sorted(extensions._DASHBOARD_PANELS.values(), key=lambda p: p.order)]
    assert templates[:3] == [
        "orgs/_dashboard_panel.html",
        "cases/_dashboard_panel.html",
        "outreach/_dashboard_panel.html",
    ]


def test_the_survey_headline_comes_from_the_surveys_panel(client):
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    f.login_verified(client, get_user_model().objects.get(username="jimukyoku-kitakyushu"))
    body = client.get(reverse("platform-dashboard", args=["kitakyushu"]), {"year": 2022}).content.decode()
    assert "人々のつながりに関する基礎調査" in body
    assert "孤独感（直接質問）" in body and "しばしばある・常にある" in body
