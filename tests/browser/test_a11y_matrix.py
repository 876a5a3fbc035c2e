"""Every page of the persona × URL matrix, in chromium, as each persona sees it.

The pages are the matrix's own rows (tests/test_permissions_matrix.py) that answer 200 to a GET,
so a new screen is scanned as soon as it has its row. For each page × persona:
- axe-core with the WCAG 2.2 A/AA tags finds nothing;
- no aria-describedby / aria-labelledby / label `for` / in-page link points at a missing id;
- every checkbox and radio group has a name (fieldset + legend);
- every required control says 必須;
- targets: on the coordinators' and the public pages ≥ 44×44 CSS px (or the whole label of the
  checkbox is), elsewhere ≥ 24×24;
- at 320 CSS px the page does not scroll sideways (WCAG 1.4.10 reflow), no input is squeezed
  under 120 px and the targets keep their size.
- at 320 CSS px no button or link of a scrolling table (.table-wrap) lies outside the window.
Each POST form that asks for something is then sent empty once, every form of every page (a
form is its action and its fields; the personas take turns in SUBMITTERS' order, so the first
who sees a form sends it): the title starts with 「入力エラー：」, the error summary has the
focus, its links reach their fields, every invalid field or group has a link there and points at
its message.

Speed: one browser, one context per persona, one page reused for every URL; the viewport is
resized rather than the page reloaded. The personas sign in by their test client's session
cookie (force_login), not through the sign-in form.
"""

from __future__ import annotations

import pprint
import re
import time

import pytest
from django.conf import settings
from django.urls import reverse

from tests.browser import a11y
from tests.test_permissions_matrix import GET, MATRIX, PERSONAS, kwargs_for, served_urls, world  # noqa: F401

pytestmark = [pytest.mark.usefixtures("frozen_now"), pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}
# Downloads and data, not pages (a new one is also recognised by its Content-Type).
JSON_NAMESPACES = ("hsds:",)  # the HSDS API answers JSON: its schema tests check it
NOT_PAGES = {
    "healthz",
    "directory:hsds",
    "orgs:export",
    "orgs:leaflet",
    "outreach:report-xlsx",
    "outreach:report-pdf",
    "consultations:export",
    "surveys:template",
    "surveys:results-xlsx",
    "surveys:report",
    "surveys:responses-csv",
}
PUBLIC_PAGES = {"home", "login", "entry-check"}  # entry-check: a member organisation's yearly link
PUBLIC_NAMESPACES = ("directory:", "public-events:")
#: Coordinators work on phones between visits, residents find help on theirs: 44 px targets.
LARGE_TARGET_PERSONAS = {"anon", "coordinator_a", "other_coordinator_a"}
#: Who sends each form empty: the first of these who sees it (the others after them).
SUBMITTERS = ("coordinator_a", "secretariat_a", "admin_a", "other_coordinator_a", "anon", "secretariat_b")
DOC = settings.BASE_DIR / "docs" / "accessibility.md"


def pages_for(persona: str) -> list[tuple[str, str]]:
    """(url name, variant) of every matrix row that answers this persona's GET with 200."""
    column = PERSONAS.index(persona)
    return [
        (r.name, r.variant)
        for r in MATRIX
        if r.method == GET
        and r.statuses[column] == 200
        and r.name not in NOT_PAGES
        and not r.name.startswith(JSON_NAMESPACES)
    ]


def scan_order() -> list[str]:
    """The personas in SUBMITTERS' order, then any other, as the matrix lists them."""
    rank = {p: i for i, p in enumerate(SUBMITTERS)}
    return sorted(PERSONAS, key=lambda p: rank.get(p, len(rank)))


def target_size(persona: str, name: str) -> int:
    public = name in PUBLIC_PAGES or name.startswith(PUBLIC_NAMESPACES)
    return 44 if public or persona in LARGE_TARGET_PERSONAS else 24


@pytest.fixture
def live(transactional_db, live_server, world):  # noqa: F811 (world is the matrix's fixture)
    return live_server.url, world


def _context_for(browser, base: str, client):
    """A browser context signed in as the test client's user (its session cookie)."""
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP", bypass_csp=True)
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie:
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    return context


def _failed_submits(page, url: str, sent: set[str]) -> dict[str, list[str]]:
    """Send each form of the page that asks for something empty, unless another persona sent
    the same form of the same page already; check the error pattern."""
    found: dict[str, list[str]] = {}
    for index, key in page.evaluate(a11y.FAILABLE_FORM_KEYS):
        if (form := f"{url} {key}") in sent:
            continue
        sent.add(form)
        page.goto(url)
        with page.expect_navigation():
            page.evaluate(a11y.SUBMIT_EMPTY, index)
        problems = a11y.error_pattern_problems(page) + a11y.dangling_references(page)
        problems += a11y.axe_violations(page)
        if problems:
            found[f"form {index} sent empty"] = problems
    return found


_URLS: dict[tuple[str, str, int], str] = {}


def _url(name: str, variant: str, w) -> str:
    """Each row's URL is made once per test: some variants create what they point at (the
    yearly-check link, an accepted referral), as the matrix does once per row."""
    key = (name, variant, id(w))
    if key not in _URLS:
        _URLS[key] = reverse(name, kwargs=kwargs_for(name, served_urls()[name][1], w, variant))
    return _URLS[key]


def _scan(page, base: str, w, persona: str, sent: set[str]) -> tuple[int, dict[str, dict]]:
    failures: dict[str, dict] = {}
    scanned = 0
    for name, variant in pages_for(persona):
        url = base + _url(name, variant, w)
        response = page.goto(url)
        assert response is not None and response.status == 200, (
            f"{persona} {url}: {response and response.status}"
        )
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        scanned += 1
        found = a11y.page_findings(page, target=target_size(persona, name))
        page.set_viewport_size(NARROW)
        if overflow := a11y.horizontal_overflow(page) + a11y.squeezed_inputs(page):
            found["reflow at 320 px"] = overflow
        if small := a11y.small_targets(page, target_size(persona, name)):
            found["targets at 320 px"] = small
        if hidden := a11y.off_screen_in_tables(page):
            found["off screen in a table at 320 px"] = hidden
        page.set_viewport_size(DESKTOP)
        found |= _failed_submits(page, url, sent)
        if found:
            failures[f"{persona} {name} {variant}".strip()] = found
    return scanned, failures


def test_every_page_of_the_matrix_passes_the_accessibility_checks(live, browser, request):
    """One test for all personas: one database and live server, one browser context each."""
    base, w = live
    failures: dict[str, dict] = {}
    sent: set[str] = set()
    total = 0
    began = time.monotonic()
    for persona in scan_order():
        started = time.monotonic()
        context = _context_for(browser, base, request.getfixturevalue(persona))
        page = context.new_page()
        scanned, found = _scan(page, base, w, persona, sent)
        if persona == "anon":  # the public search's own error pattern (a GET form)
            page.goto(base + reverse("directory:index", args=[w.platform.slug]) + "?worry=abc")
            if problems := a11y.error_pattern_problems(page) + a11y.dangling_references(page):
                found["directory:index ?worry=abc"] = {"error pattern": problems}
        context.close()
        print(f"\n{persona}: {scanned} pages in {time.monotonic() - started:.1f} s")
        assert scanned == len(pages_for(persona)), (
            "a page of the matrix is no longer HTML: add it to NOT_PAGES"
        )
        total += scanned
        failures |= found
    print(
        f"{total} page × persona combinations of {len(PERSONAS)} personas, {len(sent)} forms sent empty,"
        f" {time.monotonic() - began:.0f} s"
    )
    assert len(sent) >= 20, sent  # the failed-submit check really ran
    assert not failures, pprint.pformat(failures, width=140)
    assert doc_figures()["forms"] == len(sent), "update the figures in docs/accessibility.md"


def doc_figures() -> dict[str, int]:
    """The figures docs/accessibility.md states for the scan (its Tests section)."""
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    found = re.search(
        r"(\d+) page × persona combinations of (\d+) personas and sends (\d+) forms empty", text
    )
    assert found, "docs/accessibility.md no longer states the scan's figures"
    return dict(zip(("combinations", "personas", "forms"), map(int, found.groups()), strict=True))


def test_the_scan_covers_every_persona_and_at_least_85_page_combinations():
    combinations = sum(len(pages_for(p)) for p in PERSONAS)
    assert combinations >= 85, combinations
    assert all(pages_for(p) for p in PERSONAS)
    assert set(scan_order()) == set(PERSONAS)
    stated = doc_figures()  # the documentation says what the scan covers today
    assert (stated["combinations"], stated["personas"]) == (combinations, len(PERSONAS))
