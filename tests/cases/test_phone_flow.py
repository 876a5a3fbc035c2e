"""A coordinator on a 390×844 touch screen: from the home screen after sign-in to a logged handoff
in at most 4 taps, a repeat delivery in 3, every tap target on the way at least 44×44 CSS px, and
a header that leaves the page its screen."""

from __future__ import annotations

import os

import pytest

from cases.models import Handoff, ReferralStatus
from tests.browser.conftest import browser, phone_page  # noqa: F401  (fixtures)
from tests.cases.test_browser import _login
from tests.conftest import FROZEN_TODAY

pytestmark = pytest.mark.browser

# Every visible target smaller than 44×44 CSS px whose label (if it has one) is smaller too.
SMALL_TARGETS = """() => {
  const out = [];
  const seen = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && r.right > 0 && r.bottom > 0 && r.left < innerWidth; };
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    if (!seen(el)) continue;
    let r = el.getBoundingClientRect();
    const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
    if ((r.width < 44 || r.height < 44) && label && ['checkbox', 'radio'].includes(el.type)) r = label.getBoundingClientRect();
    if (r.width < 44 || r.height < 44) out.push(`${el.tagName.toLowerCase()} "${(el.innerText || el.value || el.name || '').trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  return out;
}"""


class Taps:
    """Counts the taps of the test, and checks the targets of every page it taps on."""

    def __init__(self, page) -> None:
        self.page, self.count = page, 0
        self.small: list[str] = []

    def tap(self, locator) -> None:
        self.small += [f"{self.page.url}: {t}" for t in self.page.evaluate(SMALL_TARGETS)]
        locator.first.tap()
        self.count += 1


@pytest.fixture
def site(transactional_db, live_server, case_a):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return live_server.url


def test_a_handoff_in_four_taps_after_sign_in_and_a_repeat_in_three(
    site,
    phone_page,  # noqa: F811
    coordinator_a,
    case_a,
    referral_a,
):
    page = phone_page
    _login(page, site, coordinator_a.user)
    page.goto(f"{site}/")  # where sign-in lands: the platform's home
    page.wait_for_url(f"**/p/{case_a.platform.slug}/")
    header = page.locator(".site-header").bounding_box()
    assert header and header["height"] <= 110, f"the header takes {header and header['height']} px"

    taps = Taps(page)
    taps.tap(page.get_by_role("link", name="1", exact=True))  # 応答待ちの依頼: 1
    page.wait_for_url("**/cases/")
    taps.tap(page.get_by_role("button", name="受諾して引き渡しへ"))
    page.wait_for_url(f"**/cases/{case_a.pk}/referrals/{referral_a.pk}/handoff/")
    referral_a.refresh_from_db()
    assert referral_a.status == ReferralStatus.ACCEPTED
    form = page.content()
    assert "大人1名／子ども2名 × 3日分" in form  # the referral's needs beside the form
    assert page.get_by_label("支援日").input_value() == FROZEN_TODAY.isoformat()  # today, filled in
    taps.tap(page.get_by_label("渡したもの"))
    page.keyboard.type("米5kgと缶詰")
    taps.tap(page.get_by_role("button", name="記録する"))
    page.wait_for_url(f"**/cases/{case_a.pk}/")
    assert taps.count <= 4
    assert Handoff.objects.get().given == "米5kgと缶詰"

    # next time: the same delivery again in one tap on the form
    page.goto(f"{site}/p/{case_a.platform.slug}/")
    repeat = Taps(page)
    repeat.tap(page.locator(".main-nav").get_by_role("link", name="引き継ぎ簿"))
    page.wait_for_url("**/cases/")
    repeat.tap(page.get_by_role("link", name="引き渡しを記録"))
    page.wait_for_url(f"**/referrals/{referral_a.pk}/handoff/")
    repeat.tap(page.get_by_role("button", name="前回と同じ内容で今日の引き渡しを記録"))
    page.wait_for_url(f"**/cases/{case_a.pk}/")
    assert repeat.count == 3
    assert list(Handoff.objects.order_by("id").values_list("given", flat=True)) == ["米5kgと缶詰"] * 2

    small = sorted(
        set(taps.small + repeat.small + [f"{page.url}: {t}" for t in page.evaluate(SMALL_TARGETS)])
    )
    assert small == [], "\n".join(small)
