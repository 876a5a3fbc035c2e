"""platform_site.E001: fail loudly when the PDF font cannot draw Japanese (no empty boxes)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from platform_site.checks import check_japanese_font, japanese_font_path

pytestmark = pytest.mark.skipif(not shutil.which("fc-list"), reason="fontconfig not installed")


def _a_family_without_japanese() -> str:
    """An installed family that fontconfig does not list for :lang=ja (e.g. DejaVu Sans)."""
    listed = subprocess.run(
        ["fc-list", "--format=%{family[0]}\n"], capture_output=True, text=True
    ).stdout.split("\n")
    japanese = set(
        subprocess.run(
            ["fc-list", ":lang=ja", "--format=%{family[0]}\n"], capture_output=True, text=True
        ).stdout.split("\n")
    )
    for family in listed:
        if family and family not in japanese:
            return family
    pytest.skip("every installed font covers Japanese")


def test_biz_udgothic_passes(settings):
    settings.PDF_FONT_FAMILY = "BIZ UDGothic"
    assert japanese_font_path("BIZ UDGothic")
    assert check_japanese_font(None) == []


def test_a_font_without_japanese_fails(settings):
    family = _a_family_without_japanese()
    settings.PDF_FONT_FAMILY = family
    errors = check_japanese_font(None)
    assert [e.id for e in errors] == ["platform_site.E001"]
    assert family in errors[0].msg and "empty boxes" in errors[0].msg


def test_a_misspelt_family_warns_that_another_font_is_used(settings):
    """fontconfig substitutes a Japanese font for an unknown name: printable, but not what was asked for."""
    settings.PDF_FONT_FAMILY = "BIZ UD Gothic"  # the family is "BIZ UDGothic"
    messages = check_japanese_font(None)
    assert [m.id for m in messages] == ["platform_site.W002"]
    assert "BIZ UD Gothic" in messages[0].msg and "instead" in messages[0].msg


@pytest.mark.parametrize(
    "site_url", ["http://127.0.0.1:8000", "https://localhost/", "http://tsunagu.example.lg.jp", ""]
)
def test_production_refuses_a_site_url_residents_cannot_open(settings, site_url):
    from platform_site.checks import check_site_url

    settings.DEV_MODE, settings.SITE_URL = False, site_url
    assert [e.id for e in check_site_url(None)] == ["platform_site.E002"]


def test_production_accepts_the_public_address(settings):
    from platform_site.checks import check_site_url

    settings.DEV_MODE, settings.SITE_URL = False, "https://tsunagu.example.lg.jp"
    assert check_site_url(None) == []
    settings.DEV_MODE, settings.SITE_URL = True, "http://127.0.0.1:8000"
    assert check_site_url(None) == []
