"""Right-to-left overrides, zero-width characters and the other invisible format characters
never reach the database: dropped from every form field and query parameter (the middleware)
and from every imported cell; passwords are left as typed."""

from __future__ import annotations

import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from orgs.models import Organisation
from platform_site.lib.cells import INVISIBLE_RE, strip_invisible
from tests.orgs.files.builders import csv_bytes, make_lists, row
from tests.orgs.test_views_edit import payload, url

RLO, ZWSP, ZWJ, BOM = "\u202e", "\u200b", "\u200d", "\ufeff"


def test_every_format_character_python_knows_is_in_the_list():
    missing = [
        hex(c)
        for c in range(0x110000)
        if unicodedata.category(chr(c)) == "Cf" and not INVISIBLE_RE.match(chr(c))
    ]
    assert missing == []


@given(st.text())
def test_stripping_leaves_no_format_character_and_is_stable(text):
    once = strip_invisible(text)
    assert not any(unicodedata.category(c) == "Cf" for c in once)
    assert strip_invisible(once) == once


def test_variation_selectors_of_japanese_names_are_kept():
    assert strip_invisible("葛\U000e0100飾区") == "葛\U000e0100飾区"


def test_a_form_stores_no_invisible_characters(secretariat_a, platform_a, other_org_a):
    response = secretariat_a.post(
        url(platform_a, other_org_a),
        payload(
            other_org_a,
            name=f"あおぞら{RLO}室談相{ZWSP}",
            website=f"https://exa{ZWSP}mple.jp/{RLO}gpj.exe",
            hours=f"{BOM}平日{ZWJ}9時",
        ),
    )
    assert response.status_code == 302
    other_org_a.refresh_from_db()
    assert other_org_a.name == "あおぞら室談相"
    assert other_org_a.website == "https://example.jp/gpj.exe"
    assert other_org_a.hours == "平日9時"


def test_a_search_matches_without_them(secretariat_a, platform_a, org_a):
    response = secretariat_a.get(
        reverse("orgs:list", args=[platform_a.slug]), {"q": f"{org_a.name[:2]}{ZWSP}"}
    )
    assert response.status_code == 200 and org_a.name in response.text


@pytest.mark.parametrize("name", ["m.csv"])
def test_an_import_stores_no_invisible_characters(secretariat_a, platform_a, name):
    make_lists(platform_a)
    data = csv_bytes(
        [
            row(
                **{
                    "団体名": f"{RLO}堂食もどこ",
                    "受付時間": f"平日{ZWSP}9時",
                    "ホームページ": f"https://exa{ZWSP}mple.jp",
                }
            )
        ],
        encoding="utf-8",
    )
    response = secretariat_a.post(
        reverse("orgs:import", args=[platform_a.slug]), {"file": SimpleUploadedFile(name, data)}
    )
    secretariat_a.post(
        reverse("orgs:import-confirm", args=[platform_a.slug]), {"token": response.context["token"]}
    )
    org = Organisation.objects.get(ref="T-01")
    assert (org.name, org.hours, org.website) == ("堂食もどこ", "平日9時", "https://example.jp")
