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
    assert Case.objects.count() == 9
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
