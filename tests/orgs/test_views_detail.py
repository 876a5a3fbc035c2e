"""Detail /p/<platform>/orgs/<pk>/: the full entry, contacts for every role, membership in this PF."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from orgs.models import ContactPerson, MembershipSource, Phone
from tests import factories as f


def url(platform, org) -> str:
    return reverse("orgs:detail", args=[platform.slug, org.pk])


def _fill(org_a, platform_a) -> None:
    Phone.objects.create(organisation=org_a, number="096-000-0001", note="LINE相談も可")
    ContactPerson.objects.create(organisation=org_a, name="山田花子", title="理事長", phone="090-0000-0000")
    m = org_a.memberships.get(platform=platform_a)
    m.is_core, m.joined_on, m.source = True, dt.date(2023, 2, 1), MembershipSource.RESOURCE_SURVEY
    f.save_membership(m)
    org_a.verified_on = dt.date(2025, 4, 2)
    org_a.verified_by = f.make_user("checker", first_name="確認", last_name="太郎")
    org_a.save()


def test_it_works(secretariat_a, platform_a, org_a):
    _fill(org_a, platform_a)
    body = secretariat_a.get(url(platform_a, org_a)).content.decode()
    for text in [
        "NPO法人 あおぞら相談室",
        "096-000-0001",
        "LINE相談も可",
        "山田花子",
        "理事長",
        "コアメンバー",
        "2023-02-01",
        "令和4年度",
        "資源調査",
        "2025-04-02",
        "最終更新",
    ]:
        assert text in body, text


def test_contact_persons_are_visible_to_other_coordinators_of_the_platform(
    other_coordinator_a, platform_a, org_a
):
    _fill(org_a, platform_a)
    response = other_coordinator_a.get(url(platform_a, org_a))
    assert response.status_code == 200
    assert "山田花子" in response.content.decode()
    assert response.context["can_edit"] is False  # not their organisation


def test_it_requires_login(anon, platform_a, org_a):
    response = anon.get(url(platform_a, org_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_other_platform(secretariat_b, platform_a, org_a):
    assert secretariat_b.get(url(platform_a, org_a)).status_code == 404


def test_an_org_without_membership_here_is_404(secretariat_a, platform_a, org_b):
    assert secretariat_a.get(url(platform_a, org_b)).status_code == 404
    assert secretariat_a.get(reverse("orgs:detail", args=[platform_a.slug, 999999])).status_code == 404


def test_it_shows_only_this_platforms_categories(secretariat_a, platform_a, platform_b, org_a):
    org_a.worry_categories.add(
        f.make_category(platform_a, name="居場所・交流"), f.make_category(platform_b, name="B市だけの分類")
    )
    body = secretariat_a.get(url(platform_a, org_a)).content.decode()
    assert "居場所・交流" in body
    assert "B市だけの分類" not in body


def test_its_query_count(secretariat_a, platform_a, org_a, django_assert_num_queries):
    _fill(org_a, platform_a)
    # session, user, 2FA device, platform, role, membership ⋈ organisation ⋈ verified_by, whether the
    # verifier has a role here, phones, contacts, languages, worry categories, activity fields,
    # membership periods, role periods.
    with django_assert_num_queries(14):
        assert secretariat_a.get(url(platform_a, org_a)).status_code == 200


def test_it_names_who_checked_the_entry_only_when_they_work_in_this_platform(
    secretariat_a, platform_a, platform_b, org_a
):
    from platform_site.models import Role

    checker = f.make_user("checker_b", first_name="確認", last_name="別市")
    f.make_role(checker, platform_b, Role.SECRETARIAT)
    org_a.verified_on, org_a.verified_by = dt.date(2025, 4, 2), checker
    org_a.save()
    body = secretariat_a.get(url(platform_a, org_a)).content.decode()
    assert "別市" not in body and "他のプラットフォームの利用者" in body
    f.make_role(checker, platform_a, Role.SECRETARIAT)
    assert "別市" in secretariat_a.get(url(platform_a, org_a)).content.decode()
