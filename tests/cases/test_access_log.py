"""Every view, change and export writes an entry; entries cannot be changed or deleted; AUDIT_VIEW reads them."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseEvent
from tests import factories as f
from tests.ledger import PERSON_NAME, SITUATION


def _last(case=None):
    qs = CaseEvent.objects.order_by("-id")
    return (qs.filter(case=case) if case else qs).first()


@pytest.mark.parametrize("persona", ["secretariat_a", "coordinator_a", "wg_member_a"])
def test_each_view_of_a_case_is_logged(request, case_a, persona):
    client = request.getfixturevalue(persona)
    client.get(reverse("cases:detail", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk}))
    event = _last(case_a)
    assert (
        event.action == "cases.case.viewed"
        and event.actor == client.user
        and event.platform == case_a.platform
    )
    assert PERSON_NAME not in str(event.data) and SITUATION not in str(event.data)


def test_each_change_is_logged_with_field_names_but_no_personal_values(secretariat_a, case_a):
    url = reverse("cases:edit", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk})
    secretariat_a.post(
        url,
        {
            "intake_date": "2026-04-10",
            "person_name": "架空 次郎",
            "age": "80代",
            "sex": "female",
            "source": "self",
            "situation": "新しい状況",
            "hardship_reason": "x",
            "willingness_reason": "y",
            "version": case_a.version,
        },
    )
    event = _last(case_a)
    assert event.action == "cases.case.updated" and event.actor == secretariat_a.user
    assert {"person_name", "age", "situation"} <= set(event.data["fields"])
    assert (
        "架空 次郎" not in str(event.data)
        and "新しい状況" not in str(event.data)
        and "80代" not in str(event.data)
    )


def test_the_ledger_list_is_logged(secretariat_a, case_a):
    secretariat_a.get(reverse("cases:list", kwargs={"platform": case_a.platform.slug}))
    assert _last().action == "cases.list.viewed"


def test_events_cannot_be_changed_or_deleted(case_a):
    event = _last(case_a)
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        CaseEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert CaseEvent.objects.get(pk=event.pk).action != "tampered"


def test_the_admin_is_read_only(admin_user):
    model_admin = site._registry[CaseEvent]
    req = RequestFactory().get("/")
    req.user = admin_user
    assert not model_admin.has_add_permission(req)
    assert not model_admin.has_change_permission(req)
    assert not model_admin.has_delete_permission(req)


def test_administrators_read_the_log_per_case_and_per_user(admin_a, coordinator_a, case_a):
    coordinator_a.get(reverse("cases:detail", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk}))
    page = admin_a.get(reverse("cases:audit", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk}))
    assert (
        page.status_code == 200
        and "ケースを閲覧した" in page.text
        and coordinator_a.user.username in page.text
    )
    page = admin_a.get(
        reverse(
            "cases:user-audit", kwargs={"platform": case_a.platform.slug, "user_id": coordinator_a.user.pk}
        )
    )
    assert page.status_code == 200 and f"#{case_a.pk}" in page.text
    # reading the log is itself logged
    assert _last().action == "cases.audit.viewed" and _last().actor == admin_a.user


def test_a_user_of_another_platform_is_not_found_in_the_user_log(admin_a, secretariat_b, platform_a):
    url = reverse("cases:user-audit", kwargs={"platform": platform_a.slug, "user_id": secretariat_b.user.pk})
    assert admin_a.get(url).status_code == 404


def test_handoffs_and_responses_are_logged_with_their_actor(coordinator_a, case_a, referral_a):
    base = {"platform": case_a.platform.slug, "pk": case_a.pk, "referral_id": referral_a.pk}
    coordinator_a.post(reverse("cases:referral-respond", kwargs=base), {"decision": "accept"})
    assert _last(case_a).action == "cases.referral.accepted" and _last(case_a).actor == coordinator_a.user
    coordinator_a.post(
        reverse("cases:handoff-create", kwargs=base),
        {"date": timezone.localdate().isoformat(), "given": "米"},
    )
    assert _last(case_a).action == "cases.handoff.recorded" and _last(case_a).actor == coordinator_a.user


def _post_for(name, case, referral, member, other_user, org):
    today = timezone.localdate().isoformat()
    plan = {
        "support_type": "food",
        "city_support": "",
        "npo_support": "",
        "frequency_per_month": 1,
        "version": case.version,
    }
    return {
        "edit": (
            {
                "intake_date": "2026-04-10",
                "person_name": "x",
                "age": "42",
                "sex": "female",
                "source": "self",
                "situation": "s",
                "hardship_reason": "h",
                "willingness_reason": "w",
                "version": case.version,
            },
            "cases.case.updated",
        ),
        "plan": (plan, "cases.case.updated"),
        "consent-create": (
            {
                "method": "oral",
                "given_by": "本人",
                "given_on": today,
                "ack_share": "on",
                "ack_no_choice": "on",
                "ack_take_support": "on",
                "ack_end_rule": "on",
                "organisations": [org.pk],
                "items": ["age"],
            },
            "cases.consent.recorded",
        ),
        "consent-revoke": ({"revoked_on": today}, "cases.consent.revoked"),
        "referral-create": (
            {
                "organisation": org.pk,
                "support_type": "food",
                "adults": 1,
                "children": 0,
                "days": 3,
                "urgency": "normal",
            },
            "cases.referral.sent",
        ),
        "close": ({"reason": "moved", "closed_on": today, "version": case.version}, "cases.case.closed"),
        "working-group": ({"user": other_user.pk}, "cases.working_group.added"),
        "working-group-remove": ({}, "cases.working_group.removed"),
    }[name]


@pytest.mark.parametrize(
    "name",
    [
        "edit",
        "plan",
        "consent-create",
        "consent-revoke",
        "referral-create",
        "close",
        "working-group",
        "working-group-remove",
    ],
)
def test_each_secretariat_change_writes_one_event(
    secretariat_a, other_coordinator_a, case_a, referral_a, org_a, name
):
    kwargs = {"platform": case_a.platform.slug, "pk": case_a.pk}
    if name == "consent-revoke":
        kwargs["consent_id"] = case_a.consents.get().pk
    if name == "working-group-remove":
        kwargs["member_id"] = case_a.working_group.get().pk
    if name == "referral-create":  # org_a declined the first referral: the city may ask again
        type(referral_a).objects.filter(pk=referral_a.pk).update(status="declined")
    if name == "working-group":  # only a person bound by the council's duty may join
        f.seat(other_coordinator_a.user, case_a.platform)
    data, action = _post_for(name, case_a, referral_a, None, other_coordinator_a.user, org_a)
    before = CaseEvent.objects.filter(case=case_a, action=action).count()
    response = secretariat_a.post(reverse(f"cases:{name}", kwargs=kwargs), data)
    assert response.status_code == 302, response.content[:500]
    events = CaseEvent.objects.filter(case=case_a, action=action)
    assert events.count() == before + 1
    assert events.latest("id").actor == secretariat_a.user


def test_reports_to_the_city_surface_on_the_list_and_home(
    secretariat_a, coordinator_a, case_a, accepted_a, platform_a
):
    from cases import services

    url = reverse("cases:list", kwargs={"platform": platform_a.slug})
    assert f"/cases/{case_a.pk}/" not in secretariat_a.get(url, {"stale": "reports"}).text
    services.handoff_record(
        referral=accepted_a,
        actor=coordinator_a.user,
        data={"date": timezone.localdate(), "given": "米", "noticed": "n", "report_to_city": True},
    )
    assert f"/cases/{case_a.pk}/" in secretariat_a.get(url, {"stale": "reports"}).text
    home = secretariat_a.get(reverse("platform-home", kwargs={"platform": platform_a.slug}))
    assert "団体からの報告" in home.text and "?stale=reports" in home.text


def test_the_log_of_a_user_whose_role_was_removed_stays_readable(admin_a, coordinator_a, case_a):
    from platform_site.models import PlatformRole

    coordinator_a.get(reverse("cases:detail", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk}))
    PlatformRole.objects.filter(user=coordinator_a.user).delete()
    url = reverse(
        "cases:user-audit", kwargs={"platform": case_a.platform.slug, "user_id": coordinator_a.user.pk}
    )
    response = admin_a.get(url)
    assert response.status_code == 200 and "ケースを閲覧した" in response.text
