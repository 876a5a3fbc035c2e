"""axe-core finds no WCAG 2.2 A/AA violations on the event screens, the report, the dashboard
(its SVG charts included) and the public list of events."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from outreach.models import EventType, MediaMetric
from outreach.types import BUILTIN_TYPES
from tests.browser.conftest import browser  # noqa: F401  (fixture)
from tests.cases.test_browser import _axe, _login
from tests.outreach.conftest import make_event

pytestmark = pytest.mark.browser


@pytest.fixture
def builtin_types(transactional_db):
    """A transactional test starts from empty tables: the data migration's types are gone."""
    for order, (code, name) in enumerate(BUILTIN_TYPES):
        EventType.objects.get_or_create(platform=None, code=code, defaults={"name": name, "order": order})


@pytest.fixture
def site(builtin_types, live_server, platform_a, org_a, contractor_a):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    event = make_event(
        platform_a,
        name="支援現場見学バスツアー",
        date_start=dt.date(2023, 12, 14),
        contractor=contractor_a,
        budget_yen=1158120,
        attendees_in_person=23,
        participants=[org_a],
        is_public=True,
    )
    event.sessions.create(date=dt.date(2023, 12, 14), applicants=25, attendees=23)
    event.kpis.create(name="参加者数", unit="人", target=30, actual=23)
    MediaMetric.objects.create(
        event=event, medium="Google 広告 検索", impressions=1000, clicks=27, conversions=3
    )
    return live_server.url, platform_a, event


def test_the_staff_pages_have_no_axe_violations(site, browser, secretariat_a):  # noqa: F811
    base, platform, event = site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP", bypass_csp=True)
    page = context.new_page()
    _login(page, base, secretariat_a.user)
    for path in [
        "outreach/?year=2023",
        f"outreach/{event.pk}/",
        f"outreach/{event.pk}/edit/",
        "outreach/new/",
        "outreach/types/",
        "outreach/import/",
        "outreach/report/2023/",
        "dashboard/?year=2023",
    ]:
        page.goto(f"{base}/p/{platform.slug}/{path}")
        assert _axe(page) == [], path
    context.close()


def test_the_public_events_page_has_no_axe_violations(site, browser):  # noqa: F811
    base, platform, _event = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base}/d/{platform.slug}/events/")
    assert page.get_by_role("heading", name="支援現場見学バスツアー").is_visible()
    assert _axe(page) == []
    context.close()
