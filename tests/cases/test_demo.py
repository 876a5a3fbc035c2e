"""Demo cases: fictional, on the three demo platforms, and the demo coordinators see an inbox."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cases import demo as cases_demo
from cases.models import Case, CaseWorkingGroupMember, Referral, WorkingGroupClosure
from councils import demo as councils_demo
from orgs import demo as orgs_demo
from tests import factories as f


def test_demo_cases_are_fictional_and_fill_the_coordinators_inboxes(db):
    orgs_demo.load()
    councils_demo.load()  # the working groups seat only people bound by the council's duty
    cases_demo.load()
    cases_demo.load()  # safe to run twice
    assert Case.objects.count() == 10  # 9 the city took in, 1 a member asked it to (宇和島's two-way flow)
    assert not Case.objects.filter(is_fictional=False).exists()
    for username, slug in [("ugrandma", "uwajima"), ("dendenmushi", "kumamoto"), ("houboku", "kitakyushu")]:
        client = Client()
        f.login_verified(client, get_user_model().objects.get(username=username))
        response = client.get(reverse("cases:list", kwargs={"platform": slug}))
        assert response.status_code == 200
        rows = response.context["page"].rows
        assert rows and all(
            r.organisation.coordinators.filter(user__username=username).exists() for r in rows
        )
        assert any(r.status == "sent" for r in rows)  # something to answer
    assert Referral.objects.filter(case__platform__slug="uwajima", case__status="closed").exists()


def test_kumamotos_demo_council_keeps_the_pf_free_of_cases_and_seats_an_expert(db):
    """熊本: the PF's 事務局 is its four core members, the city's 健康福祉政策課 is the 地域協議会's
    事務局; a fictional case's 作業部会 seats two core members and an outside expert, and another's
    closed when its support provider was decided."""
    from councils.models import Council, SeatKind
    from platform_site.models import PlatformRole, Role

    orgs_demo.load()
    councils_demo.load()
    councils_demo.load()  # safe to run twice
    cases_demo.load()
    pf_secretariat = PlatformRole.objects.filter(
        platform__slug="kumamoto", role=Role.SECRETARIAT, organisation__isnull=False
    )
    assert sorted(pf_secretariat.values_list("organisation__ref", flat=True)) == [
        "KUM-05",
        "KUM-16",
        "KUM-18",
        "KUM-20",
    ]
    council = Council.objects.get(platform__slug="kumamoto")
    assert council.kind == "separate" and council.announced_on and "健康福祉政策課" in council.secretariat
    coordinating = sorted(
        council.bodies.filter(is_coordinating=True).values_list("organisation__ref", flat=True)
    )
    assert coordinating == ["KUM-05", "KUM-16", "KUM-18", "KUM-20"]
    assert council.seats.filter(kind=SeatKind.EXPERT, user__username="expert-kumamoto").count() == 1
    expert_cases = CaseWorkingGroupMember.objects.filter(user__username="expert-kumamoto")
    assert expert_cases.count() == 2 and all(m.case.is_fictional for m in expert_cases)
    assert expert_cases.filter(removed_at__isnull=True).count() == 1  # the other group closed
    assert WorkingGroupClosure.objects.filter(case__platform__slug="kumamoto").count() == 1
    kitakyushu_shakyo = PlatformRole.objects.get(user__username="jimukyoku-shakyo")
    assert kitakyushu_shakyo.role == Role.SECRETARIAT
    assert kitakyushu_shakyo.organisation is not None and kitakyushu_shakyo.organisation.ref == "KIT-08"
    # 北九州: the 社協 holds the 事務局 from 令和5年度 — its role period in the registry, and a person
    from orgs.models import RolePeriod

    spans = RolePeriod.objects.filter(
        membership__platform__slug="kitakyushu", membership__organisation__ref="KIT-08"
    ).values_list("pf_role", "started_on")
    assert [(role, str(day)) for role, day in spans] == [("secretariat", "2023-04-01")]
    assert not Council.objects.filter(platform__slug="kitakyushu").exists()


def test_demo_shows_the_two_way_flow_and_a_supporters_report(db):
    from cases.models import IntakeRequest, ReferralSource, SupporterReport
    from platform_site.models import Platform

    orgs_demo.load()
    councils_demo.load()  # the demo's working groups seat only people bound by the duty
    cases_demo.load()
    cases_demo.load()
    started = Case.objects.get(source=ReferralSource.MEMBER)
    assert started.platform.slug == "uwajima" and started.source_organisation is not None
    assert started.source_organisation.ref == "UWA-04"
    assert started.is_fictional and "架空" in started.situation
    request = IntakeRequest.objects.get()
    assert request.case == started and request.status == "accepted"
    # referred back to U.grandma, which handed the household on to 宇和島NPOセンター under the consent
    hand_on = Referral.objects.get(case=started, from_organisation__isnull=False)
    assert hand_on.from_organisation is not None
    assert (hand_on.from_organisation.ref, hand_on.organisation.ref) == ("UWA-04", "UWA-05")
    report = SupporterReport.objects.get()
    assert report.platform == Platform.objects.get(slug="kumamoto") and "架空" in report.body
    assert report.supporter.username == "supporter-kumamoto"
