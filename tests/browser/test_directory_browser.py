"""A resident on a phone finds a place to talk; axe-core finds no WCAG 2.2 A/AA violations."""

from __future__ import annotations

import os
import re

import pytest

from tests.browser.conftest import AXE
from tests.directory.registry import build

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def site(transactional_db, live_server, platform_a, org_a, other_org_a, org_b):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    registry = build(platform_a, org_a, other_org_a)
    return live_server.url, platform_a, registry


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run scripts/test-deps.sh (make test does)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def test_a_resident_picks_two_worries_on_a_phone_and_finds_an_organisation(site, phone_page):
    base, platform, registry = site
    page = phone_page
    page.goto(f"{base}/d/{platform.slug}/")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.get_by_label("孤独・孤立").check()
    page.get_by_label("生活に困窮").check()
    page.get_by_role("button", name="この条件で探す").click()
    page.wait_for_url("**worry=*")
    heading = page.get_by_role("heading", name="検索結果 3件")
    assert heading.is_visible()
    assert page.evaluate("document.activeElement.id") == "results-heading"  # announced to screen readers
    assert "検索結果 3件" in page.title()
    names = page.locator(".result-list .entry-name").all_inner_texts()
    assert "あおぞら相談室" in names[0]  # matches both worries, so first
    # no sideways scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="あおぞら相談室").click()
    assert page.get_by_role("heading", level=1).inner_text().endswith("あおぞら相談室")
    assert page.get_by_role("link", name="096-111-2222").get_attribute("href") == "tel:0961112222"


def test_it_works_with_the_keyboard(site, browser):
    base, platform, _registry = site
    page = browser.new_page()
    page.goto(f"{base}/d/{platform.slug}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "本文へ移動"
    page.keyboard.press("Enter")
    # tab to the first worry and tick it with the space bar, then submit with Enter on the button
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "worry":
            break
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked") is True
    page.get_by_role("button", name="この条件で探す").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**worry=*")
    assert page.get_by_role("heading", name="検索結果 2件").is_visible()
    page.close()


@pytest.mark.parametrize("path", ["", "?worry={lonely}&worry={money}", "o/{org}/", "print/"])
def test_directory_pages_have_no_wcag_violations(site, axe_page, path):
    base, platform, registry = site
    path = path.format(lonely=registry.lonely.pk, money=registry.money.pk, org=registry.listed.pk)
    axe_page.goto(f"{base}/d/{platform.slug}/{path}")
    assert axe_violations(axe_page) == []


def test_error_page_has_no_wcag_violations(site, axe_page):
    base, platform, _registry = site
    axe_page.goto(f"{base}/d/{platform.slug}/?worry=abc")
    assert axe_page.get_by_role("alert").is_visible()
    assert axe_violations(axe_page) == []


def test_axe_check_can_fail(axe_page):
    """The accessibility check is real: a page with known faults reports them."""
    axe_page.set_content("<html><body><img src='data:,'><input type='text'></body></html>")
    ids = {v["id"] for v in axe_violations(axe_page)}
    assert {"html-has-lang", "image-alt", "label"} <= ids


JAPANESE_OUTSIDE_LANG_JA = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const japanese = /[\\u3040-\\u30ff\\u3400-\\u9fff\\uff66-\\uff9f]/;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const owner = node.parentElement.closest("[lang]");
    if (japanese.test(node.textContent) && owner && owner.lang !== "ja") out.push(node.textContent.trim());
  }
  document.querySelectorAll("[aria-label],[alt],[placeholder]").forEach(el => {
    const owner = el.closest("[lang]");
    ["aria-label", "alt", "placeholder"].forEach(a => {
      const v = el.getAttribute(a);
      if (v && japanese.test(v) && owner && owner.lang !== "ja") out.push(a + "=" + v);
    });
  });
  return out;
}"""


@pytest.fixture
def kumamoto_site(transactional_db, live_server):
    from orgs.demo import load

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    load()  # the registry's part of load_demo: the 熊本 directory
    return live_server.url


def test_the_english_directory_is_english_end_to_end_with_no_wcag_violations(kumamoto_site, axe_page):
    """/en/d/kumamoto/: every text in English except the registry's Japanese, which is marked lang="ja"."""
    page = axe_page
    page.goto(f"{kumamoto_site}/en/d/kumamoto/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate(JAPANESE_OUTSIDE_LANG_JA) == []
    assert axe_violations(page) == []
    page.get_by_label("Money and daily living").check()
    page.get_by_role("button", name="Search with these choices").click()
    page.wait_for_url("**/en/d/kumamoto/?*worry=*")
    assert page.get_by_role("heading", name=re.compile(r"^\d+ results?$")).is_visible()
    assert page.evaluate(JAPANESE_OUTSIDE_LANG_JA) == []
    assert axe_violations(page) == []
    page.locator(".result-list .entry-name a").first.click()
    page.wait_for_url("**/en/d/kumamoto/o/*/")
    assert page.evaluate(JAPANESE_OUTSIDE_LANG_JA) == []
    assert axe_violations(page) == []
    page.get_by_role("link", name="日本語").click()  # the switch keeps the page
    page.wait_for_url(re.compile(r".*/d/kumamoto/o/\d+/$"))
    assert "/en/" not in page.url and page.locator("html").get_attribute("lang") == "ja"


def test_the_english_word_search_and_print_view_have_no_wcag_violations(kumamoto_site, axe_page):
    page = axe_page
    page.goto(f"{kumamoto_site}/en/d/kumamoto/?q=food")
    assert page.evaluate(JAPANESE_OUTSIDE_LANG_JA) == []
    assert axe_violations(page) == []
    page.goto(f"{kumamoto_site}/en/d/kumamoto/print/")
    assert page.evaluate(JAPANESE_OUTSIDE_LANG_JA) == []
    assert axe_violations(page) == []
