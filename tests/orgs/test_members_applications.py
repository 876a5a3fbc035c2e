"""Applying to be listed: the public form (no account), the review (approve / ask for more /
decline, the applicant told by email), nothing public before approval, and the throttle."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from orgs.members import services
from orgs.models import (
    ApplicationEvent,
    ApplicationStatus,
    ListingApplication,
    Membership,
    MembershipSource,
    MembershipStatus,
    Organisation,
)

pytestmark = pytest.mark.usefixtures("frozen_now")


def _application(**over):
    data = {
        "wish": "join",
        "name": "ひまわり子育てひろば",
        "name_kana": "ヒマワリコソダテヒロバ",
        "legal_form": "NPO法人",
        "activity": "乳幼児のいる家庭の孤立を防ぐ、ひろばと訪問の活動",
        "website": "",
        "address": "",
        "public_phone": "096-000-1111",
        "contact_name": "架空 花子",
        "contact_email": "hanako@example.jp",
        "contact_phone": "",
        "consent_listing": "on",
        "fax": "",
    }
    data.update(over)
    return data


def _apply(client, platform, **over):
    return client.post(reverse("directory:apply", args=[platform.slug]), _application(**over))


def test_a_group_applies_without_an_account_and_nothing_is_public(anon, platform_a):
    assert anon.get(reverse("directory:apply", args=[platform_a.slug])).status_code == 200
    response = _apply(anon, platform_a)
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:apply-sent", args=[platform_a.slug])
    application = ListingApplication.objects.get()
    assert application.status == ApplicationStatus.PENDING
    assert application.sender_key and "127.0.0.1" not in application.sender_key
    assert not Organisation.objects.filter(name="ひまわり子育てひろば").exists()
    page = anon.get(reverse("directory:index", args=[platform_a.slug]), {"q": "ひまわり"}).content.decode()
    assert "ひまわり子育てひろば" not in page
    assert ApplicationEvent.objects.get().action == "orgs.application.received"


def test_bad_input_says_why_in_japanese_and_saves_nothing(anon, platform_a):
    response = _apply(
        anon, platform_a, name_kana="", contact_email="not-an-address", wish="list_only", consent_listing=""
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "団体名カナを入力してください。" in text
    assert "メールアドレスの形が正しくありません" in text
    assert "掲載への同意が必要です" in text
    assert not ListingApplication.objects.exists()


def test_the_honeypot_keeps_nothing(anon, platform_a):
    response = _apply(anon, platform_a, fax="buy now")
    assert response.status_code == 302
    assert not ListingApplication.objects.exists()


def test_a_burst_of_100_from_one_address_is_throttled(anon, platform_a):
    statuses = [_apply(anon, platform_a, name=f"団体{i}").status_code for i in range(100)]
    assert statuses[: services.APPLICATIONS_PER_HOUR] == [302] * services.APPLICATIONS_PER_HOUR
    assert set(statuses[services.APPLICATIONS_PER_HOUR :]) == {429}
    assert ListingApplication.objects.count() == services.APPLICATIONS_PER_HOUR
    # another address is not held up by this one
    other = anon.post(
        reverse("directory:apply", args=[platform_a.slug]), _application(), REMOTE_ADDR="203.0.113.9"
    )
    assert other.status_code == 302


def test_an_unpublished_or_unknown_platform_has_no_form(anon, platform_a):
    assert anon.get(reverse("directory:apply", args=["nowhere"])).status_code == 404
    platform_a.is_public = False
    platform_a.save()
    assert anon.get(reverse("directory:apply", args=[platform_a.slug])).status_code == 404


def test_approving_lists_the_organisation_and_tells_the_applicant(anon, secretariat_a, platform_a):
    _apply(anon, platform_a)
    application = ListingApplication.objects.get()
    url = reverse("orgs:application", args=[platform_a.slug, application.pk])
    page = secretariat_a.get(url)
    assert page.status_code == 200
    assert "hanako@example.jp" in page.content.decode()
    viewed = ApplicationEvent.objects.filter(action="orgs.application.viewed").get()
    assert viewed.actor == secretariat_a.user  # the staff view of contact details is recorded
    mail.outbox.clear()
    response = secretariat_a.post(
        url, {"decision": "approved", "decided_on": "2026-05-19", "note": "ようこそ"}
    )
    org = Organisation.objects.get(name="ひまわり子育てひろば")
    assert response.status_code == 302
    membership = Membership.objects.get(platform=platform_a, organisation=org)
    assert membership.status == MembershipStatus.MEMBER
    assert membership.source == MembershipSource.APPLICATION
    assert org.public_listing is True
    assert [p.number for p in org.phones.all()] == ["096-000-1111"]
    assert [m.to for m in mail.outbox] == [["hanako@example.jp"]]
    assert "承認しました" in mail.outbox[0].body and "ようこそ" in mail.outbox[0].body
    public = anon.get(reverse("directory:org", args=[platform_a.slug, org.pk]))
    assert public.status_code == 200
    assert "架空 花子" not in public.content.decode()  # the contact stays private
    # decided once: a second decision is refused
    again = secretariat_a.post(url, {"decision": "declined", "decided_on": "2026-05-19"})
    assert "すでに決定済みです" in again.content.decode()


def test_asking_for_more_then_declining(anon, secretariat_a, platform_a):
    _apply(anon, platform_a)
    application = ListingApplication.objects.get()
    url = reverse("orgs:application", args=[platform_a.slug, application.pk])
    response = secretariat_a.post(url, {"decision": "more_info", "decided_on": "2026-05-19", "note": ""})
    assert "何を追加で知りたいか" in response.content.decode()
    mail.outbox.clear()
    secretariat_a.post(
        url, {"decision": "more_info", "decided_on": "2026-05-19", "note": "活動の実績を教えてください。"}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.MORE_INFO
    assert "活動の実績" in mail.outbox[-1].body
    secretariat_a.post(
        url, {"decision": "declined", "decided_on": "2026-05-20", "note": "今回は見送ります。"}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert "見送り" in mail.outbox[-1].body
    assert not Organisation.objects.filter(name="ひまわり子育てひろば").exists()
    actions = list(ApplicationEvent.objects.order_by("at", "id").values_list("action", flat=True))
    assert "orgs.application.more_info" in actions and "orgs.application.declined" in actions


def test_a_representatives_meeting_platform_asks_for_the_meetings_date(anon, secretariat_a, platform_a):
    platform_a.applications_decided_by = "representatives"
    platform_a.save()
    _apply(anon, platform_a)
    application = ListingApplication.objects.get()
    url = reverse("orgs:application", args=[platform_a.slug, application.pk])
    page = secretariat_a.get(url).content.decode()
    assert "代表者会議の日付" in page
    response = secretariat_a.post(url, {"decision": "approved", "decided_on": ""})
    assert "代表者会議の日付を入力してください。" in response.content.decode()


def test_coordinators_and_other_platforms_do_not_see_applications(
    anon, coordinator_a, secretariat_b, platform_a
):
    _apply(anon, platform_a)
    application = ListingApplication.objects.get()
    url = reverse("orgs:application", args=[platform_a.slug, application.pk])
    assert coordinator_a.get(url).status_code == 403
    assert secretariat_b.get(url).status_code == 404
    assert anon.get(url).status_code == 302


def test_the_pipeline_lists_the_waiting_applications(anon, secretariat_a, platform_a):
    _apply(anon, platform_a)
    page = secretariat_a.get(reverse("orgs:pipeline", args=[platform_a.slug])).content.decode()
    assert "ひまわり子育てひろば" in page


def test_the_review_list_has_a_fixed_query_count(anon, secretariat_a, platform_a, django_assert_num_queries):
    for i in range(3):
        _apply(anon, platform_a, name=f"団体{i}")
    url = reverse("orgs:applications", args=[platform_a.slug])
    secretariat_a.get(url)
    # session, user, 2FA device, platform, role; the open and the decided applications
    with django_assert_num_queries(7):
        page = secretariat_a.get(url)
    assert page.status_code == 200
    assert "hanako@example.jp" not in page.content.decode()  # the list shows no contact details
