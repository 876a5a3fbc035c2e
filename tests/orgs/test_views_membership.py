"""Membership /p/<platform>/orgs/<pk>/membership/: the recruitment pipeline, core flag, PF role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from orgs.models import Membership, MembershipStatus, OrgChange
from tests import factories as f
from tests.conftest import FROZEN_TODAY

pytestmark = pytest.mark.usefixtures("frozen_now")


def url(platform, org) -> str:
    return reverse("orgs:membership", args=[platform.slug, org.pk])


def form(m: Membership, **kw) -> dict:
    data = {
        "status": m.status,
        "pf_role": m.pf_role,
        "joined_on": m.joined_on or "",
        "left_on": m.left_on or "",
        "source": m.source,
        "source_note": m.source_note,
        "note": m.note,
        "seen": Membership.objects.get(pk=m.pk).updated_at.isoformat(),  # as a form opened now
    }
    if m.is_core:
        data["is_core"] = "on"
    return {k: v for k, v in (data | kw).items() if v is not None}


def candidate(platform):
    return f.make_org(
        platform,
        name="候補団体",
        name_kana="コウホダンタイ",
        membership={"status": MembershipStatus.CANDIDATE},
    )


def test_it_works_through_the_pipeline(secretariat_a, platform_a):
    org = candidate(platform_a)
    m = org.memberships.get()
    assert secretariat_a.get(url(platform_a, org)).status_code == 200
    assert (
        secretariat_a.post(
            url(platform_a, org), form(m, status="contacted", source="resource_survey")
        ).status_code
        == 302
    )
    m.refresh_from_db()
    assert (m.status, m.source) == ("contacted", "resource_survey")
    assert secretariat_a.post(url(platform_a, org), form(m, status="member", is_core="on")).status_code == 302
    m.refresh_from_db()
    assert (m.status, m.is_core, m.joined_on) == ("member", True, FROZEN_TODAY)
    assert (
        secretariat_a.post(
            url(platform_a, org), form(m, status="withdrawn", left_on=f"{FROZEN_TODAY.year + 1}-01-31")
        ).status_code
        == 302
    )
    m.refresh_from_db()
    assert (m.status, m.left_on) == ("withdrawn", dt.date(FROZEN_TODAY.year + 1, 1, 31))


def test_it_offers_only_allowed_moves(secretariat_a, platform_a, org_a):
    m = org_a.memberships.get()  # a member may only withdraw
    response = secretariat_a.get(url(platform_a, org_a))
    assert [v for v, _ in response.context["form"].fields["status"].choices] == ["member", "withdrawn"]
    response = secretariat_a.post(url(platform_a, org_a), form(m, status="candidate", joined_on="2024-04-01"))
    assert response.status_code == 200
    m.refresh_from_db()
    assert m.status == "member"


def test_left_before_joined_is_refused(secretariat_a, platform_a, org_a):
    m = org_a.memberships.get()
    response = secretariat_a.post(
        url(platform_a, org_a), form(m, joined_on="2024-04-01", left_on="2024-03-01")
    )
    assert response.status_code == 200
    assert "退会日（2024-03-01）は参加日（2024-04-01）より後の日付にしてください" in response.content.decode()
    m.refresh_from_db()
    assert m.left_on is None


def test_leaving_on_the_joining_day_is_refused(secretariat_a, platform_a, org_a):
    m = org_a.memberships.get()
    response = secretariat_a.post(
        url(platform_a, org_a), form(m, status="withdrawn", joined_on="2024-06-01", left_on="2024-06-01")
    )
    assert response.status_code == 200
    assert (
        "退会日（2024-06-01）は参加日（2024-06-01）より後の日付にしてください。" in response.content.decode()
    )
    m.refresh_from_db()
    assert (m.status, m.left_on) == ("member", None)
    assert not m.periods.filter(left_on__isnull=False).exists()


def test_it_requires_login(anon, platform_a, org_a):
    response = anon.get(url(platform_a, org_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_other_platform(secretariat_b, platform_a, org_a):
    assert secretariat_b.get(url(platform_a, org_a)).status_code == 404


def test_it_requires_capability(coordinator_a, platform_a, org_a):
    """Even their own organisation's membership is the secretariat's to manage."""
    m = org_a.memberships.get()
    assert coordinator_a.get(url(platform_a, org_a)).status_code == 403
    assert coordinator_a.post(url(platform_a, org_a), form(m, status="withdrawn")).status_code == 403
    m.refresh_from_db()
    assert m.status == "member"


def test_it_writes_history(secretariat_a, platform_a):
    org = candidate(platform_a)
    secretariat_a.post(url(platform_a, org), form(org.memberships.get(), status="contacted"))
    change = OrgChange.objects.get(organisation=org)
    assert change.action == "orgs.membership.updated"
    assert change.platform == platform_a and change.actor == secretariat_a.user
    assert change.changes == {"membership.status": ["candidate", "contacted"]}


def test_a_member_with_a_past_leaving_date_is_refused(secretariat_a, platform_a, org_a):
    """Status 参加 with a 退会日 already past: the list said 参加 while the fiscal-year table
    (which goes by dates) counted it as gone. A leaving date ahead (退会予定) is fine."""
    m = org_a.memberships.get()
    m.joined_on = dt.date(2023, 4, 1)
    f.save_membership(m)
    past = FROZEN_TODAY - dt.timedelta(days=1)
    response = secretariat_a.post(url(platform_a, org_a), form(m, left_on=past.isoformat()))
    assert response.status_code == 200
    assert "状態を「退会」にしてください" in response.content.decode()
    m.refresh_from_db()
    assert m.left_on is None
    ahead = FROZEN_TODAY + dt.timedelta(days=30)
    assert secretariat_a.post(url(platform_a, org_a), form(m, left_on=ahead.isoformat())).status_code == 302
    m = Membership.objects.get(pk=m.pk)  # not refresh_from_db: the type checker would keep left_on None
    assert (m.status, m.left_on) == ("member", ahead)


def test_a_withdrawn_organisation_rejoins_with_its_old_leaving_date_in_the_form(
    secretariat_a, platform_a, org_a
):
    m = org_a.memberships.get()
    m.status, m.joined_on, m.left_on = MembershipStatus.WITHDRAWN, dt.date(2022, 4, 1), dt.date(2024, 3, 31)
    f.save_membership(m)
    assert secretariat_a.post(url(platform_a, org_a), form(m, status="member")).status_code == 302
    m.refresh_from_db()
    assert (m.status, m.left_on) == ("member", None)


def test_a_stale_form_does_not_undo_someone_elses_change(secretariat_a, admin_a, platform_a, org_a):
    """The form posts every field: saved over a change made since it was opened, it would put
    the old values back (lost update). It answers 409 and saves nothing instead."""
    m = org_a.memberships.get()
    m.joined_on = dt.date(2023, 4, 1)
    f.save_membership(m)
    seen = secretariat_a.get(url(platform_a, org_a)).context["form"].initial["seen"]
    assert admin_a.post(url(platform_a, org_a), form(m, is_core="on", seen=seen)).status_code == 302
    response = secretariat_a.post(url(platform_a, org_a), form(m, note="古い画面から", seen=seen))
    assert response.status_code == 409
    assert "開いた後に他の人が更新しました" in response.content.decode()
    m.refresh_from_db()
    assert (m.is_core, m.note) == (True, "")
    fresh = secretariat_a.get(url(platform_a, org_a)).context["form"].initial["seen"]
    assert secretariat_a.post(url(platform_a, org_a), form(m, note="最新から", seen=fresh)).status_code == 302
    m.refresh_from_db()
    assert (m.is_core, m.note) == (True, "最新から")


def test_a_form_without_its_seen_field_is_refused_not_saved_unchecked(
    secretariat_a, admin_a, platform_a, org_a
):
    """Removing the hidden field used to switch the conflict check off: a stale form without it
    would have overwritten the other person's change."""
    m = org_a.memberships.get()
    m.joined_on = dt.date(2023, 4, 1)
    m.save()
    assert admin_a.post(url(platform_a, org_a), form(m, is_core="on")).status_code == 302
    data = form(m, note="古い画面から")
    del data["seen"]
    response = secretariat_a.post(url(platform_a, org_a), data)
    assert response.status_code == 200 and "画面を開き直してから入力してください" in response.text
    m.refresh_from_db()
    assert (m.is_core, m.note) == (True, "")
