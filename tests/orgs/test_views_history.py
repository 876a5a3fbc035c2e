"""History /p/<platform>/orgs/<pk>/history/: OrgChange rows as sentences, who and when (Tokyo)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from orgs import services
from tests import factories as f


def url(platform, org) -> str:
    return reverse("orgs:history", args=[platform.slug, org.pk])


def test_it_works(secretariat_a, platform_a, org_a):
    actor = f.make_user("editor", last_name="編集", first_name="花子")
    # The entries are written at 2025-03-31 20:30 UTC (2025-04-01 05:30 in Tokyo).
    with time_machine.travel(dt.datetime(2025, 3, 31, 20, 30, tzinfo=dt.UTC), tick=False):
        services.organisation_update(
            organisation=org_a,
            platform=platform_a,
            actor=actor,
            data={"hours": "随時", "lgbtq_support": True},
        )
        services.contacts_replace(
            organisation=org_a, platform=platform_a, actor=actor, contacts=[{"name": "秘密の担当者"}]
        )
        m = org_a.memberships.get()
        services.membership_update(
            membership=m, actor=actor, data={"status": "withdrawn", "left_on": dt.date(2025, 3, 31)}
        )
    response = secretariat_a.get(url(platform_a, org_a))
    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        "団体情報の編集",
        "「受付時間（記載どおり）」を「（空欄）」から「随時」に変更しました。",
        "「LGBTQ+の専門性」を「いいえ」から「はい」に変更しました。",
        "担当者の登録を変更しました（0人 → 1人）。",
        "「参加状況: 状態」を「参加」から「退会」に変更しました。",
        "令和7年(2025年)3月31日",
        "2025-04-01 05:30",
        "花子",
    ]:
        assert text in body, text
    assert "秘密の担当者" not in body


def test_it_hides_another_platforms_membership_changes(secretariat_a, platform_a, platform_b, org_a):
    from orgs.models import Membership

    mb = Membership.objects.create(platform=platform_b, organisation=org_a, status="candidate")
    services.membership_update(
        membership=mb, actor=None, data={"status": "contacted", "note": "B市の内部メモ"}
    )
    services.organisation_update(
        organisation=org_a, platform=platform_b, actor=None, data={"hours": "B市で更新"}
    )
    body = secretariat_a.get(url(platform_a, org_a)).content.decode()
    assert "B市で更新" in body  # the entry is shared
    assert "B市の内部メモ" not in body and "打診済み" not in body


def test_it_requires_login(anon, platform_a, org_a):
    response = anon.get(url(platform_a, org_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_other_platform(secretariat_b, platform_a, org_a):
    assert secretariat_b.get(url(platform_a, org_a)).status_code == 404


def test_every_role_of_the_platform_may_read_it(other_coordinator_a, platform_a, org_a):
    assert other_coordinator_a.get(url(platform_a, org_a)).status_code == 200


def test_its_query_count(secretariat_a, platform_a, org_a, django_assert_num_queries):
    for hours in ["a", "b", "c"]:
        services.organisation_update(
            organisation=org_a, platform=platform_a, actor=None, data={"hours": hours}
        )
    # session, user, 2FA device, platform, role, membership ⋈ organisation, changes ⋈ actor.
    with django_assert_num_queries(7):
        assert secretariat_a.get(url(platform_a, org_a)).status_code == 200


def test_it_does_not_name_another_platforms_users(secretariat_a, platform_a, platform_b, org_a):
    from orgs.models import Membership

    Membership.objects.create(platform=platform_b, organisation=org_a, status="member")
    b_staff = f.make_user("b_staff", last_name="別市", first_name="職員")
    services.organisation_update(
        organisation=org_a, platform=platform_b, actor=b_staff, data={"hours": "B市で更新"}
    )
    body = secretariat_a.get(url(platform_a, org_a)).content.decode()
    assert "B市で更新" in body  # the entry is shared
    assert "別市" not in body and "b_staff" not in body
    assert "他のプラットフォームの利用者" in body
