"""Create /p/<platform>/orgs/new/: a new organisation with its first membership status."""

from __future__ import annotations

import pytest
from django.urls import reverse

from orgs.models import Membership, MembershipStatus, Organisation, OrgChange
from tests import factories as f
from tests.conftest import FROZEN_TODAY

pytestmark = pytest.mark.usefixtures("frozen_now")


def url(platform) -> str:
    return reverse("orgs:create", args=[platform.slug])


def data(**kw) -> dict:
    return {
        "name": "ほっとカフェ",
        "name_kana": "ほっとかふぇ",
        "legal_form": "任意団体",
        "membership-status": "candidate",
        "membership-source": "resource_survey",
        "membership-source_note": "令和6年度 資源調査で回答",
    } | kw


def test_it_works(secretariat_a, platform_a):
    assert secretariat_a.get(url(platform_a)).status_code == 200
    response = secretariat_a.post(url(platform_a), data())
    org = Organisation.objects.get(name="ほっとカフェ")
    assert response.status_code == 302
    assert response.url == reverse("orgs:detail", args=[platform_a.slug, org.pk])
    assert org.name_kana == "ホットカフェ"
    m = Membership.objects.get(organisation=org)
    assert (m.platform, m.status, m.source, m.joined_on) == (platform_a, "candidate", "resource_survey", None)


def test_a_new_member_joins_today(secretariat_a, platform_a):
    secretariat_a.post(url(platform_a), data(**{"membership-status": "member"}))
    m = Membership.objects.get(organisation__name="ほっとカフェ")
    assert (m.status, m.joined_on) == (MembershipStatus.MEMBER, FROZEN_TODAY)


def test_it_requires_login(anon, platform_a):
    response = anon.get(url(platform_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_other_platform(secretariat_b, platform_a):
    assert secretariat_b.post(url(platform_a), data()).status_code == 404
    assert not Organisation.objects.filter(name="ほっとカフェ").exists()


def test_it_requires_capability(coordinator_a, platform_a):
    assert coordinator_a.get(url(platform_a)).status_code == 403
    assert coordinator_a.post(url(platform_a), data()).status_code == 403
    assert not Organisation.objects.filter(name="ほっとカフェ").exists()


def test_it_writes_history(secretariat_a, platform_a):
    secretariat_a.post(url(platform_a), data())
    change = OrgChange.objects.get(organisation__name="ほっとカフェ")
    assert change.action == "orgs.organisation.created"
    assert change.platform == platform_a and change.actor == secretariat_a.user
    assert change.changes["name"] == [None, "ほっとカフェ"]
    assert change.changes["membership.status"] == [None, "candidate"]


def test_bad_input_saves_nothing(secretariat_a, platform_a, org_a):
    response = secretariat_a.post(url(platform_a), data(name_kana="漢字", corporate_number="1234567890123"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "保存されていません" in body
    assert not Organisation.objects.filter(name="ほっとカフェ").exists()
    assert not OrgChange.objects.exists()


def test_a_duplicate_ref_is_refused_with_a_message(secretariat_a, platform_a, org_a):
    org_a.ref = "A-01"
    org_a.save()
    response = secretariat_a.post(url(platform_a), data(ref="A-01"))
    assert response.status_code == 200
    assert "保存されていません" in response.content.decode()
    assert not Organisation.objects.filter(name="ほっとカフェ").exists()


def test_a_code_already_in_use_is_explained_in_words(secretariat_a, platform_a, platform_b):
    f.make_org(platform_b, name="B団体", name_kana="ビーダンタイ", ref="DUP-1")
    response = secretariat_a.post(
        reverse("orgs:create", args=[platform_a.slug]),
        {"name": "新しい会", "name_kana": "アタラシイカイ", "ref": "DUP-1", "membership-status": "candidate"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "団体コード「DUP-1」はほかの団体が使っています" in body
    assert "unique_org_ref" not in body
    assert not Organisation.objects.filter(name="新しい会").exists()
