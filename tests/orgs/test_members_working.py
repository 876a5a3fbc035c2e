"""The working-together facts: kept by the organisation, shown to the platform's members only,
and searched in the members' directory ("who takes households with small children in 中央区
this month?")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from orgs.members import services
from orgs.models import OrgChange, WorkingProfile
from tests import factories as f

pytestmark = pytest.mark.usefixtures("frozen_now")  # 2026-05-20: "this month" is May 2026


def _form(**over):
    data = {
        "served_groups": ["small_children", "single_parents"],
        "served_conditions": "生活に困窮している子育て世帯",
        "served_area": "中央区・東区",
        "support_length": "原則3か月",
        "staffing": "相談員2名",
        "availability_hours": "平日10時〜17時",
        "accepts_referrals": "on",
        "accepts_joint_cases": "on",
        "capacity": "10",
        "available_places": "3",
        "strengths": "同行支援ができる。食料の備蓄がある。",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_the_coordinator_keeps_its_own_facts_and_the_history_records_it(coordinator_a, platform_a, org_a):
    url = reverse("orgs:working", args=[platform_a.slug, org_a.pk])
    assert coordinator_a.get(url).status_code == 200
    response = coordinator_a.post(url, _form())
    assert response.status_code == 302
    profile = WorkingProfile.objects.get(organisation=org_a)
    assert profile.served_groups == ["small_children", "single_parents"]
    assert profile.available_month == dt.date(2026, 5, 1)
    assert profile.available_places == 3
    assert profile.served_key == "|small_children|single_parents|"
    change = OrgChange.objects.filter(organisation=org_a).latest("at")
    assert change.action == "orgs.working.updated"
    assert change.changes["working.capacity"] == [None, 10]


def test_another_coordinator_cannot_edit_it_and_bad_input_saves_nothing(
    coordinator_a, other_coordinator_a, platform_a, org_a
):
    url = reverse("orgs:working", args=[platform_a.slug, org_a.pk])
    assert other_coordinator_a.get(url).status_code == 403
    response = coordinator_a.post(url, _form(capacity="たくさん", served_groups=["nobody"]))
    assert response.status_code == 200
    assert "人数は0以上の整数で入力してください。" in response.content.decode()
    assert "選べない対象が含まれています。" in response.content.decode()
    assert not WorkingProfile.objects.filter(organisation=org_a).exists()


def _save(org, platform, **data):
    base = {
        "served_groups": [],
        "served_area": "",
        "accepts_referrals": False,
        "available_places": None,
        "available_month": None,
    }
    services.working_profile_save(organisation=org, platform=platform, actor=None, data=base | data)


@pytest.fixture
def three_members(platform_a, org_a, other_org_a, third_org_a, frozen_now):
    import datetime as dt

    may = dt.date(2026, 5, 1)
    april = dt.date(2026, 4, 1)
    # org_a: small children in 中央区, 2 places this month
    _save(
        org_a,
        platform_a,
        served_groups=["small_children"],
        served_area="中央区",
        available_places=2,
        available_month=may,
    )
    # other_org_a: small children city-wide, but it said so for April (not this month)
    _save(
        other_org_a,
        platform_a,
        served_groups=["small_children"],
        served_area="市内全域",
        available_places=4,
        available_month=april,
    )
    # third_org_a: the elderly in 中央区, places this month
    _save(
        third_org_a,
        platform_a,
        served_groups=["elderly"],
        served_area="中央区",
        available_places=1,
        available_month=may,
    )
    return org_a, other_org_a, third_org_a


def test_a_coordinator_finds_who_takes_small_children_in_chuo_ku_this_month(
    other_coordinator_a, platform_a, three_members, django_assert_max_num_queries
):
    org_a, other_org_a, third_org_a = three_members
    url = reverse("orgs:members-directory", args=[platform_a.slug])
    with django_assert_max_num_queries(12):
        response = other_coordinator_a.get(
            url, {"group": "small_children", "area": "中央区", "this_month": "on"}
        )
    assert response.status_code == 200
    assert [o.pk for o in response.context["rows"]] == [org_a.pk]
    # without "this month": the city-wide one counts for 中央区 too
    response = other_coordinator_a.get(url, {"group": "small_children", "area": "中央区"})
    assert {o.pk for o in response.context["rows"]} == {org_a.pk, other_org_a.pk}
    # another group in the same area
    response = other_coordinator_a.get(url, {"area": "中央区", "group": "elderly"})
    assert [o.pk for o in response.context["rows"]] == [third_org_a.pk]


def test_the_free_text_searches_the_facts_normalised(coordinator_a, platform_a, org_a):
    _save(org_a, platform_a, strengths="ドゥーラの同行支援")
    url = reverse("orgs:members-directory", args=[platform_a.slug])
    response = coordinator_a.get(url, {"q": "どぅ－ら"})
    assert [o.pk for o in response.context["rows"]] == [org_a.pk]


def test_only_members_see_the_facts(anon, secretariat_b, coordinator_a, platform_a, org_a):
    _save(org_a, platform_a, served_area="中央区", strengths="秘密ではないが会員向けの強み")
    detail = reverse("orgs:detail", args=[platform_a.slug, org_a.pk])
    directory = reverse("orgs:members-directory", args=[platform_a.slug])
    assert "会員向けの強み" in coordinator_a.get(detail).content.decode()
    assert anon.get(directory).status_code == 302
    assert secretariat_b.get(directory).status_code == 404
    assert secretariat_b.get(detail).status_code == 404
    public = anon.get(reverse("directory:org", args=[platform_a.slug, org_a.pk]))
    assert public.status_code == 200
    assert "会員向けの強み" not in public.content.decode()
    assert "中央区" not in public.content.decode()


def test_a_field_marked_public_shows_on_the_public_page(anon, platform_a, org_a):
    _save(
        org_a, platform_a, served_area="中央区だけ", strengths="非公開の強み", public_fields=["served_area"]
    )
    public = anon.get(reverse("directory:org", args=[platform_a.slug, org_a.pk])).content.decode()
    assert "中央区だけ" in public
    assert "非公開の強み" not in public


def test_a_withdrawn_organisation_is_not_in_the_members_directory(coordinator_a, platform_a):
    import datetime as dt

    gone = f.make_org(platform_a, membership={"status": "withdrawn", "left_on": dt.date(2026, 1, 31)})
    _save(gone, platform_a, served_area="中央区")
    response = coordinator_a.get(
        reverse("orgs:members-directory", args=[platform_a.slug]), {"area": "中央区"}
    )
    assert gone.pk not in [o.pk for o in response.context["rows"]]


def test_last_months_places_are_not_offered_as_this_months(coordinator_a, platform_a, org_a):
    _save(org_a, platform_a, available_places=5, available_month=dt.date(2026, 4, 1), capacity=8)
    form = coordinator_a.get(reverse("orgs:working", args=[platform_a.slug, org_a.pk])).context["form"]
    assert form["available_places"].value() is None
    assert form["capacity"].value() == 8
    profile = WorkingProfile.objects.get(organisation=org_a)
    assert profile.places_in(dt.date(2026, 5, 1)) is None


def test_the_secretariat_is_reminded_of_waiting_applications(secretariat_a, coordinator_a, platform_a):
    from orgs.models import ListingApplication

    ListingApplication.objects.create(
        platform=platform_a,
        wish="join",
        name="申込み団体（架空）",
        name_kana="モウシコミ",
        activity="相談",
        contact_name="架空 太郎",
        contact_email="taro@example.jp",
        sender_key="x",
    )
    home = reverse("platform-home", args=[platform_a.slug])
    assert "審査を待っている参加・掲載の申込み" in secretariat_a.get(home).content.decode()
    assert "審査を待っている参加・掲載の申込み" not in coordinator_a.get(home).content.decode()
