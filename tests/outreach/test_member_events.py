"""Events run by members: the organiser's coordinator edits its own event and records its results;
the secretariat still edits and reports everything; other coordinators cannot."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outreach import events as ev
from outreach.models import EventChange

pytestmark = pytest.mark.django_db


def url(name, platform, *args):
    return reverse(f"outreach:{name}", args=[platform.slug, *args])


def _organiser_form(event, **overrides):
    data = {
        "name": event.name,
        "event_type": str(event.event_type_id),
        "status": "done",
        "unit": "households",
        "format": "in_person",
        "date_start": "2023-11-18",
        "attendees_in_person": "42",
        "results": "食糧を42世帯に配布し、3世帯を相談につないだ。",
        "version": str(event.version),
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-date": "2023-11-18",
        "sessions-0-applicants": "45",
        "sessions-0-attendees": "42",
        "kpis-TOTAL_FORMS": "1",
        "kpis-INITIAL_FORMS": "0",
        "kpis-0-name": "相談につないだ世帯",
        "kpis-0-unit": "世帯",
        "kpis-0-actual": "3",
    }
    for kind in ("media", "distributions"):
        data |= {f"{kind}-TOTAL_FORMS": "0", f"{kind}-INITIAL_FORMS": "0"}
    return data | overrides


def test_the_organisers_coordinator_records_the_results(other_coordinator_a, platform_a, event_other):
    detail = other_coordinator_a.get(url("detail", platform_a, event_other.pk)).content.decode()
    assert url("edit", platform_a, event_other.pk) in detail
    page = other_coordinator_a.get(url("edit", platform_a, event_other.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="budget_yen"' not in body and 'name="organiser"' not in body  # the secretariat's
    assert 'name="is_public"' not in body and 'name="fiscal_year"' not in body
    response = other_coordinator_a.post(url("edit", platform_a, event_other.pk), _organiser_form(event_other))
    assert response.status_code == 302, response.content.decode()[:3000]
    event_other.refresh_from_db()
    assert event_other.attendees_in_person == 42 and event_other.results.startswith("食糧を42世帯")
    assert [s.attendees for s in event_other.sessions.all()] == [42]
    assert event_other.kpis.get().actual == 3
    change = EventChange.objects.get(event=event_other, action=ev.EVENT_UPDATED_BY_ORGANISER)
    assert change.actor == other_coordinator_a.user
    assert change.changes["attendees_in_person"] == [None, 42]
    assert change.changes["sessions"] == [0, 1] and change.changes["kpis"] == [0, 1]
    # the history is shown to the organiser, with who made the change
    detail = other_coordinator_a.get(url("detail", platform_a, event_other.pk)).content.decode()
    assert "実施団体による編集" in detail


def test_the_organiser_cannot_change_the_secretariats_fields(other_coordinator_a, platform_a, event_other):
    data = _organiser_form(
        event_other, budget_yen="999", is_public="on", organiser="", fiscal_year="2030", is_trial=""
    )
    response = other_coordinator_a.post(url("edit", platform_a, event_other.pk), data)
    assert response.status_code == 302
    event_other.refresh_from_db()
    assert event_other.budget_yen is None and not event_other.is_public
    assert event_other.organiser is not None and event_other.fiscal_year == 2023 and event_other.is_trial


def test_bad_input_from_the_organiser_is_refused_in_japanese(other_coordinator_a, platform_a, event_other):
    data = _organiser_form(event_other, date_start="2022-06-01", **{"sessions-TOTAL_FORMS": "0"})
    response = other_coordinator_a.post(url("edit", platform_a, event_other.pk), data)
    assert response.status_code == 200
    assert "開始日が令和5年度ではありません。" in response.content.decode()
    assert not EventChange.objects.filter(event=event_other).exists()


def test_other_coordinators_cannot_edit(
    coordinator_a, other_coordinator_a, platform_a, event_own, event_other
):
    # coordinator_a does not see other_org_a's event at all: 404, its POST too
    assert coordinator_a.get(url("edit", platform_a, event_other.pk)).status_code == 404
    response = coordinator_a.post(url("edit", platform_a, event_other.pk), _organiser_form(event_other))
    assert response.status_code == 404
    # org_a takes part in event_own but does not organise it: seen, not editable
    assert coordinator_a.get(url("edit", platform_a, event_own.pk)).status_code == 403
    assert (
        url("edit", platform_a, event_own.pk)
        not in coordinator_a.get(url("detail", platform_a, event_own.pk)).content.decode()
    )
    assert other_coordinator_a.get(url("edit", platform_a, event_own.pk)).status_code == 404
    assert not EventChange.objects.exists()


def test_a_coordinator_still_creates_no_event(other_coordinator_a, platform_a):
    assert other_coordinator_a.get(url("create", platform_a)).status_code == 403


def test_the_secretariat_still_edits_and_reports_a_member_run_event(
    other_coordinator_a, secretariat_a, platform_a, event_other
):
    other_coordinator_a.post(url("edit", platform_a, event_other.pk), _organiser_form(event_other))
    page = secretariat_a.get(url("edit", platform_a, event_other.pk))
    assert page.status_code == 200 and 'name="budget_yen"' in page.content.decode()
    report = secretariat_a.get(url("report", platform_a, 2023)).content.decode()
    assert "みどり食堂の食糧配布" in report and "相談につないだ世帯: 3世帯" in report
    detail = secretariat_a.get(url("detail", platform_a, event_other.pk)).content.decode()
    assert "実施団体による編集" in detail
