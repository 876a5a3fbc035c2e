"""A つながりサポーター's pages on a phone, in chromium: the report form and their own list.

Mobile-first: at 320 CSS px nothing scrolls sideways and every target is at least 44×44 CSS px;
axe-core (WCAG 2.2 A/AA) finds nothing; the form sent empty shows the error pattern (title
「入力エラー：」, the summary focused, links to the field). Every other URL as a supporter:
tests/test_permissions_supporter.py.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cases.models import Supporter
from platform_site.models import Role
from tests import factories as f
from tests.browser import a11y

pytestmark = [pytest.mark.usefixtures("frozen_now"), pytest.mark.browser]

PHONE = {"width": 320, "height": 740}


def test_the_supporter_pages_work_on_a_phone(transactional_db, live_server, browser, platform_a):
    user = f.make_user("supporter_a")
    f.make_role(user, platform_a, Role.SUPPORTER)
    Supporter.objects.create(platform=platform_a, user=user, trained_on="2025-11-01", area="中央")
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=PHONE, locale="ja-JP", bypass_csp=True, has_touch=True)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    failures: dict[str, object] = {}
    for name in ("platform-home", "cases:supporter-report-create", "cases:supporter-reports-mine"):
        url = live_server.url + reverse(name, kwargs={"platform": platform_a.slug})
        response = page.goto(url)
        assert response is not None and response.status == 200, name
        found = a11y.page_findings(page, target=44)
        if overflow := a11y.horizontal_overflow(page) + a11y.squeezed_inputs(page):
            found["reflow at 320 px"] = overflow
        if small := a11y.small_targets(page, 44):
            found["targets under 44 px"] = small
        if found:
            failures[name] = found
    # the form sent empty: the error pattern, nothing sent
    page.goto(
        live_server.url + reverse("cases:supporter-report-create", kwargs={"platform": platform_a.slug})
    )
    forms = page.evaluate(a11y.FAILABLE_FORMS)  # the forms that ask for something (not sign-out)
    assert len(forms) == 1
    with page.expect_navigation():
        page.evaluate(a11y.SUBMIT_EMPTY, forms[0])
    if problems := a11y.error_pattern_problems(page) + a11y.axe_violations(page):
        failures["sent empty"] = problems
    context.close()
    assert not failures, failures
