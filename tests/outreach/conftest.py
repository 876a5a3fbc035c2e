"""Events of platform A (org_a takes part in one, other_org_a organises another) and one of B."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from outreach.models import Contractor, Event, EventType
from platform_site.models import Platform


def make_event(platform: Platform, **kw: Any) -> Event:
    participants = kw.pop("participants", [])
    kw.setdefault("fiscal_year", 2023)
    kw.setdefault("name", "テスト研修会")
    kw.setdefault("event_type", EventType.objects.get(platform__isnull=True, code="training"))
    event = Event.objects.create(platform=platform, **kw)
    event.participants.set(participants)
    return event


@pytest.fixture
def contractor_a(platform_a):
    return Contractor.objects.create(platform=platform_a, name="ひかり印刷", legal_form="株式会社")


@pytest.fixture
def event_own(platform_a, org_a, contractor_a):
    """An event org_a (coordinator_a's) takes part in."""
    return make_event(
        platform_a,
        name="支援現場見学バスツアー",
        event_type=EventType.objects.get(platform__isnull=True, code="bus_tour"),
        date_start=dt.date(2023, 12, 14),
        contractor=contractor_a,
        budget_yen=1158120,
        attendees_in_person=23,
        participants=[org_a],
    )


@pytest.fixture
def event_other(platform_a, other_org_a):
    """An event organised by other_org_a, without org_a."""
    return make_event(platform_a, name="みどり食堂の食糧配布", organiser=other_org_a, organiser_kind="member")


@pytest.fixture
def event_b(platform_b):
    return make_event(platform_b, name="B市シンポジウム")
