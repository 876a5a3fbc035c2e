"""The English directory and leaflet on the 熊本 demo (the browser test checks the pages with axe-core)."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from orgs.pdf import LeafletOptions, render_leaflet_pdf
from platform_site.models import Platform

pytestmark = pytest.mark.django_db


@pytest.fixture
def kumamoto():
    call_command("load_demo", stdout=io.StringIO())
    return Platform.objects.get(slug="kumamoto")


def test_the_english_leaflet_of_the_kumamoto_demo_renders(kumamoto):
    name, pdf = render_leaflet_pdf(platform=kumamoto, options=LeafletOptions(language="en"))
    assert name == "kumamoto-leaflet-en.pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    for expected in ("Loneliness and isolation", "Addiction", "Kumamoto DARC", "How to read the marks"):
        assert expected in text, expected
    assert "熊本ダルク" not in text  # its English name replaces the Japanese one
    assert "でんでん虫の会" in text  # no English name: printed in Japanese


def test_the_switch_links_the_same_page_and_query_in_each_language(kumamoto):
    with translation.override("en"):
        url = reverse("directory:index", args=[kumamoto.slug])
    assert url == "/en/d/kumamoto/"
    body = Client().get(url, {"q": "food"}).content.decode()
    assert '<html lang="en">' in body
    assert 'href="/d/kumamoto/?q=food" lang="ja" hreflang="ja">日本語</a>' in body
    assert 'href="/en/d/kumamoto/?q=food" lang="en" hreflang="en" aria-current="page">English</a>' in body
    assert "Money and daily living" in body and "Search with these choices" in body
    # the language filter names the languages in English, the staff screens stay Japanese
    assert '<option value="en">English</option>' in body
    with translation.override("ja"):  # the test thread keeps the last request's language
        url = reverse("directory:index", args=[kumamoto.slug])
    japanese = Client().get(url).content.decode()
    assert '<option value="en">英語</option>' in japanese and "生活に困窮" in japanese
    staff = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/").content.decode()
    assert '<html lang="ja">' in staff
