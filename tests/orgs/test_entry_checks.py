"""The yearly "please confirm your entry" loop: the secretariat sends the links, an organisation
answers without an account, a confirmation updates 内容確認日 (verified on / by), a correction
request reaches the secretariat, and the screen lists who has not answered."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from orgs.models import EntryCheck, OrgChange
from tests import factories as f
from tests.conftest import FROZEN_NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def checks_url(platform):
    return reverse("orgs:checks", args=[platform.slug])


def link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/check/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def members(platform_a, org_a, other_org_a):
    org_a.email = "aozora@example.jp"
    org_a.save()
    other_org_a.email = ""  # no address: cannot be asked by email
    other_org_a.save()
    return org_a, other_org_a


def test_the_secretariat_sends_the_check_once_a_year(secretariat_a, platform_a, members, coordinator_a):
    org_a, other = members
    coordinator_a.user.email = "coord@example.jp"
    coordinator_a.user.save()
    response = secretariat_a.post(checks_url(platform_a), follow=True)
    assert "1団体に確認のお願いを送りました。" in response.text
    assert "メールアドレスのない1団体には送れませんでした" in response.text
    assert [sorted(m.to) for m in mail.outbox] == [["aozora@example.jp", "coord@example.jp"]]
    assert org_a.name in mail.outbox[0].body and "令和8年度" in mail.outbox[0].subject
    check = EntryCheck.objects.get()
    assert check.organisation == org_a and check.fiscal_year == 2026
    assert link_in(mail.outbox[0]).split("/")[2] not in check.token_hash  # only the hash is kept
    # twice in the same 年度: nobody is asked again
    secretariat_a.post(checks_url(platform_a))
    assert len(mail.outbox) == 1 and EntryCheck.objects.count() == 1
    page = secretariat_a.get(checks_url(platform_a)).text
    assert "回答待ち" in page and "未送信" in page


def test_a_confirmation_updates_verified_on_and_by(secretariat_a, platform_a, members, client):
    org_a, _other = members
    secretariat_a.post(checks_url(platform_a))
    link = link_in(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and org_a.name in page.text
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    later = FROZEN_NOW + dt.timedelta(days=3)
    with time_machine.travel(later, tick=False):
        done = client.post(link, {"answer": "confirmed", "name": "事務局 山田"})
    assert "掲載内容の確認日を更新しました" in done.text
    org_a.refresh_from_db()
    assert org_a.verified_on == later.date() and org_a.verified_by is None
    change = OrgChange.objects.filter(organisation=org_a, action="orgs.organisation.verified").get()
    assert change.actor_label == f"年次確認: 事務局 山田（{org_a.name}）"
    listing = secretariat_a.get(checks_url(platform_a)).text
    assert "変更なし（" in listing and "事務局 山田" in listing
    # the link is spent: a second answer is refused without saying more
    again = client.post(link, {"answer": "confirmed", "name": "別の人"})
    assert again.status_code == 404 and "このリンクは使えません" in again.text


def test_a_correction_request_reaches_the_secretariat(secretariat_a, platform_a, members, client):
    org_a, _other = members
    secretariat_a.post(checks_url(platform_a))
    link = link_in(mail.outbox[0])
    refused = client.post(link, {"answer": "corrections", "name": "山田", "corrections": ""})
    assert "修正の内容を書いてください。" in refused.text
    assert not EntryCheck.objects.filter(answered_at__isnull=False).exists()
    client.post(link, {"answer": "corrections", "name": "山田", "corrections": "電話番号が変わりました"})
    org_a.refresh_from_db()
    assert org_a.verified_on is None  # not confirmed: the secretariat edits the entry
    listing = secretariat_a.get(checks_url(platform_a)).text
    assert "修正の依頼" in listing and "電話番号が変わりました" in listing
    assert OrgChange.objects.filter(organisation=org_a, action="orgs.entry_check.corrections").exists()


def test_an_expired_or_unknown_link_says_only_that_it_is_gone(secretariat_a, platform_a, members, client):
    secretariat_a.post(checks_url(platform_a))
    link = link_in(mail.outbox[0])
    with time_machine.travel(FROZEN_NOW + dt.timedelta(days=61), tick=False):
        expired = client.get(link)
    unknown = client.get("/check/not-a-real-token/")
    assert expired.status_code == unknown.status_code == 404
    assert expired.text == unknown.text


def test_another_platforms_members_are_not_asked(secretariat_a, platform_a, platform_b, members):
    f.make_org(platform_b, name="B市の団体", email="b@example.jp")
    secretariat_a.post(checks_url(platform_a))
    assert all("b@example.jp" not in m.to for m in mail.outbox)
