"""Demo cases: fictional, on the three demo platforms, and the demo coordinators see an inbox."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cases import demo as cases_demo
from cases.models import Case, Referral
from orgs import demo as orgs_demo
from tests import factories as f


def test_demo_cases_are_fictional_and_fill_the_coordinators_inboxes(db):
    orgs_demo.load()
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


def test_demo_shows_the_two_way_flow_and_a_supporters_report(db):
    from cases.models import IntakeRequest, ReferralSource, SupporterReport
    from platform_site.models import Platform

    orgs_demo.load()
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
