"""Reminders: the daily job against the demo data with the clock moved on, the thresholds from the
settings screen, each person's own counts, and no personal data in any email."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from cases import services as case_services
from cases.models import Case, CaseStatus, Referral, ReferralStatus
from orgs.models import Membership, MembershipStatus
from platform_site.models import Platform
from platform_site.reminders import reminders_for, send_reminders
from tests import factories as f
from tests.conftest import FROZEN_NOW
from tests.ledger import consent_data, make_case

pytestmark = pytest.mark.usefixtures("frozen_now")


def email_to(username: str) -> str:
    found = [m for m in mail.outbox if m.to == [f"{username}@demo.example.jp"]]
    assert len(found) == 1, f"{username}: {len(found)} emails"
    return str(found[0].body)


@pytest.mark.django_db
def test_the_daily_job_on_the_demo_data_with_the_clock_moved_on():
    call_command("load_demo", stdout=io.StringIO())
    uwajima = Platform.objects.get(slug="uwajima")
    kumamoto = Platform.objects.get(slug="kumamoto")
    later = FROZEN_NOW + dt.timedelta(days=60)
    with time_machine.travel(later, tick=False):
        mail.outbox.clear()
        out = io.StringIO()
        call_command("send_reminders", stdout=out)
        today = later.date()
        # what the reminders should say, counted here from the data (not by the reminder code)
        active = Case.objects.filter(platform=uwajima, status=CaseStatus.ACTIVE, next_handoff_due__lt=today)
        waiting = Referral.objects.filter(
            platform=uwajima, status=ReferralStatus.SENT, sent_at__lt=later - dt.timedelta(days=3)
        )
        kumamoto_members = Membership.objects.filter(
            platform=kumamoto, status=MembershipStatus.MEMBER
        ).count()

        body = email_to("jimukyoku-uwajima")
        assert active.exists(), "the demo has active 宇和島 cases that go overdue two months on"
        assert f"・約束の間隔を過ぎても引き渡しがないケース: {active.count()}件" in body
        if waiting.exists():
            assert f"・3日以上応答のない依頼: {waiting.count()}件" in body
        assert "/p/uwajima/cases/?stale=overdue" in body

        # nobody has confirmed a demo entry: after a year's threshold they all show (熊本: 34)
        body = email_to("jimukyoku-kumamoto")
        assert kumamoto_members == 34
        assert f"・内容確認日から365日以上たった（または未確認の）掲載: {kumamoto_members}件" in body

        # a coordinator is told about their own organisation only
        coordinator = email_to("ugrandma")
        assert "内容確認日から" not in coordinator
        assert "・自団体の掲載内容の確認（1年以上確認されていません）: 1件" in coordinator

        # counts and links only: no name, phone or situation of any case
        for case in Case.objects.all():
            for message in mail.outbox:
                for value in (case.person_name, case.contact, case.situation[:12]):
                    if value:
                        assert value not in message.body
        assert "通を送信しました" in out.getvalue()


def test_each_person_sees_their_own_reminders_on_the_home_screen(
    secretariat_a, coordinator_a, other_coordinator_a, case_a, platform_a
):
    home = reverse("platform-home", args=[platform_a.slug])
    later = FROZEN_NOW + dt.timedelta(days=5)
    with time_machine.travel(later, tick=False):
        for client in (secretariat_a, coordinator_a, other_coordinator_a):
            f.login_verified(client, client.user)
        page = secretariat_a.get(home).text
        assert "対応を待っていること" in page
        assert "3日以上応答のない依頼</a>: <strong>1件" in page
        assert "3日以上応答していない依頼</a>: <strong>1件" in coordinator_a.get(home).text
        assert "応答していない依頼" not in other_coordinator_a.get(home).text


def test_the_threshold_comes_from_the_platform_settings(secretariat_a, case_a, platform_a):
    role = secretariat_a.user.platform_roles.get(platform=platform_a)

    def unanswered(day: dt.datetime) -> int:
        with time_machine.travel(day, tick=False):
            found = {r.code: r.count for r in reminders_for(platform_a, role)}
        return found.get("cases.unanswered", 0)

    assert unanswered(FROZEN_NOW + dt.timedelta(days=2)) == 0
    assert unanswered(FROZEN_NOW + dt.timedelta(days=4)) == 1
    platform_a.reminder_unanswered_days = 7
    platform_a.save()
    assert unanswered(FROZEN_NOW + dt.timedelta(days=4)) == 0
    assert unanswered(FROZEN_NOW + dt.timedelta(days=8)) == 1
    with time_machine.travel(FROZEN_NOW + dt.timedelta(days=8), tick=False):
        f.login_verified(secretariat_a, secretariat_a.user)
        ledger = secretariat_a.get(
            reverse("cases:list", args=[platform_a.slug]), {"stale": "unanswered"}
        ).text
    assert "7日以上応答のない依頼" in ledger and f"/cases/{case_a.pk}/" in ledger


def test_a_consent_ending_soon_is_a_reminder_for_the_secretariat(secretariat_a, platform_a, org_a):
    case = make_case(platform_a, secretariat_a.user)
    case_services.consent_record(
        case=case,
        actor=secretariat_a.user,
        data=consent_data(expires_on=FROZEN_NOW.date() + dt.timedelta(days=40)),
        organisations=[org_a],
    )
    role = secretariat_a.user.platform_roles.get(platform=platform_a)
    assert "cases.consent_expiring" not in {r.code for r in reminders_for(platform_a, role)}
    with time_machine.travel(FROZEN_NOW + dt.timedelta(days=15), tick=False):
        found = {r.code: r for r in reminders_for(platform_a, role)}
        assert found["cases.consent_expiring"].count == 1
        f.login_verified(secretariat_a, secretariat_a.user)
        listed = secretariat_a.get(found["cases.consent_expiring"].path).text
    assert f"/cases/{case.pk}/" in listed


@pytest.mark.django_db
def test_a_person_without_anything_waiting_gets_no_email(platform_a):
    assert send_reminders(platforms=[platform_a]) == {"emails": 0, "people": 0}
    assert mail.outbox == []
