"""「内容を確認した」 /p/<platform>/orgs/<pk>/verify/ (POST only): verified on/by, apart from updated."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from orgs.models import OrgChange
from tests.conftest import FROZEN_TODAY

pytestmark = pytest.mark.usefixtures("frozen_now")


def url(platform, org) -> str:
    return reverse("orgs:verify", args=[platform.slug, org.pk])


def test_it_works(secretariat_a, platform_a, other_org_a):
    response = secretariat_a.post(url(platform_a, other_org_a))
    assert response.status_code == 302
    other_org_a.refresh_from_db()
    assert other_org_a.verified_on == FROZEN_TODAY
    assert other_org_a.verified_by == secretariat_a.user
    assert other_org_a.version == 1  # checking is not editing


def test_it_uses_the_date_in_tokyo(secretariat_a, platform_a, org_a):
    # 2025-03-31 20:00 UTC is already 1 April in Japan (a new fiscal year).
    with time_machine.travel(dt.datetime(2025, 3, 31, 20, 0, tzinfo=dt.UTC), tick=False):
        secretariat_a.post(url(platform_a, org_a))
    org_a.refresh_from_db()
    assert org_a.verified_on == dt.date(2025, 4, 1)


def test_a_coordinator_verifies_their_own(coordinator_a, platform_a, org_a):
    assert coordinator_a.post(url(platform_a, org_a)).status_code == 302
    org_a.refresh_from_db()
    assert org_a.verified_by == coordinator_a.user


def test_it_requires_login(anon, platform_a, org_a):
    response = anon.post(url(platform_a, org_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_other_platform(secretariat_b, platform_a, org_a):
    assert secretariat_b.post(url(platform_a, org_a)).status_code == 404


def test_it_requires_capability(coordinator_a, platform_a, other_org_a):
    assert coordinator_a.post(url(platform_a, other_org_a)).status_code == 403
    other_org_a.refresh_from_db()
    assert other_org_a.verified_on is None


def test_it_rejects_get(secretariat_a, platform_a, org_a):
    assert secretariat_a.get(url(platform_a, org_a)).status_code == 405
    org_a.refresh_from_db()
    assert org_a.verified_on is None


def test_it_writes_history(secretariat_a, platform_a, org_a):
    secretariat_a.post(url(platform_a, org_a))
    change = OrgChange.objects.get(organisation=org_a)
    assert change.action == "orgs.organisation.verified"
    assert change.actor == secretariat_a.user
    assert change.changes == {"verified_on": [None, FROZEN_TODAY.isoformat()]}
