"""The demo events: the reports' facts (北九州 R5 trial projects and total, 宇和島 distributions)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from orgs.selectors_public import listed_organisations
from outreach.models import Contractor, Event, EventChange
from outreach.selectors import fiscal_year_report
from platform_site.models import Platform
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def test_kitakyushu_r5_lists_nine_projects_totalling_7099480(demo):
    report = fiscal_year_report(platform=Platform.objects.get(slug="kitakyushu"), fiscal_year=2023)
    assert len(report.rows) == 9
    assert report.total == 7_099_480
    assert not report.any_approx
    names = [r.event.name for r in report.rows]
    assert names[1].startswith("支援現場見学バスツアー")
    assert "R5 試行的事業 合計" not in names  # the total row is computed, not loaded


def test_uwajima_distributions_in_households(demo):
    event = Event.objects.get(platform__slug="uwajima", ref="UWA-E02")
    sessions = [(s.date.isoformat(), s.applicants, s.attendees) for s in event.sessions.all()]
    assert sessions == [("2022-12-10", 140, 138), ("2022-12-17", 80, 80), ("2022-12-31", 47, 44)]
    assert event.get_unit_display() == "世帯"


def test_uwajima_detail_page_shows_the_households(demo, client):
    user = Platform.objects.get(slug="uwajima").roles.get(user__username="jimukyoku-uwajima").user
    f.login_verified(client, user)
    event = Event.objects.get(platform__slug="uwajima", ref="UWA-E02")
    body = client.get(reverse("outreach:detail", args=["uwajima", event.pk])).content.decode()
    for applied, came in (("140", "138"), ("80", "80"), ("47", "44")):
        assert f"{applied}世帯" in body and f"{came}世帯" in body


def test_vendor_spellings_and_ocr_are_corrected(demo):
    kit = Platform.objects.get(slug="kitakyushu")
    names = set(Contractor.objects.filter(platform=kit).values_list("name", flat=True))
    assert {"グラフィア", "アソウ・ヒューマンセンター"} <= names
    assert not any("グラフィアー" in n or "ヒューマニー" in n for n in names)
    assert not Event.objects.filter(venue__contains="招機").exists()
    kum = Event.objects.get(platform__slug="kumamoto", ref="KUM-E14")
    assert "くまもと県民交流会館パレア" in kum.venue


def test_approximate_budgets_stay_approximate(demo):
    survey = Event.objects.get(platform__slug="kumamoto", ref="KUM-E10")
    assert survey.budget_yen == 1_200_000 and survey.budget_approx


def test_contractors_never_reach_the_leaflet_or_directory(demo):
    seen = 0
    for platform in Platform.objects.filter(slug__in=["kumamoto", "kitakyushu", "uwajima"]):
        listed = set(listed_organisations(platform=platform).values_list("name", flat=True))
        vendors = {c.name for c in Contractor.objects.filter(platform=platform, organisation__isnull=True)}
        assert not (vendors & listed)
        seen += len(vendors)
    assert seen >= 10


def test_load_twice_changes_nothing(demo):
    counts = (Event.objects.count(), Contractor.objects.count(), EventChange.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Event.objects.count(), Contractor.objects.count(), EventChange.objects.count()) == counts


def test_every_event_of_the_demo_platforms_is_loaded(demo):
    counts = {
        slug: Event.objects.filter(platform__slug=slug).count()
        for slug in ("kumamoto", "kitakyushu", "uwajima")
    }
    # 熊本 17 rows; 北九州 21 rows less the total row, plus one fictional event run by a member;
    # 宇和島 9 rows, three of them sessions of one project
    assert counts == {"kumamoto": 17, "kitakyushu": 21, "uwajima": 6}
    custom = Event.objects.filter(platform__slug="kitakyushu", ref="KIT-E11").get().event_type
    assert custom.platform is not None and custom.name == "検証業務"  # a platform's own type
