"""The manual's flow through the screens: find → plan → consent → refer → accept → hand off → close."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseEvent, CaseStatus, Handoff, Referral, ReferralStatus
from tests import factories as f
from tests.ledger import PERSON_NAME, SITUATION


def _url(name, platform, **kw):
    return reverse(f"cases:{name}", kwargs={"platform": platform.slug, **kw})


def test_the_whole_flow_works_through_the_screens(
    secretariat_a, coordinator_a, platform_a, org_a, django_capture_on_commit_callbacks
):
    coordinator_a.user.email = "coord@example.jp"
    coordinator_a.user.save()
    secretariat_a.user.email = "city@example.jp"
    secretariat_a.user.save()
    # 1. record the person and why both conditions hold
    response = secretariat_a.post(
        _url("create", platform_a),
        {
            "intake_date": "2026-04-10",
            "person_name": PERSON_NAME,
            "age": "42",
            "sex": "female",
            "source": "self",
            "situation": SITUATION,
            "hardship_reason": "困窮",
            "willingness_reason": "意思あり",
            "household": "",
            "contact": "",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("plan", platform_a, pk=case.pk)
    # 2. the plan
    response = secretariat_a.post(
        _url("plan", platform_a, pk=case.pk),
        {
            "support_type": "food",
            "city_support": "生活保護の申請支援",
            "npo_support": "食支援",
            "frequency_per_month": 2,
            "version": case.version,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.PLANNED and case.frequency_per_month == 2
    # 3. consent covering org_a
    response = secretariat_a.post(
        _url("consent-create", platform_a, pk=case.pk),
        {
            "method": "oral",
            "given_by": "本人",
            "given_on": timezone.localdate().isoformat(),
            "ack_share": "on",
            "ack_no_choice": "on",
            "ack_take_support": "on",
            "ack_end_rule": "on",
            "organisations": [org_a.pk],
            "items": ["age", "situation", "food_needs"],
        },
    )
    assert response.status_code == 302
    # 4. referral
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_a.post(
            _url("referral-create", platform_a, pk=case.pk),
            {
                "organisation": org_a.pk,
                "support_type": "food",
                "adults": 1,
                "children": 2,
                "days": 3,
                "food_needs": ["no_cook", "allergy"],
                "allergy_detail": "そば",
                "pickup_at": "2026-12-01T10:00",
                "urgency": "high",
            },
        )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.SENT and referral.consent is not None
    assert [m.to for m in mail.outbox] == [["coord@example.jp"]]
    # the coordinator's inbox shows it
    inbox = coordinator_a.get(_url("list", platform_a))
    assert (
        inbox.status_code == 200
        and _url("referral-respond", platform_a, pk=case.pk, referral_id=referral.pk) in inbox.text
    )
    # accept
    response = coordinator_a.post(
        _url("referral-respond", platform_a, pk=case.pk, referral_id=referral.pk), {"decision": "accept"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    case.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.responded_by == coordinator_a.user
    assert case.status == CaseStatus.ACTIVE and case.next_handoff_due is not None
    # log a handoff from a phone-sized form, flagged for the city
    today = timezone.localdate()
    response = coordinator_a.post(
        _url("handoff-create", platform_a, pk=case.pk, referral_id=referral.pk),
        {
            "date": today.isoformat(),
            "given": "缶詰と防災食",
            "quantity": "3日分",
            "noticed": "元気がない",
            "report_to_city": "on",
        },
    )
    assert response.status_code == 302
    handoff = Handoff.objects.get()
    assert handoff.report_to_city and handoff.recorded_by == coordinator_a.user
    case.refresh_from_db()
    assert case.last_handoff_on == today and case.handoff_count == 1
    assert case.next_handoff_due == today + dt.timedelta(days=15)
    # the city sees who did what and when
    page = secretariat_a.get(_url("detail", platform_a, pk=case.pk)).text
    assert "元気がない" in page and "自治体へ報告" in page and "団体が依頼を受諾した" in page
    assert coordinator_a.user.username in page
    # close: the NPO is told (a link only)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_a.post(
            _url("close", platform_a, pk=case.pk),
            {
                "reason": "benefit",
                "closed_on": today.isoformat(),
                "note": "養育手当の給付開始",
                "version": case.version,
            },
        )
    assert response.status_code == 302
    case.refresh_from_db()
    referral.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.close_reason == "benefit"
    assert referral.status == ReferralStatus.CLOSED
    assert [m.to for m in mail.outbox] == [["coord@example.jp"]]
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    for action in (
        "cases.case.created",
        "cases.case.updated",
        "cases.consent.recorded",
        "cases.referral.sent",
        "cases.referral.accepted",
        "cases.handoff.recorded",
        "cases.case.closed",
        "cases.case.viewed",
    ):
        assert action in actions


def test_emails_carry_no_personal_data_only_a_link(
    secretariat_a, coordinator_a, case_a, referral_a, platform_a, django_capture_on_commit_callbacks
):
    coordinator_a.user.email = "coord@example.jp"
    coordinator_a.user.save()
    secretariat_a.user.email = "city@example.jp"
    secretariat_a.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_a.post(
            _url("referral-respond", platform_a, pk=case_a.pk, referral_id=referral_a.pk),
            {"decision": "accept"},
        )
        coordinator_a.post(
            _url("handoff-create", platform_a, pk=case_a.pk, referral_id=referral_a.pk),
            {
                "date": timezone.localdate().isoformat(),
                "given": "米",
                "noticed": "体調が悪そう",
                "report_to_city": "on",
            },
        )
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        text = f"{message.subject}{message.body}"
        assert f"/cases/{case_a.pk}/" in message.body
        words = text.replace(f"/cases/{case_a.pk}/", "/cases/ID/")  # the link's id may itself contain "42"
        for secret in (PERSON_NAME, SITUATION, "体調が悪そう", "42", "米"):
            assert secret not in words
        assert f"/cases/{case_a.pk}/" in message.body


def test_decline_needs_a_reason_and_the_city_sees_it(
    secretariat_a, coordinator_a, case_a, referral_a, platform_a
):
    url = _url("referral-respond", platform_a, pk=case_a.pk, referral_id=referral_a.pk)
    response = coordinator_a.post(url, {"decision": "decline"})
    assert response.status_code == 200 and "辞退の理由を選んでください" in response.text
    referral_a.refresh_from_db()
    assert referral_a.status == ReferralStatus.SENT
    coordinator_a.post(url, {"decision": "decline", "reason": "no_capacity", "note": "今月は在庫切れ"})
    referral_a.refresh_from_db()
    case_a.refresh_from_db()
    assert referral_a.status == ReferralStatus.DECLINED and referral_a.decline_reason == "no_capacity"
    assert case_a.status == CaseStatus.CONSENTED
    page = secretariat_a.get(_url("detail", platform_a, pk=case_a.pk)).text
    assert "受け入れ余力がない" in page and "今月は在庫切れ" in page
    # answering twice is refused
    response = coordinator_a.post(url, {"decision": "accept"})
    assert "すでに応答済み" in response.text


def test_a_handoff_needs_an_accepted_referral(coordinator_a, case_a, referral_a, platform_a):
    response = coordinator_a.post(
        _url("handoff-create", platform_a, pk=case_a.pk, referral_id=referral_a.pk),
        {
            "date": timezone.localdate().isoformat(),
            "given": "米",
        },
    )
    assert response.status_code == 200 and "受諾中の依頼にだけ" in response.text
    assert not Handoff.objects.exists()


def test_a_future_handoff_date_is_refused(coordinator_a, case_a, accepted_a, platform_a):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = coordinator_a.post(
        _url("handoff-create", platform_a, pk=case_a.pk, referral_id=accepted_a.pk),
        {
            "date": tomorrow.isoformat(),
            "given": "米",
        },
    )
    assert response.status_code == 200 and "未来の日付" in response.text
    assert not Handoff.objects.exists()


def test_bad_intake_saves_nothing_and_says_why_in_japanese(secretariat_a, platform_a):
    response = secretariat_a.post(_url("create", platform_a), {"intake_date": "not a date", "situation": ""})
    assert response.status_code == 200
    assert "この項目は必須です" in response.text or "必須" in response.text
    assert not Case.objects.exists()


def test_a_closed_case_cannot_be_referred_or_edited(secretariat_a, case_a, platform_a, org_a):
    secretariat_a.post(
        _url("close", platform_a, pk=case_a.pk),
        {
            "reason": "moved",
            "closed_on": timezone.localdate().isoformat(),
            "version": case_a.version,
        },
    )
    response = secretariat_a.post(
        _url("referral-create", platform_a, pk=case_a.pk),
        {
            "organisation": org_a.pk,
            "support_type": "food",
            "adults": 1,
            "children": 0,
            "days": 3,
            "urgency": "normal",
        },
    )
    assert "終了したケースからは依頼できません" in response.text
    assert Referral.objects.filter(case=case_a).count() == 1
    response = secretariat_a.get(_url("edit", platform_a, pk=case_a.pk))
    assert response.status_code == 302


def test_working_group_add_and_remove_are_logged(secretariat_a, other_coordinator_a, case_a, platform_a):
    url = _url("working-group", platform_a, pk=case_a.pk)
    assert other_coordinator_a.get(_url("detail", platform_a, pk=case_a.pk)).status_code == 404
    f.seat(other_coordinator_a.user, platform_a)  # bound by the council's duty
    response = secretariat_a.post(url, {"user": other_coordinator_a.user.pk})
    assert response.status_code == 302
    assert other_coordinator_a.get(_url("detail", platform_a, pk=case_a.pk)).status_code == 200
    member = case_a.working_group.get(user=other_coordinator_a.user)
    secretariat_a.post(_url("working-group-remove", platform_a, pk=case_a.pk, member_id=member.pk))
    assert other_coordinator_a.get(_url("detail", platform_a, pk=case_a.pk)).status_code == 404
    events = CaseEvent.objects.filter(case=case_a, action__startswith="cases.working_group").order_by("id")
    assert [(e.action, e.actor, e.data["user"]) for e in events][-2:] == [
        ("cases.working_group.added", secretariat_a.user, other_coordinator_a.user.pk),
        ("cases.working_group.removed", secretariat_a.user, other_coordinator_a.user.pk),
    ]


def test_only_users_of_the_platform_can_join_a_working_group(
    secretariat_a, secretariat_b, case_a, platform_a
):
    response = secretariat_a.post(
        _url("working-group", platform_a, pk=case_a.pk), {"user": secretariat_b.user.pk}
    )
    assert response.status_code == 200
    assert not case_a.working_group.filter(user=secretariat_b.user).exists()


def test_a_referred_coordinator_in_the_working_group_still_answers(
    secretariat_a, coordinator_a, case_a, referral_a, platform_a
):
    f.seat(coordinator_a.user, platform_a)
    secretariat_a.post(_url("working-group", platform_a, pk=case_a.pk), {"user": coordinator_a.user.pk})
    page = coordinator_a.get(_url("detail", platform_a, pk=case_a.pk)).text
    # in the working group too, only the items consented for their organisation
    assert SITUATION in page and PERSON_NAME not in page
    assert _url("referral-respond", platform_a, pk=case_a.pk, referral_id=referral_a.pk) in page
    response = coordinator_a.post(
        _url("referral-respond", platform_a, pk=case_a.pk, referral_id=referral_a.pk), {"decision": "accept"}
    )
    assert response.status_code == 302
    referral_a.refresh_from_db()
    assert referral_a.status == ReferralStatus.ACCEPTED


@pytest.mark.parametrize(("offset_from_today", "message"), [(1, "未来の日付"), (None, "受付日")])
def test_a_closing_date_in_the_future_or_before_intake_is_refused(
    secretariat_a, case_a, platform_a, offset_from_today, message
):
    day = (
        (timezone.localdate() + dt.timedelta(days=offset_from_today))
        if offset_from_today
        else case_a.intake_date - dt.timedelta(days=1)
    )
    response = secretariat_a.post(
        _url("close", platform_a, pk=case_a.pk),
        {
            "reason": "moved",
            "closed_on": day.isoformat(),
            "version": case_a.version,
        },
    )
    assert message in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.status != CaseStatus.CLOSED
