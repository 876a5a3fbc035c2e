"""Pipeline /p/<platform>/orgs/pipeline/: recruitment board and members per fiscal year vs target."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from orgs.models import MembershipSource, MembershipStatus
from platform_site.models import MembershipTarget
from tests import factories as f


def url(platform) -> str:
    return reverse("orgs:pipeline", args=[platform.slug])


def test_it_works(secretariat_a, platform_a, org_a):
    MembershipTarget.objects.create(platform=platform_a, fiscal_year=2024, target=30)
    f.make_org(
        platform_a,
        name="資源調査の団体",
        name_kana="シゲンチョウサノダンタイ",
        membership={
            "status": MembershipStatus.CONTACTED,
            "source": MembershipSource.RESOURCE_SURVEY,
            "source_note": "145団体が回答",
        },
    )
    m = org_a.memberships.get()
    m.joined_on = dt.date(2023, 3, 1)
    f.save_membership(m)
    response = secretariat_a.get(url(platform_a))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ["資源調査の団体", "打診済み", "資源調査", "145団体が回答", "令和4年度", "令和6年度", "30"]:
        assert text in body, text
    assert [m.organisation.name for m in response.context["board"]] == ["資源調査の団体"]


def test_it_requires_login(anon, platform_a):
    response = anon.get(url(platform_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_other_platform(secretariat_b, platform_a):
    assert secretariat_b.get(url(platform_a)).status_code == 404


def test_it_requires_capability(coordinator_a, platform_a):
    assert coordinator_a.get(url(platform_a)).status_code == 403


def test_its_query_count(secretariat_a, platform_a, django_assert_num_queries):
    for i in range(5):
        f.make_org(platform_a, membership={"status": MembershipStatus.CANDIDATE})
        f.make_org(platform_a, membership={"joined_on": dt.date(2022 + i, 5, 1)})
    # session, user, 2FA device, platform, role, first joining, every year's figures and targets
    # (per-FY table), counts and this year's target (the header), board.
    with django_assert_num_queries(12):  # with the applications waiting
        assert secretariat_a.get(url(platform_a)).status_code == 200
