"""Notices to members: posted by the secretariat to all members or to chosen categories, shown on
the chosen members' home screen and sent to them by email on the worker (opt-out per person)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from orgs.models import Notice, NoticeOptOut
from platform_site.models import PlatformRole
from tests import factories as f
from tests.jobs import run_worker

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def tagged(platform_a, org_a, other_org_a, coordinator_a, other_coordinator_a):
    """org_a is in 「子育て」; other_org_a is not. Both coordinators have an address."""
    category = f.make_category(platform_a, name="子育て")
    other = f.make_category(platform_a, name="生活に困窮")
    org_a.worry_categories.add(category)
    other_org_a.worry_categories.add(other)
    for client, address in ((coordinator_a, "a@example.jp"), (other_coordinator_a, "b@example.jp")):
        client.user.email = address
        client.user.save()
    return category


def _post(client, platform, **over):
    data = {
        "kind": "grant",
        "title": "子育て支援の助成金（架空）",
        "body": "締切までに申請してください。",
        "link": "https://example.jp/grant",
        "deadline": "2026-06-30",
    }
    data.update(over)
    return client.post(reverse("orgs:notice-new", args=[platform.slug]), data)


def test_a_notice_to_a_category_reaches_only_its_members_at_home_and_by_email(
    secretariat_a, coordinator_a, other_coordinator_a, platform_a, org_a, tagged
):
    response = _post(secretariat_a, platform_a, worry_categories=[tagged.pk])
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.audience == [org_a.pk] and not notice.to_all
    assert timezone.localtime(notice.posted_at).date().isoformat() == "2026-05-20"  # Tokyo
    mail.outbox.clear()
    assert run_worker() == 1
    assert [m.to for m in mail.outbox] == [["a@example.jp"]]
    assert "2026-06-30" in mail.outbox[0].body and "https://example.jp/grant" in mail.outbox[0].body
    notice.refresh_from_db()
    assert notice.emailed == 1
    home = reverse("platform-home", args=[platform_a.slug])
    assert "子育て支援の助成金（架空）" in coordinator_a.get(home).content.decode()
    assert "子育て支援の助成金（架空）" not in other_coordinator_a.get(home).content.decode()
    detail = reverse("orgs:notice", args=[platform_a.slug, notice.pk])
    assert coordinator_a.get(detail).status_code == 200
    assert other_coordinator_a.get(detail).status_code == 404


def test_a_notice_to_all_members_skips_those_who_opted_out(
    secretariat_a, coordinator_a, other_coordinator_a, platform_a, tagged
):
    response = other_coordinator_a.post(reverse("orgs:notice-email", args=[platform_a.slug]), {})
    assert response.status_code == 302
    assert NoticeOptOut.objects.filter(user=other_coordinator_a.user).exists()
    _post(secretariat_a, platform_a, kind="event", deadline="", to_all="on", title="研修会のお知らせ")
    mail.outbox.clear()
    run_worker()
    assert [m.to for m in mail.outbox] == [["a@example.jp"]]
    # still on the home screen of the one who opted out
    home = other_coordinator_a.get(reverse("platform-home", args=[platform_a.slug])).content.decode()
    assert "研修会のお知らせ" in home
    # and back in
    other_coordinator_a.post(reverse("orgs:notice-email", args=[platform_a.slug]), {"receive": "on"})
    assert not NoticeOptOut.objects.filter(user=other_coordinator_a.user).exists()


def test_a_grant_needs_a_deadline_and_an_audience(secretariat_a, platform_a):
    response = _post(secretariat_a, platform_a, deadline="")
    text = response.content.decode()
    assert response.status_code == 200
    assert "締切日を入れてください" in text
    assert "届け先を選んでください" in text
    assert not Notice.objects.exists()


def test_coordinators_cannot_post_and_other_platforms_see_nothing(
    coordinator_a, secretariat_a, secretariat_b, platform_a, tagged
):
    assert _post(coordinator_a, platform_a, to_all="on").status_code == 403
    _post(secretariat_a, platform_a, to_all="on")
    notice = Notice.objects.get()
    assert secretariat_b.get(reverse("orgs:notice", args=[platform_a.slug, notice.pk])).status_code == 404
    role = PlatformRole.objects.get(user=secretariat_b.user)
    assert secretariat_b.get(reverse("platform-home", args=[role.platform.slug])).status_code == 200


def test_the_secretariat_keeps_each_notice_with_its_date_and_audience(secretariat_a, platform_a, tagged):
    _post(secretariat_a, platform_a, worry_categories=[tagged.pk])
    page = secretariat_a.get(reverse("orgs:notices", args=[platform_a.slug])).content.decode()
    assert "2026-05-20" in page and "子育て" in page and "1団体" in page


def test_the_notice_list_has_a_fixed_query_count(
    secretariat_a, platform_a, tagged, django_assert_num_queries
):
    for i in range(3):
        _post(secretariat_a, platform_a, worry_categories=[tagged.pk], title=f"お知らせ{i}")
    url = reverse("orgs:notices", args=[platform_a.slug])
    secretariat_a.get(url)
    with django_assert_num_queries(9):
        assert secretariat_a.get(url).status_code == 200
