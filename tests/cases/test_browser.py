"""A coordinator on a phone answers a referral and logs a handoff; axe-core finds no WCAG 2.2 A/AA
violations on the inbox, the case page and the handoff form."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client

from cases.models import Handoff, ReferralStatus
from tests import factories as f
from tests.browser.conftest import AXE, browser, phone_page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _login(page, base: str, user) -> None:
    client = f.login_verified(Client(), user)  # with a verified second factor
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )


def _axe(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run scripts/test-deps.sh (make test does)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


@pytest.fixture
def site(transactional_db, live_server, case_a):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return live_server.url


def test_a_coordinator_answers_and_logs_a_handoff_on_a_phone(
    site,
    phone_page,  # noqa: F811
    coordinator_a,
    case_a,
    referral_a,
):
    page = phone_page
    _login(page, site, coordinator_a.user)
    page.goto(f"{site}/p/{case_a.platform.slug}/cases/")
    assert page.get_by_role("heading", level=1).inner_text() == "依頼の受信箱"
    page.get_by_role("link", name="受諾・辞退").click()
    page.get_by_label("受諾する").check()
    page.get_by_role("button", name="保存する").click()
    # accepting leads straight on to the first handoff
    page.wait_for_url(f"**/cases/{case_a.pk}/referrals/{referral_a.pk}/handoff/")
    referral_a.refresh_from_db()
    assert referral_a.status == ReferralStatus.ACCEPTED
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label("渡したもの").fill("缶詰と防災食")
    page.get_by_label("数量").fill("3日分")
    page.get_by_label("気づいたこと").fill("元気がない様子")
    page.get_by_label("自治体へ報告する").check()
    page.get_by_role("button", name="記録する").click()
    page.wait_for_url(f"**/cases/{case_a.pk}/")
    handoff = Handoff.objects.get()
    assert handoff.given == "缶詰と防災食" and handoff.report_to_city
    assert "引き渡しを記録しました" in page.content()
    # the handoff reads on the phone: its text is not squeezed into a narrow table column
    given = page.get_by_text("缶詰と防災食", exact=False).bounding_box()
    assert given and given["width"] >= 150
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("path", ["", "{pk}/", "{pk}/referrals/{rid}/handoff/"])
def test_ledger_pages_have_no_axe_violations(site, browser, coordinator_a, case_a, referral_a, path):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP", bypass_csp=True)
    page = context.new_page()
    _login(page, site, coordinator_a.user)
    page.goto(f"{site}/p/{case_a.platform.slug}/cases/" + path.format(pk=case_a.pk, rid=referral_a.pk))
    assert _axe(page) == []
    context.close()


def test_the_secretariat_pages_have_no_axe_violations(site, browser, secretariat_a, case_a):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP", bypass_csp=True)
    page = context.new_page()
    _login(page, site, secretariat_a.user)
    for path in ["", f"{case_a.pk}/", "new/", f"{case_a.pk}/consent/", f"{case_a.pk}/refer/"]:
        page.goto(f"{site}/p/{case_a.platform.slug}/cases/{path}")
        assert _axe(page) == [], path
    context.close()
