"""The secretariat takes a case from intake to close in a real browser, each time following the
case page's own next-step button: intake → plan → consent → referral → the organisation's answer
and handoff reported by phone → close."""

from __future__ import annotations

import os

import pytest

from cases.models import Case, CaseStatus, Handoff, Referral
from tests.browser.conftest import browser  # noqa: F401  (fixture)
from tests.cases.test_browser import _login

pytestmark = pytest.mark.browser


@pytest.fixture
def desk_page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    yield context.new_page()
    context.close()


@pytest.fixture
def site(transactional_db, live_server):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return live_server.url


def follow_next_step(page, expected: str) -> None:
    """Press the case page's one primary next-step button, after checking what it says."""
    step = page.locator(".next-step .primary")
    assert step.count() == 1, "the case page offers one next step"
    assert step.inner_text().strip() == expected
    step.click()


def test_intake_to_close_following_the_next_step_button(site, desk_page, secretariat_a, platform_a, org_a):
    page = desk_page
    _login(page, site, secretariat_a.user)
    page.goto(f"{site}/p/{platform_a.slug}/cases/new/")
    page.get_by_label("実行日").fill("2026-05-18")
    page.get_by_label("氏名").fill("架空 太郎")
    page.get_by_label("連絡先").fill("090-0000-1111")
    page.get_by_label("年齢").fill("70")
    page.get_by_label("世帯の状況").fill("独居")
    page.get_by_label("発見の経緯").select_option("neighbour")
    page.get_by_label("相談内容・生活状況").fill("架空: 電気が止まっている")
    page.get_by_label("条件1").fill("所持金がなく自治体支援だけでは間に合わない")
    page.get_by_label("条件2").fill("本人が生活を立て直したいと話した")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url("**/plan/")  # registering leads on to the plan
    case = Case.objects.get()
    page.get_by_label("月あたりの支援回数").fill("2")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(f"**/cases/{case.pk}/")

    follow_next_step(page, "3. 同意を記録する")
    page.get_by_label("書面").check()
    page.get_by_label("同意した人").fill("本人")
    page.get_by_label("同意日").fill("2026-05-19")
    for label in ("1. 団体へ", "2. 食糧の品目", "3. 自治体や団体", "4. 条件を満たさない"):
        page.get_by_label(label).check()
    page.get_by_label(org_a.name).check()
    for item in ("年齢", "相談内容・生活状況"):
        page.get_by_label(item, exact=True).check()
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(f"**/cases/{case.pk}/")

    follow_next_step(page, "4. 団体へ依頼する")
    page.get_by_label("依頼先の団体").select_option(label=org_a.name)
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    referral = Referral.objects.get()

    follow_next_step(page, "電話で聞いた応答を記録する")
    page.get_by_label("受諾する").check()
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    referral.refresh_from_db()
    assert referral.responded_on_behalf

    follow_next_step(page, "電話で聞いた引き渡しを記録する")
    page.get_by_label("渡したもの").fill("米5kg")
    page.get_by_label("自治体へ報告する").check()
    page.get_by_role("button", name="記録する").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert Handoff.objects.get().on_behalf
    assert "事務局が電話で聞き取り記録" in page.content()

    follow_next_step(page, "支援を終了する")
    page.get_by_label("終了の理由").select_option("benefit")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert page.locator(".next-step").count() == 0
    assert "このケースの支援は終了しています。" in page.content()
