"""The error pages are Japanese, in the site's layout, say what to do next and offer a way back.

Run with DEBUG off (the test settings' default, asserted below), the way production shows them.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.urls("tests.error_urls")


def _assert_japanese_error_page(response, status: int, heading: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert f"<h1>{heading}</h1>" in html
    assert re.search(rf"<title>{heading} \| つなぐ</title>", html)
    assert "/static/css/app.css" in html  # the site's stylesheet
    assert "次にできること" in html  # what to do next
    assert f'href="{reverse("home")}">トップページへ戻る</a>' in html  # a way back
    assert "Not Found" not in html and "Forbidden" not in html and "Server Error" not in html
    return html


def test_debug_is_off():
    assert settings.DEBUG is False


def test_an_unknown_address_gives_the_japanese_404(anon):
    _assert_japanese_error_page(anon.get("/no-such-page/"), 404, "ページが見つかりません")


@pytest.mark.usefixtures("frozen_now")
def test_the_404_does_not_say_whether_the_case_exists(other_coordinator_a, case_a, secretariat_b):
    """A case not referred to you, another platform's case and a case that never existed look alike."""
    hidden = other_coordinator_a.get(reverse("cases:detail", args=[case_a.platform.slug, case_a.pk]))
    missing = other_coordinator_a.get(reverse("cases:detail", args=[case_a.platform.slug, case_a.pk + 999]))
    other_platform = secretariat_b.get(reverse("cases:detail", args=[case_a.platform.slug, case_a.pk]))
    html = _assert_japanese_error_page(hidden, 404, "ページが見つかりません")
    assert missing.content.decode() == html == other_platform.content.decode()
    assert case_a.platform.name not in html


def test_a_missing_right_gives_the_japanese_403(coordinator_a, platform_a):
    response = coordinator_a.get(reverse("cases:create", args=[platform_a.slug]))
    html = _assert_japanese_error_page(response, 403, "この操作を行う権限がありません")
    assert "管理者に役割や権限の追加を依頼" in html


def test_a_malformed_request_gives_the_japanese_400(anon):
    _assert_japanese_error_page(anon.get("/test-errors/400"), 400, "リクエストを処理できませんでした")


def test_a_bug_gives_the_japanese_500(db):
    client = Client(raise_request_exception=False)
    html = _assert_japanese_error_page(client.get("/test-errors/500"), 500, "システムでエラーが発生しました")
    assert "事務局にお知らせください" in html


def test_the_500_page_renders_without_the_database_or_a_request_context():
    """No `db` fixture: any query would fail this test. Django renders 500.html with no context."""
    response = server_error(RequestFactory().get("/"))
    _assert_japanese_error_page(response, 500, "システムでエラーが発生しました")


def test_a_refused_form_gives_the_japanese_csrf_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    html = _assert_japanese_error_page(response, 403, "送信を受け付けられませんでした")
    assert "ページを読み込み直してから" in html
    assert "CSRF" not in html  # nothing about the check itself
