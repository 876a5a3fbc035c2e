"""Keyboard only, through the ledger: intake → consent → referral → (the coordinator) accept →
handoff, with one failed submit at each form. Only Tab, arrows, Space, Enter and typing: after
each failed submit the error summary has the focus, its first link moves the focus to the field,
and the form is then completed from there.

The personas sign in by their test client's session cookie (force_login), not the sign-in form.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Handoff
from tests.browser.a11y import ERROR_TITLE
from tests.ledger import PERSON_NAME, SITUATION

pytestmark = [pytest.mark.usefixtures("frozen_now"), pytest.mark.browser]

ACTIVE = """() => { const e = document.activeElement;
  return {name: e.name || '', type: e.type || '', tag: e.tagName, value: e.value || '', checked: !!e.checked,
          href: e.getAttribute('href') || '', id: e.id || '',
          submit: e.matches('main form button.primary[type=submit]')}; }"""


def _page_for(browser, base: str, client):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    return context, context.new_page()


def _active(page) -> dict:
    return page.evaluate(ACTIVE)


def _tab_to(page, matches, limit: int = 120) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        el = _active(page)
        if matches(el):
            return el
    raise AssertionError(
        f"never reached by Tab on {page.url}: "
        + str(
            page.evaluate("Array.from(document.querySelectorAll('main a')).map(a => a.getAttribute('href'))")
        )
    )


def _follow_link(page, fragment: str) -> None:
    _tab_to(page, lambda el: el["tag"] == "A" and fragment in el["href"])
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _submit(page) -> None:
    _tab_to(page, lambda el: el["submit"])
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _type_date(page, day: dt.date) -> None:
    """Chromium's date field takes its parts in the browser's order (month, day, year here)."""
    page.keyboard.type(f"{day:%m%d%Y}")
    assert _active(page)["value"] == day.isoformat(), "the browser's date order changed"


def _fill_here(page, el: dict, want) -> bool:
    """Fill the focused control by keyboard; True once the field is done."""
    if el["type"] == "checkbox":
        if (want is True or el["value"] in want) and not el["checked"]:
            page.keyboard.press("Space")
        return want is True
    if el["type"] == "radio":
        page.keyboard.press("Space")
        for _ in range(10):
            if _active(page)["value"] == want:
                return True
            page.keyboard.press("ArrowDown")
        raise AssertionError(f"no radio {want}")
    if el["tag"] == "SELECT":
        page.keyboard.press("Home")
        for _ in range(40):
            if _active(page)["value"] == str(want):
                return True
            page.keyboard.press("ArrowDown")
        raise AssertionError(
            f"no option {want} in {el['name']}: " + page.evaluate("document.activeElement.outerHTML")
        )
    if el["type"] == "date":
        _type_date(page, want)
        return True
    page.keyboard.press("Control+A")
    page.keyboard.type(str(want))
    return True


def _fill_form(page, values: dict) -> None:
    """From the focused control on, Tab through the form filling the named fields, then submit."""
    remaining = dict(values)
    el = _active(page)
    for _ in range(150):
        if el["submit"]:
            break
        if el["name"] in remaining and _fill_here(page, el, remaining[el["name"]]):
            remaining.pop(el["name"])
        page.keyboard.press("Tab")
        el = _active(page)
    lists = {k for k, v in remaining.items() if isinstance(v, list)}
    assert set(remaining) == lists, f"never reached: {remaining}"
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _fail_then_fix(page, values: dict) -> None:
    """Send the form as it is (it lacks what it needs), then go to the first error and fill in."""
    _submit(page)
    assert page.title().startswith(ERROR_TITLE), page.title()
    assert _active(page)["id"] == "error-summary"  # the summary has the focus, a screen reader reads it
    link = _tab_to(page, lambda el: el["tag"] == "A", limit=3)
    page.keyboard.press("Enter")
    assert _active(page)["id"] == link["href"].lstrip("#")  # the link moved the focus to its field
    _fill_form(page, values)
    assert not page.title().startswith(ERROR_TITLE), page.evaluate(
        "document.getElementById('error-summary')?.innerText"
    )


def test_the_ledger_flow_by_keyboard_with_one_failed_submit_per_form(
    transactional_db, live_server, browser, platform_a, org_a, secretariat_a, coordinator_a
):
    base = live_server.url
    today = timezone.localdate()
    context, page = _page_for(browser, base, secretariat_a)
    page.goto(base + reverse("cases:create", args=[platform_a.slug]))
    _fail_then_fix(
        page,
        {
            "intake_date": today - dt.timedelta(days=3),
            "person_name": PERSON_NAME,
            "age": "42",
            "sex": "female",
            "source": "self",
            "situation": SITUATION,
            "hardship_reason": "家計が逼迫し自治体支援のみでは困難",
            "willingness_reason": "本人が生活再建の意思を示した",
        },
    )
    case = Case.objects.get(platform=platform_a)
    _follow_link(page, f"/cases/{case.pk}/")  # the plan comes next: back to the case, to consent
    _follow_link(page, "/consent/")
    _fail_then_fix(
        page,
        {
            "method": "written",
            "given_by": "本人",
            "given_on": today,
            "ack_share": True,
            "ack_no_choice": True,
            "ack_take_support": True,
            "ack_end_rule": True,
            "organisations": [str(org_a.pk)],
            "items": ["age", "sex", "situation"],
        },
    )
    _follow_link(page, "/refer/")
    _fail_then_fix(page, {"organisation": org_a.pk, "adults": "1", "children": "0", "days": "3"})
    assert case.referrals.count() == 1
    context.close()

    context, page = _page_for(browser, base, coordinator_a)
    page.goto(base + reverse("cases:detail", args=[platform_a.slug, case.pk]))
    _follow_link(page, "/respond/")
    _fail_then_fix(page, {"decision": "accept"})
    assert "/handoff/" in page.url  # accepting leads straight to the handoff form
    page.evaluate("document.getElementById('id_date').value = ''")  # as if cleared by the person
    _fail_then_fix(page, {"date": today, "given": "お米 5kg"})
    assert Handoff.objects.filter(referral__case=case).count() == 1
    context.close()
