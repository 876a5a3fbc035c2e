"""Consent gates the referral (Primero's rule); an override needs its own right, a reason, and is
logged and shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import CaseEvent, Referral
from tests.ledger import make_case

REFERRAL_POST = {"support_type": "food", "adults": 1, "children": 0, "days": 3, "urgency": "normal"}


def _refer(client, case, platform, org, **extra):
    url = reverse("cases:referral-create", kwargs={"platform": platform.slug, "pk": case.pk})
    return client.post(url, {"organisation": org.pk, **REFERRAL_POST, **extra})


def test_a_referral_without_consent_is_refused(secretariat_a, platform_a, org_a):
    case = make_case(platform_a, secretariat_a.user)
    response = _refer(secretariat_a, case, platform_a, org_a)
    assert response.status_code == 200
    assert "有効な同意がありません" in response.text
    assert not Referral.objects.exists()
    assert not CaseEvent.objects.filter(action__startswith="cases.referral").exists()


def test_consent_for_another_organisation_does_not_cover(secretariat_a, platform_a, org_a, other_org_a):
    case = make_case(platform_a, secretariat_a.user, org=other_org_a, refer=False)
    response = _refer(secretariat_a, case, platform_a, org_a)
    assert "有効な同意がありません" in response.text
    assert not Referral.objects.exists()
    assert _refer(secretariat_a, case, platform_a, other_org_a).status_code == 302
    assert Referral.objects.get().organisation == other_org_a


@pytest.mark.parametrize("change", ["revoked", "expired"])
def test_revoked_or_expired_consent_does_not_cover(secretariat_a, platform_a, org_a, change):
    case = make_case(platform_a, secretariat_a.user, org=org_a, refer=False)
    consent = case.consents.get()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    if change == "revoked":
        url = reverse(
            "cases:consent-revoke",
            kwargs={"platform": platform_a.slug, "pk": case.pk, "consent_id": consent.pk},
        )
        assert secretariat_a.post(url, {"revoked_on": timezone.localdate().isoformat()}).status_code == 302
        assert CaseEvent.objects.filter(case=case, action="cases.consent.revoked").exists()
    else:
        consent.given_on = yesterday - dt.timedelta(days=30)
        consent.expires_on = yesterday
        consent.save()
    response = _refer(secretariat_a, case, platform_a, org_a)
    assert "有効な同意がありません" in response.text
    assert not Referral.objects.exists()


def test_consent_needs_all_four_points(secretariat_a, platform_a, org_a):
    case = make_case(platform_a, secretariat_a.user)
    url = reverse("cases:consent-create", kwargs={"platform": platform_a.slug, "pk": case.pk})
    response = secretariat_a.post(
        url,
        {
            "method": "written",
            "given_by": "本人",
            "given_on": "2026-04-10",
            "ack_share": "on",
            "ack_no_choice": "on",
            "ack_take_support": "on",
            "organisations": [org_a.pk],
            "items": ["age"],
        },
    )
    assert response.status_code == 200 and "本人への説明と同意を確認してください" in response.text
    assert not case.consents.exists()


def test_the_override_field_is_not_offered_without_the_right(secretariat_a, platform_a, org_a):
    case = make_case(platform_a, secretariat_a.user)
    url = reverse("cases:referral-create", kwargs={"platform": platform_a.slug, "pk": case.pk})
    assert "override_reason" not in secretariat_a.get(url).text
    response = _refer(secretariat_a, case, platform_a, org_a, override_reason="緊急のため")
    assert "有効な同意がありません" in response.text
    assert not Referral.objects.exists()


def test_an_override_needs_a_reason(overrider_a, platform_a, org_a):
    case = make_case(platform_a, overrider_a.user)
    response = _refer(overrider_a, case, platform_a, org_a)
    assert "理由を書いてください" in response.text
    assert not Referral.objects.exists()


def test_an_override_with_a_reason_is_logged_and_shown(overrider_a, secretariat_a, platform_a, org_a):
    case = make_case(platform_a, overrider_a.user)
    response = _refer(
        overrider_a, case, platform_a, org_a, override_reason="本人が入院中で、緊急に食糧が必要なため"
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.consent is None and referral.is_override
    event = CaseEvent.objects.get(case=case, action="cases.referral.consent_override")
    assert event.actor == overrider_a.user and event.data["organisation"] == org_a.pk
    assert "本人が入院中" not in str(event.data)  # the reason is on the referral, not copied into the log
    page = secretariat_a.get(
        reverse("cases:detail", kwargs={"platform": platform_a.slug, "pk": case.pk})
    ).text
    assert "同意の範囲外（権限による依頼）" in page and "本人が入院中で" in page


def test_with_consent_the_override_reason_is_ignored(overrider_a, platform_a, org_a):
    case = make_case(platform_a, overrider_a.user, org=org_a, refer=False)
    _refer(overrider_a, case, platform_a, org_a, override_reason="不要な理由")
    referral = Referral.objects.get()
    assert referral.consent is not None and not referral.is_override
    assert CaseEvent.objects.filter(case=case, action="cases.referral.sent").exists()


def test_the_service_refuses_without_consent_even_if_called_directly(secretariat_a, platform_a, org_a):
    from django.core.exceptions import ValidationError

    case = make_case(platform_a, secretariat_a.user)
    with pytest.raises(ValidationError):
        services.referral_send(
            case=case, actor=secretariat_a.user, organisation=org_a, data={}, override_reason="x"
        )
    assert not Referral.objects.exists()


def test_an_organisation_of_another_platform_cannot_be_named(secretariat_a, platform_a, org_a, org_b):
    from django.core.exceptions import ValidationError

    case = make_case(platform_a, secretariat_a.user, org=org_a, refer=False)
    response = _refer(secretariat_a, case, platform_a, org_b)
    assert response.status_code == 200 and not Referral.objects.exists()
    with pytest.raises(ValidationError):
        services.referral_send(case=case, actor=secretariat_a.user, organisation=org_b, data={})
    with pytest.raises(ValidationError):
        services.consent_record(
            case=case,
            actor=secretariat_a.user,
            organisations=[org_b],
            data={
                "method": "oral",
                "given_by": "本人",
                "given_on": timezone.localdate(),
                "ack_share": True,
                "ack_no_choice": True,
                "ack_take_support": True,
                "ack_end_rule": True,
                "items": ["age"],
            },
        )
    assert case.consents.count() == 1
