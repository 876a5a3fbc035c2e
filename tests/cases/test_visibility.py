"""A coordinator sees only the items the consent covers; the secretariat and the working group see all."""

from __future__ import annotations

from django.urls import reverse

from cases.models import Case
from tests.ledger import PERSON_NAME, SITUATION


def _detail(client, case) -> str:
    response = client.get(reverse("cases:detail", kwargs={"platform": case.platform.slug, "pk": case.pk}))
    assert response.status_code == 200
    return response.text


def test_the_coordinator_sees_only_consented_items(coordinator_a, case_a):
    # consent items: age, sex, situation — not name, contact, household, food needs
    page = _detail(coordinator_a, case_a)
    assert SITUATION in page and "<dd>42</dd>" in page and "女性" in page
    assert PERSON_NAME not in page and "090-0000-0000" not in page and "3人世帯" not in page
    assert "そば" not in page  # allergy detail is a food_needs item
    assert "家計が逼迫" not in page  # the city's eligibility reasoning stays with the city


def test_the_secretariat_sees_everything(secretariat_a, case_a):
    page = _detail(secretariat_a, case_a)
    assert PERSON_NAME in page and "090-0000-0000" in page and "そば" in page


def test_revoking_consent_hides_the_items_again(secretariat_a, coordinator_a, case_a):
    consent = case_a.consents.get()
    secretariat_a.post(
        reverse(
            "cases:consent-revoke",
            kwargs={"platform": case_a.platform.slug, "pk": case_a.pk, "consent_id": consent.pk},
        ),
        {"revoked_on": "2026-05-20"},  # today: the withdrawal counts from today
    )
    page = _detail(coordinator_a, case_a)
    assert SITUATION not in page


def test_the_inbox_shows_no_personal_data(coordinator_a, case_a):
    page = coordinator_a.get(reverse("cases:list", kwargs={"platform": case_a.platform.slug})).text
    assert f"/cases/{case_a.pk}/" in page
    assert PERSON_NAME not in page and SITUATION not in page


def test_the_other_coordinators_inbox_does_not_list_the_case(other_coordinator_a, case_a):
    page = other_coordinator_a.get(reverse("cases:list", kwargs={"platform": case_a.platform.slug})).text
    assert f"/cases/{case_a.pk}/" not in page


def test_no_url_carries_a_name(secretariat_a, case_a):
    page = secretariat_a.get(reverse("cases:list", kwargs={"platform": case_a.platform.slug})).text
    assert f'href="/p/{case_a.platform.slug}/cases/{case_a.pk}/"' in page
    assert Case.objects.count() == 1


def test_once_support_ends_the_coordinator_no_longer_sees_the_persons_data(
    secretariat_a, coordinator_a, case_a
):
    secretariat_a.post(
        reverse("cases:close", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk}),
        {"reason": "benefit", "closed_on": "2026-05-01", "version": case_a.version},
    )
    page = _detail(coordinator_a, case_a)  # the case and its referral stay visible to the organisation
    assert "他制度の給付が始まった" in page
    assert SITUATION not in page and "<dd>42</dd>" not in page  # not a bare "42": the page prints times


def test_after_declining_the_coordinator_no_longer_sees_the_persons_data(coordinator_a, case_a):
    referral = case_a.referrals.get()
    coordinator_a.post(
        reverse(
            "cases:referral-respond",
            kwargs={"platform": case_a.platform.slug, "pk": case_a.pk, "referral_id": referral.pk},
        ),
        {"decision": "decline", "reason": "no_capacity"},
    )
    page = _detail(coordinator_a, case_a)
    assert "受け入れ余力がない" in page and SITUATION not in page
