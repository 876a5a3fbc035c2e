"""Back after sign-out, and after removal from a working group, shows nothing personal — in
Chromium with its back/forward cache ON (as in a normal Chrome; Playwright turns it off unless
told otherwise, see `bfcache_browser`).

The first test proves the cache is really on in this browser: a public page (cacheable, no
personal data) is restored from it on Back, its JavaScript state intact and `pageshow` persisted.
The others show that a signed-in page is not: it is asked of the server again (Chrome reports
`response-cache-control-no-store` as the reason), and what Back shows is the sign-in page or the
"not found" page, without the person's name, phone or situation.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cases import services as case_services
from tests import factories as f
from tests.browser.conftest import bfcache_browser  # noqa: F401  (fixture)
from tests.ledger import PERSON_NAME, SITUATION

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("frozen_now")]

PHONE = "090-0000-0000"

#: On every page: remember whether the document was restored from the back/forward cache.
#: (An init script, run by the browser itself: the app's CSP forbids inline scripts.)
WATCH_PAGESHOW = """
window.__pageshows = [];
window.addEventListener('pageshow', (e) => window.__pageshows.push(e.persisted));
"""
RESTORE_STATE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const reasons = nav && nav.notRestoredReasons;
  const flat = [];
  const walk = (r) => { if (!r) return; (r.reasons || []).forEach((x) => flat.push(x.reason || x));
                        (r.children || []).forEach(walk); };
  walk(reasons);
  return {persisted: window.__pageshows.slice(-1)[0] === true, marker: window.__marker || null,
          reasons: flat, type: nav ? nav.type : null};
}"""


@pytest.fixture
def site(transactional_db, live_server):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return live_server.url


@pytest.fixture
def page(bfcache_browser):  # noqa: F811
    context = bfcache_browser.new_context(locale="ja-JP")
    context.add_init_script(WATCH_PAGESHOW)
    yield context.new_page()
    context.close()


def _sign_in(page, base: str, user) -> None:
    client = f.login_verified(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def _back(page) -> dict:
    page.go_back(wait_until="commit")  # a page restored from the cache fires no "load"
    # a new document has had its one pageshow; a restored one (its marker kept) its second
    page.wait_for_function(
        "document.readyState === 'complete' && window.__pageshows"
        " && window.__pageshows.length >= (window.__marker ? 2 : 1)"
    )
    return page.evaluate(RESTORE_STATE)


def test_the_back_forward_cache_is_on_in_this_browser(site, page, platform_a, org_a):
    page.goto(f"{site}{reverse('directory:index', args=[platform_a.slug])}")
    page.evaluate("window.__marker = 'still here'")
    page.goto(f"{site}{reverse('directory:org', args=[platform_a.slug, org_a.pk])}")
    state = _back(page)
    assert state["persisted"] and state["marker"] == "still here", state  # restored, not reloaded


def test_back_after_sign_out_shows_nothing_personal(site, page, secretariat_a, case_a):
    _sign_in(page, site, secretariat_a.user)
    page.goto(f"{site}{reverse('cases:detail', args=[case_a.platform.slug, case_a.pk])}")
    assert PERSON_NAME in page.content() and PHONE in page.content()  # the page did show them
    page.evaluate("window.__marker = 'case page'")
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url("**/accounts/login/")
    state = _back(page)
    assert not state["persisted"] and state["marker"] is None, state  # not from the cache
    # asked of the server again, which sent it to sign in (Chrome reports no reasons across the
    # redirect; the working-group test below reads them)
    assert page.url.startswith(f"{site}{reverse('login')}?next="), page.url
    html = page.content()
    assert PERSON_NAME not in html and PHONE not in html and SITUATION not in html
    assert page.get_by_role("heading", level=1).inner_text() == "ログイン"


def test_back_after_removal_from_the_working_group_shows_nothing_personal(
    site, page, wg_member_a, secretariat_a, case_a, third_org_a
):
    # a working group sees what the person consented to share with the member's organisation
    from tests.ledger import consent_data

    case_services.consent_record(
        case=case_a,
        actor=secretariat_a.user,
        data=consent_data(items=["name", "contact", "situation"]),
        organisations=[third_org_a],
    )
    _sign_in(page, site, wg_member_a.user)
    case_url = f"{site}{reverse('cases:detail', args=[case_a.platform.slug, case_a.pk])}"
    page.goto(case_url)
    assert SITUATION in page.content()
    page.evaluate("window.__marker = 'case page'")
    page.goto(f"{site}{reverse('platform-home', args=[case_a.platform.slug])}")
    member = case_a.working_group.get(user=wg_member_a.user)
    case_services.working_group_remove(member=member, actor=secretariat_a.user)
    state = _back(page)
    assert page.url == case_url
    assert not state["persisted"] and state["marker"] is None, state
    assert "response-cache-control-no-store" in state["reasons"], state  # and Chrome says why
    html = page.content()
    assert SITUATION not in html and PERSON_NAME not in html and PHONE not in html
