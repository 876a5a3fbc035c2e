"""The one error pattern of every form, as the server renders it (the browser scan in
tests/browser/test_a11y_matrix.py checks focus and every form; this runs without a browser)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("frozen_now")


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_a_failed_submit_gets_the_title_the_summary_and_described_fields(secretariat_a, platform_a):
    response = secretariat_a.post(reverse("cases:create", args=[platform_a.slug]), {"situation": ""})
    html = response.content.decode()
    assert re.search(r"<title>入力エラー：", html)
    assert 'class="error-summary" role="alert" tabindex="-1" id="error-summary"' in html
    assert "保存されていません" in html
    ids = _ids(html)
    links = re.findall(r'<a href="#([^"]+)">', html.split('id="error-summary"')[1].split("</div>")[0])
    assert links and set(links) <= ids  # each error links to its field
    invalid = re.findall(r'<[^>]*aria-invalid="true"[^>]*>', html)
    assert len(invalid) == len(links)
    for tag in invalid:
        described = re.search(r'aria-describedby="([^"]+)"', tag)
        assert described and set(described.group(1).split()) <= ids, tag


def test_required_fields_say_so(secretariat_a, platform_a):
    html = secretariat_a.get(reverse("cases:create", args=[platform_a.slug])).content.decode()
    assert re.search(r'<label for="id_intake_date">[^<]*<span class="req">必須</span></label>', html)


def test_a_page_without_errors_has_no_summary(secretariat_a, platform_a):
    html = secretariat_a.get(reverse("cases:create", args=[platform_a.slug])).content.decode()
    assert "error-summary" not in html and "入力エラー" not in html


def test_a_refused_sign_in_marks_both_fields_invalid(db, anon):
    html = anon.post(reverse("login"), {"username": "nobody", "password": "wrong-password"}).content.decode()
    assert 'id="login-error"' in html
    for name in ("username", "password"):
        found = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert found
        tag = found.group(0)
        assert 'aria-invalid="true"' in tag and 'aria-describedby="login-error"' in tag
    assert html.count('role="alert"') == 1  # the summary only
