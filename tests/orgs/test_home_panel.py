"""The registry's panel on the platform home, per persona: the recruitment count is the
secretariat's; a coordinator sees the members, not the pipeline."""

import pytest
from django.urls import reverse

from orgs.models import MembershipStatus

from .. import factories as f

pytestmark = pytest.mark.django_db


def home(client, platform):
    return client.get(reverse("platform-home", args=[platform.slug])).content.decode()


def test_the_secretariat_sees_the_candidates_count(secretariat_a, platform_a, org_a):
    f.make_org(platform_a, {"status": MembershipStatus.CANDIDATE}, name="ひかり食堂")
    assert "候補・打診中" in home(secretariat_a, platform_a)


def test_a_coordinator_does_not_see_the_secretariats_pipeline_count(coordinator_a, platform_a, org_a):
    f.make_org(platform_a, {"status": MembershipStatus.CANDIDATE}, name="ひかり食堂")
    page = home(coordinator_a, platform_a)
    assert "参加団体" in page
    assert "候補・打診中" not in page
