"""Two people editing the same case: the second save is refused with a clear message, nothing overwritten."""

from __future__ import annotations

from django.urls import reverse

from cases.models import Case, CaseEvent

PLAN = {"support_type": "food", "city_support": "", "npo_support": "", "frequency_per_month": 2}


def test_the_second_editor_is_stopped(secretariat_a, admin_a, case_a):
    url = reverse("cases:plan", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk})
    opened_at = case_a.version  # both opened the form at this version
    assert (
        secretariat_a.post(url, {**PLAN, "city_support": "Aの方針", "version": opened_at}).status_code == 302
    )
    before = CaseEvent.objects.count()
    response = admin_a.post(url, {**PLAN, "city_support": "Bの方針", "version": opened_at})
    assert response.status_code == 200
    assert "他の人が更新しました" in response.text
    case = Case.objects.get(pk=case_a.pk)
    assert case.city_support == "Aの方針" and case.version == opened_at + 1
    assert CaseEvent.objects.count() == before


def test_closing_with_a_stale_version_is_refused(secretariat_a, admin_a, case_a):
    plan = reverse("cases:plan", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk})
    close = reverse("cases:close", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk})
    secretariat_a.post(plan, {**PLAN, "frequency_per_month": 1, "version": case_a.version})
    response = admin_a.post(close, {"reason": "moved", "closed_on": "2026-05-01", "version": case_a.version})
    assert "他の人が更新しました" in response.text
    assert Case.objects.get(pk=case_a.pk).status != "closed"


def test_a_handoff_does_not_make_the_open_form_stale(secretariat_a, coordinator_a, case_a, accepted_a):
    """Denormalised fields change without bumping the edit version: the city's form still saves."""
    url = reverse("cases:plan", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk})
    version = Case.objects.get(pk=case_a.pk).version
    coordinator_a.post(
        reverse(
            "cases:handoff-create",
            kwargs={"platform": case_a.platform.slug, "pk": case_a.pk, "referral_id": accepted_a.pk},
        ),
        {"date": "2026-04-20", "given": "米"},
    )
    assert secretariat_a.post(url, {**PLAN, "city_support": "見直し", "version": version}).status_code == 302
    case = Case.objects.get(pk=case_a.pk)
    assert case.city_support == "見直し" and case.handoff_count == 1
