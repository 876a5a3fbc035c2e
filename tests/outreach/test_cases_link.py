"""A household found at a food distribution starts a case with the event as its source; the
event shows a count only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Case, CaseEvent
from outreach import events as ev
from outreach.models import CaseSource, EventChange, EventType
from tests.outreach.conftest import make_event

pytestmark = pytest.mark.django_db

INTAKE = {
    "intake_date": "2023-12-10",
    "person_name": "宇和島 花子",
    "source": "outreach",
    "situation": "配布会場で食料が足りないと相談があった",
    "hardship_reason": "年金のみで食費が足りない",
    "willingness_reason": "本人が支援を希望した",
}


@pytest.fixture
def distribution(platform_a):
    return make_event(
        platform_a,
        name="食のアウトリーチ支援",
        event_type=EventType.objects.get(platform__isnull=True, code="food_distribution"),
        unit="households",
    )


def test_a_case_started_at_a_distribution(secretariat_a, platform_a, distribution):
    page = secretariat_a.get(reverse("outreach:case-new", args=[platform_a.slug, distribution.pk]))
    assert page.status_code == 200
    response = secretariat_a.post(
        reverse("outreach:case-new", args=[platform_a.slug, distribution.pk]), INTAKE
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(platform=platform_a)
    assert case.source == "outreach"
    assert CaseSource.objects.get(case=case).event == distribution
    assert CaseEvent.objects.filter(case=case).exists()  # the ledger logged its own creation
    change = EventChange.objects.get(event=distribution, action=ev.CASE_STARTED)
    assert change.changes == {"cases_started": [0, 1]}
    assert "宇和島 花子" not in str(change.changes)
    body = secretariat_a.get(
        reverse("outreach:detail", args=[platform_a.slug, distribution.pk])
    ).content.decode()
    assert "この事業から始まったケース" in body and "1件" in body
    assert "宇和島 花子" not in body  # a count only


def test_bad_intake_saves_nothing(secretariat_a, platform_a, distribution):
    response = secretariat_a.post(
        reverse("outreach:case-new", args=[platform_a.slug, distribution.pk]), INTAKE | {"situation": ""}
    )
    assert response.status_code == 200
    assert not Case.objects.exists() and not CaseSource.objects.exists()


def test_coordinators_and_other_platforms_cannot_start_cases(
    coordinator_a, secretariat_b, platform_a, distribution
):
    url = reverse("outreach:case-new", args=[platform_a.slug, distribution.pk])
    assert coordinator_a.post(url, INTAKE).status_code == 403
    assert secretariat_b.post(url, INTAKE).status_code == 404
    assert not Case.objects.exists()
