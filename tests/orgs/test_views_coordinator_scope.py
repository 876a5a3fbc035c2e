"""What an NPO coordinator sees of the registry: the PF's current members and their own
organisation (issue 2: "see the other members' entries and contact persons"). Candidates,
organisations approached and those that left are the secretariat's recruitment work, and the
secretariat's memo on a membership is theirs: a coordinator gets 404 for those entries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from orgs import services
from orgs.models import ContactPerson, MembershipStatus
from tests import factories as f


def names(response) -> list[str]:
    return [m.organisation.name for m in response.context["page"].object_list]


@pytest.fixture
def prospects(platform_a):
    return {
        status: f.make_org(
            platform_a, name=f"{status}の会", name_kana="コウホノカイ", membership={"status": status}
        )
        for status in (MembershipStatus.CANDIDATE, MembershipStatus.CONTACTED, MembershipStatus.WITHDRAWN)
    }


def test_the_list_shows_a_coordinator_members_only(
    coordinator_a, secretariat_a, platform_a, org_a, other_org_a, prospects
):
    url = reverse("orgs:list", args=[platform_a.slug])
    assert sorted(names(coordinator_a.get(url))) == sorted([org_a.name, other_org_a.name])
    assert sorted(names(coordinator_a.get(url, {"status": "candidate"}))) == sorted(
        [org_a.name, other_org_a.name]
    )
    assert "status" not in coordinator_a.get(url).context["form"].fields
    assert len(names(secretariat_a.get(url))) == 5


@pytest.mark.parametrize("name", ["detail", "history", "edit"])
def test_a_prospect_is_404_for_a_coordinator(coordinator_a, secretariat_a, platform_a, prospects, name):
    for org in prospects.values():
        ContactPerson.objects.create(organisation=org, name="候補団体の担当者")
        assert coordinator_a.get(reverse(f"orgs:{name}", args=[platform_a.slug, org.pk])).status_code == 404
        assert secretariat_a.get(reverse(f"orgs:{name}", args=[platform_a.slug, org.pk])).status_code == 200


def test_a_coordinator_still_sees_their_own_organisation_when_it_is_not_a_member(
    coordinator_a, platform_a, org_a
):
    membership = org_a.memberships.get()
    membership.status = MembershipStatus.WITHDRAWN
    membership.save()
    assert names(coordinator_a.get(reverse("orgs:list", args=[platform_a.slug]))) == [org_a.name]
    for name in ("detail", "history", "edit"):
        assert coordinator_a.get(reverse(f"orgs:{name}", args=[platform_a.slug, org_a.pk])).status_code == 200


def test_the_secretariats_memo_is_not_shown_to_a_coordinator(coordinator_a, secretariat_a, platform_a, org_a):
    membership = org_a.memberships.get()
    services.membership_update(membership=membership, actor=None, data={"note": "代表者と連絡がつきにくい"})
    for name in ("detail", "history"):
        url = reverse(f"orgs:{name}", args=[platform_a.slug, org_a.pk])
        assert "代表者と連絡がつきにくい" in secretariat_a.get(url).content.decode()
        assert "代表者と連絡がつきにくい" not in coordinator_a.get(url).content.decode()


def test_the_memo_field_says_who_reads_it(secretariat_a, platform_a, org_a):
    html = secretariat_a.get(reverse("orgs:membership", args=[platform_a.slug, org_a.pk])).content.decode()
    assert "団体のコーディネーターには表示されません" in html
