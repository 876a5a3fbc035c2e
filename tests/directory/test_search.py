"""Search that finds, on the 熊本 demo: what a resident types in the directory, and what the
secretariat types (or pastes) in the registry list, through the views they use."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from orgs.models import Organisation
from orgs.selectors_public import listed_organisations
from platform_site.models import Platform
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def kumamoto():
    call_command("load_demo", stdout=io.StringIO())
    return Platform.objects.get(slug="kumamoto")


def directory(client: Client, platform: Platform, word: str, lang: str = "ja") -> set[str]:
    with translation.override(lang):  # /en/d/… for English
        url = reverse("directory:index", args=[platform.slug])
    body = client.get(url, {"q": word}).content.decode()
    heading = re.search(r'id="results-heading"[^>]*>([^<]*)<', body)
    assert heading, body[:500]
    return {
        re.sub(r"<[^>]+>", "", n).strip()
        for n in re.findall(r'<span lang="(?:ja|en)">([^<]*)</span></a></h3>', body)
    }


def in_category(platform: Platform, name: str) -> set[str]:
    return set(
        listed_organisations(platform=platform)
        .filter(worry_categories__name=name, worry_categories__platform=platform)
        .values_list("name", flat=True)
    )


def test_words_of_the_category_descriptions_find_its_members(kumamoto):
    """「お金や食べ物、暮らしに困っている」 describes 生活に困窮: お金 and 食べ物 find its members."""
    client = Client()
    poverty = in_category(kumamoto, "生活に困窮")
    assert len(poverty) >= 5
    assert directory(client, kumamoto, "お金") >= poverty
    assert directory(client, kumamoto, "食べ物") >= poverty
    assert "熊本ダルク" not in directory(client, kumamoto, "お金")


def test_a_phone_note_a_full_width_name_and_two_words_find_the_organisation(kumamoto):
    client = Client()
    assert directory(client, kumamoto, "LINE") == {"自立生活支援熊本ほほえみの会"}  # 「LINE相談も可」
    assert directory(client, kumamoto, "line") == {"自立生活支援熊本ほほえみの会"}
    assert directory(client, kumamoto, "ＹＷＣＡ") == {"熊本YWCAからふるペース"}
    assert directory(client, kumamoto, "熊本　ダルク") == {"熊本ダルク"}  # a full-width space, as typed
    assert directory(client, kumamoto, "熊本 ダルク") == {"熊本ダルク"}
    assert directory(client, kumamoto, "くまもとだるく") == {"熊本ダルク"}  # the reading, in hiragana
    assert directory(client, kumamoto, "NPO法人 熊本ダルク") == {"熊本ダルク"}  # copied with its 法人格


def test_english_words_find_on_the_english_pages(kumamoto):
    client = Client()
    english = set(
        listed_organisations(platform=kumamoto).filter(languages__code="en").values_list("name", flat=True)
    )
    assert english
    # English names are shown where the organisation has one; compare by Japanese name
    shown = directory(client, kumamoto, "English", lang="en")
    names_en = dict(Organisation.objects.exclude(name_en="").values_list("name", "name_en"))
    assert shown == {names_en.get(n, n) for n in english}
    food = directory(client, kumamoto, "food", lang="en")  # 「Trouble with money, food or daily life」
    assert {names_en.get(n, n) for n in in_category(kumamoto, "生活に困窮")} <= food


@pytest.fixture
def secretariat(kumamoto):
    return f.login_verified(Client(), get_user_model().objects.get(username="jimukyoku-kumamoto"))


def registry_list(client: Client, platform: Platform, word: str) -> str:
    response = client.get(reverse("orgs:list", args=[platform.slug]), {"q": word})
    assert response.status_code == 200
    return response.content.decode()


def test_the_registry_list_finds_as_the_directory_does(secretariat, kumamoto):
    """Issue 13: 「ＹＷＣＡ」 found 0 while 「YWCA」 found 1; two words, or a pasted 法人格, found 0."""
    for word in (
        "ＹＷＣＡ",
        "YWCA",
        "熊本　YWCA",
        "NPO法人 熊本YWCAからふるペース",
        "特定非営利活動法人熊本YWCAからふるペース",
    ):
        body = registry_list(secretariat, kumamoto, word)
        assert "熊本YWCAからふるペース" in body, word
        assert "熊本ダルク" not in body, word
    body = registry_list(secretariat, kumamoto, "特定非営利活動法人 くまもと災害ボランティア団体ネットワーク")
    assert "くまもと災害ボランティア団体ネットワーク" in body
    assert "KUM-07" in registry_list(secretariat, kumamoto, "KUM-07")  # the import code still finds its row
