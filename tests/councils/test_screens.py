"""The duty-bound body's screens: the secretariat keeps the body, its member bodies, meetings and
the duty records; members of the platform read the body and its meetings; bad input gets a
Japanese message and nothing is saved; every change is in the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from councils.models import Council, CouncilChange, Meeting, MemberBody
from platform_site import once
from tests import factories as f
from tests.conftest import FROZEN_TODAY

pytestmark = pytest.mark.usefixtures("frozen_now")


def _url(name: str, platform, **kw) -> str:
    return reverse(f"councils:{name}", kwargs={"platform": platform.slug, **kw})


COUNCIL = {
    "name": "A市孤独・孤立対策地域協議会",
    "kind": "separate",
    "law": "kodoku",
    "established_on": "2025-04-01",
    "announced_on": "",
    "secretariat": "健康福祉政策課",
    "duty_version": "第1版",
    "duty_text": "協議会の事務に関して知り得た秘密を漏らしません。",
    "groups_end_on_decision": "on",
}


def test_the_secretariat_registers_the_body_with_its_public_announcement(secretariat_a, platform_a):
    page = secretariat_a.get(_url("detail", platform_a)).text
    assert "まだ会議体が登録されていません" in page
    response = secretariat_a.post(_url("edit", platform_a), COUNCIL)
    assert response.status_code == 200 and "公表日を入力してください" in response.text
    assert not Council.objects.exists()
    response = secretariat_a.post(_url("edit", platform_a), COUNCIL | {"announced_on": "2025-03-01"})
    assert "公表日は設置日より後にしてください" in response.text
    response = secretariat_a.post(_url("edit", platform_a), COUNCIL | {"announced_on": "令和7年4月1日"})
    assert response.status_code == 302
    council = Council.objects.get(platform=platform_a)
    assert str(council.announced_on) == "2025-04-01"
    assert CouncilChange.objects.get(action="councils.council.created").actor == secretariat_a.user
    # a 支援会議 of 社会福祉法 needs no announcement
    response = secretariat_a.post(
        _url("edit", platform_a),
        COUNCIL | {"law": "social_welfare", "kind": "in_platform", "announced_on": ""},
    )
    assert response.status_code == 302
    council.refresh_from_db()
    assert council.law == "social_welfare" and council.announced_on is None
    change = CouncilChange.objects.get(action="councils.council.updated")
    assert set(change.data["fields"]) == {"law", "kind", "announced_on"}


def test_the_duty_text_cannot_change_without_a_new_version(secretariat_a, platform_a):
    f.make_council(platform_a)
    council = Council.objects.get(platform=platform_a)
    data = COUNCIL | {
        "announced_on": "2025-04-01",
        "duty_version": council.duty_version,
        "duty_text": "新しい文面",
    }
    response = secretariat_a.post(_url("edit", platform_a), data)
    assert "版も変えてください" in response.text
    council.refresh_from_db()
    assert council.duty_text != "新しい文面"


def test_member_bodies_are_registry_organisations_or_city_departments(
    secretariat_a, platform_a, org_a, org_b
):
    f.make_council(platform_a)
    url = _url("body-add", platform_a)
    page = secretariat_a.get(url).text
    assert org_a.name in page and org_b.name not in page  # another platform's registry is not offered
    response = secretariat_a.post(url, {"joined_on": "2025-04-01"})
    assert "団体か市の部署のどちらか一方を選んでください" in response.text
    response = secretariat_a.post(
        url, {"organisation": org_a.pk, "department": "福祉課", "joined_on": "2025-04-01"}
    )
    assert "どちらか一方" in response.text
    token = once.new_token()
    data = {"organisation": org_a.pk, "is_coordinating": "on", "joined_on": "2025-04-01", "once": token}
    assert secretariat_a.post(url, data).status_code == 302
    assert secretariat_a.post(url, data).status_code == 302  # sent twice: made once
    assert MemberBody.objects.filter(organisation=org_a).count() == 1
    response = secretariat_a.post(url, {"department": "健康福祉政策課", "joined_on": "2999-01-01"})
    assert response.status_code == 200 and not MemberBody.objects.filter(department="健康福祉政策課").exists()
    assert (
        secretariat_a.post(url, {"department": "健康福祉政策課", "joined_on": "2025-04-01"}).status_code
        == 302
    )
    page = secretariat_a.get(_url("detail", platform_a)).text
    assert "調整機関" in page and org_a.name in page and "健康福祉政策課" in page


def test_minutes_hold_no_personal_data(secretariat_a, coordinator_a, platform_a):
    f.make_council(platform_a)
    url = _url("meeting-create", platform_a)
    base = {"held_on": "2026-05-01", "title": "第1回 地域協議会", "agenda": "作業部会の運営"}
    for minutes in ("ケース12について協議", "連絡先は090-1234-5678", "info@example.jp に連絡"):
        response = secretariat_a.post(url, base | {"minutes": minutes})
        assert response.status_code == 200 and "個人情報は書かないでください" in response.text, minutes
    assert not Meeting.objects.exists()
    response = secretariat_a.post(url, base | {"minutes": "作業部会は支援先の決定まで担うことを確認した。"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    # members of the platform read the body and its meetings; only the secretariat keeps them
    assert coordinator_a.get(_url("meeting", platform_a, meeting_id=meeting.pk)).status_code == 200
    assert (
        "作業部会は支援先の決定まで"
        in coordinator_a.get(_url("meeting", platform_a, meeting_id=meeting.pk)).text
    )
    assert coordinator_a.get(_url("detail", platform_a)).status_code == 200
    assert coordinator_a.get(_url("seats", platform_a)).status_code == 403
    assert coordinator_a.post(url, base).status_code == 403


def test_another_platforms_body_and_meetings_are_not_found(
    secretariat_b, secretariat_a, platform_a, platform_b
):
    f.make_council(platform_a)
    f.make_council(platform_b)
    council_a = Council.objects.get(platform=platform_a)
    meeting = Meeting.objects.create(
        council=council_a, held_on=FROZEN_TODAY, title="A", agenda="A", recorded_by=secretariat_a.user
    )
    # B's secretariat, under B's own address with A's meeting id
    assert secretariat_b.get(_url("meeting", platform_b, meeting_id=meeting.pk)).status_code == 404
    assert secretariat_b.get(_url("detail", platform_a)).status_code == 404


def test_the_body_and_the_duty_list_cost_the_same_whatever_their_length(
    secretariat_a, platform_a, org_a, other_org_a, django_assert_max_num_queries
):
    """A query budget: the body's page and the duty list read their rows in a fixed number of queries."""
    council = f.make_council(platform_a)

    def counted(name: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert secretariat_a.get(_url(name, platform_a)).status_code == 200
        return len(ctx.captured_queries)

    council.bodies.create(organisation=org_a, joined_on=FROZEN_TODAY)
    Meeting.objects.create(
        council=council, held_on=FROZEN_TODAY, title="1", agenda="a", recorded_by=secretariat_a.user
    )
    f.seat(secretariat_a.user, platform_a)
    few = {name: counted(name) for name in ("detail", "seats")}
    for i in range(5):
        council.bodies.create(department=f"課{i}", joined_on=FROZEN_TODAY)
        Meeting.objects.create(
            council=council, held_on=FROZEN_TODAY, title=f"{i}", agenda="a", recorded_by=secretariat_a.user
        )
        user = f.make_user(f"staff{i}")
        f.make_role(user, platform_a, "secretariat")
        f.seat(user, platform_a)
    many = {name: counted(name) for name in ("detail", "seats")}
    assert many == few
    with django_assert_max_num_queries(25):
        secretariat_a.get(_url("seats", platform_a))
