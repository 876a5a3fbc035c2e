"""The scan's own checks find what they are for (tests/browser/a11y.py), on small pages."""

from __future__ import annotations

import pytest

from tests.browser import a11y

pytestmark = pytest.mark.browser

SUMMARY = """<title>入力エラー：テスト</title>
<div class="error-summary" role="alert" tabindex="-1" id="s"><ul>{links}</ul></div>
<script>document.getElementById('s').focus()</script>"""
FIELDS = """<label for="a">A</label><input id="a" aria-invalid="true" aria-describedby="a_error">
<span id="a_error">Aを入力してください。</span>
<fieldset aria-describedby="g_error"><legend>G</legend><span id="g_error">選んでください。</span>
<input type="checkbox" id="g_0" aria-invalid="true"><input type="checkbox" id="g_1" aria-invalid="true">
</fieldset>"""


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def _problems(page, links: str) -> list[str]:
    page.set_content(SUMMARY.format(links=links) + FIELDS)
    return a11y.error_pattern_problems(page)


def test_a_summary_linking_every_invalid_field_and_group_passes(page):
    assert _problems(page, '<li><a href="#a">A</a></li><li><a href="#g_0">G</a></li>') == []


def test_an_invalid_field_without_a_summary_link_is_reported(page):
    problems = _problems(page, '<li><a href="#a">A</a></li><li>G</li>')
    assert any(p.startswith("input#g_0") and "no summary link reaches it" in p for p in problems), problems
    assert "1 summary links for 2 invalid fields or groups" in problems


def test_a_button_of_a_table_off_screen_at_320_px_is_reported(page):
    page.set_viewport_size({"width": 320, "height": 600})
    table = '<div class="table-wrap" style="overflow-x:auto"><table><tr><td style="min-width:400px">x</td><td>{}</td></tr></table></div>'
    page.set_content(table.format("<button>外す</button>"))
    assert [p for p in a11y.off_screen_in_tables(page) if "外す" in p], "not reported"
    page.set_content(table.replace("min-width:400px", "").format("<button>外す</button>"))
    assert a11y.off_screen_in_tables(page) == []
