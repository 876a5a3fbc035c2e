"""The leaflet PDF: who may print it, what it prints (checked with poppler's pdftotext and
pdffonts on the real PDF), what it never prints, determinism and the cache."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from orgs import pdf as leaflet_pdf_module
from orgs.models import Phone
from orgs.pdf import LeafletOptions, leaflet_source, render_leaflet_pdf
from orgs.selectors_public import GROUP_FIRST
from platform_site.lib.pdf import MEMORY_BASE, local_only_fetcher_class
from tests.directory.registry import SECRET_WORDS, build
from tests.jobs import follow_leaflet

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed"
)


@pytest.fixture
def registry(platform_a, org_a, other_org_a, org_b):
    return build(platform_a, org_a, other_org_a)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(data)
    return subprocess.run(
        # -raw: the text in the order it is drawn, which is the document's (and the tags') order;
        # the layout guess would interleave the lines of two cards side by side
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def pdf_fonts(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def pdf_objects(data: bytes) -> list[bytes]:
    """The PDF's bytes plus every Flate stream decompressed (the catalog sits in an object stream)."""
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return chunks


def url(platform) -> str:
    return reverse("orgs:leaflet", args=[platform.slug])


# --- who may print it: tests/test_permissions_matrix.py; here, what they get ---


@pytest.mark.parametrize("persona", ["secretariat_a", "admin_a"])
def test_it_works(request, persona, platform_a, registry, tmp_path):
    client = request.getfixturevalue(persona)
    response = follow_leaflet(client, url(platform_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{platform_a.slug}-leaflet.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert "あおぞら相談室" in pdf_text(response.content, tmp_path)


def test_it_rejects_post(secretariat_a, platform_a):
    assert secretariat_a.post(url(platform_a)).status_code == 405


def test_options_page_works(secretariat_a, platform_a, registry):
    response = secretariat_a.get(reverse("orgs:leaflet-options", args=[platform_a.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "3 団体" in body  # org_a, other_org_a, the shelter
    assert 'name="grouping"' in body and "住まい" in body
    # each radio button sits inside its own label, on the label's line (not above it)
    assert re.search(
        r'<label for="id_grouping_0"><input type="radio" name="grouping" value="refer"[^>]*>\s*くわしい内容は1か所',
        body,
    )


def test_bad_options_get_a_message_and_no_pdf(secretariat_a, platform_a, registry):
    response = secretariat_a.get(url(platform_a), {"grouping": "zigzag", "category": "x"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "正しく選んでください" in response.content.decode()


def test_another_platforms_category_is_refused(secretariat_a, platform_a, platform_b, registry):
    from tests import factories as f

    theirs = f.make_category(platform_b, name="B市の悩み")
    response = secretariat_a.get(url(platform_a), {"category": theirs.pk})
    assert response.status_code == 400
    assert "カテゴリを一覧から正しく選んでください" in response.content.decode()


# --- what it prints ---


def test_it_prints_listed_members_under_their_categories(secretariat_a, platform_a, registry, tmp_path):
    text = pdf_text(follow_leaflet(secretariat_a, url(platform_a)).content, tmp_path)
    lonely, money = text.index("孤独・孤立"), text.index("生活に困窮")
    assert lonely < money  # the platform's category order
    # org_a is in both categories, so (grouping "each") it appears under each.
    assert text.count("あおぞら相談室") == 2
    assert lonely < text.index("あおぞら相談室") < money
    assert text.index("みどり食堂") > money
    # kana order inside a group: アオゾラ before アンシン
    assert text.index("あおぞら相談室") < text.index("あんしんシェルター") < money
    for printed in (
        "NPO法人",
        "096-111-2222",
        "LINE相談も可",
        "平日 9:00～17:00",
        "info@aozora.example.jp",
        "https://aozora.example.jp/",
        "電話で話を聞きます。",
        "熊本市中央区手取本町1-1",
        "LGBTQ+",
        "EN",
        "英語",
        "相談",
    ):
        assert printed in text, printed
    assert platform_a.name in text
    assert "作成" in text and re.search(r"1 ?/ ?1", text)  # issue date and page numbers in the footer


def test_it_never_prints_unlisted_members_contacts_or_hidden_addresses(
    secretariat_a, platform_a, registry, tmp_path
):
    text = pdf_text(follow_leaflet(secretariat_a, url(platform_a)).content, tmp_path)
    assert "あんしんシェルター" in text  # listed, but…
    for secret in (*SECRET_WORDS, "B市フードバンク"):
        assert secret not in text, secret


def test_it_prints_the_platforms_own_texts(secretariat_a, platform_a, registry, tmp_path):
    platform_a.leaflet_title = "相談先いちらん"
    platform_a.leaflet_header = "A市は民間団体と協力しています"
    platform_a.leaflet_message = "ひとりで抱えずに話せる場所を探してみませんか"
    platform_a.leaflet_contact = "問い合わせ先 A市 福祉課 000-1111-2222"
    platform_a.leaflet_issued_label = "令和7年(2025年)3月作成"
    platform_a.save()
    text = pdf_text(follow_leaflet(secretariat_a, url(platform_a)).content, tmp_path)
    for printed in (
        "相談先いちらん",
        "A市は民間団体と協力しています",
        "ひとりで抱えずに話せる場所を探してみませんか",
        "問い合わせ先 A市 福祉課 000-1111-2222",
        "令和7年(2025年)3月作成",
    ):
        assert printed in text


def test_issue_label_defaults_to_the_era_month(platform_a, registry):
    import datetime as dt

    source = leaflet_source(platform=platform_a, today=dt.date(2026, 3, 10))
    assert source.issued_label == "令和8年(2026年)3月作成"


def test_it_embeds_the_japanese_font_and_is_tagged(secretariat_a, platform_a, registry, tmp_path, settings):
    data = follow_leaflet(secretariat_a, url(platform_a)).content
    fonts = pdf_fonts(data, tmp_path)
    assert "BIZ-UDPGothic" in fonts  # the proportional face: Latin text is not typewritten
    rows = [line for line in fonts.splitlines() if "BIZ-UD" in line]
    assert all(" yes yes yes " in row for row in rows)  # embedded, subset, with ToUnicode (searchable)
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert f"Title:           相談先一覧 {platform_a.name}" in info
    assert any(b"/Lang (ja)" in chunk for chunk in pdf_objects(data))


def test_grouping_first_prints_each_member_once(platform_a, registry, tmp_path):
    _name, data = render_leaflet_pdf(platform=platform_a, options=LeafletOptions(grouping=GROUP_FIRST))
    assert pdf_text(data, tmp_path).count("あおぞら相談室") == 1


def test_one_category_only(platform_a, registry, tmp_path):
    _name, data = render_leaflet_pdf(platform=platform_a, options=LeafletOptions(category=registry.money.pk))
    text = pdf_text(data, tmp_path)
    assert "みどり食堂" in text and "あおぞら相談室" in text
    assert "あんしんシェルター" not in text
    assert "掲載 2 団体" in text  # what this leaflet prints, not every listed member


def test_the_legend_explains_only_marks_that_are_printed(platform_a, registry, tmp_path):
    from orgs.models import ActivityField

    ActivityField.objects.create(platform=platform_a, name="就労", mark="就", order=1)
    text = pdf_text(render_leaflet_pdf(platform=platform_a)[1], tmp_path)
    assert "就労" not in text  # no printed organisation has this field
    assert "相談" in text and "LGBTQ+" in text and "EN=英語" in text
    # 生活に困窮 only: みどり食堂 and あおぞら相談室; without あおぞら (its marks) there is nothing to explain
    registry.listed.worry_categories.set([registry.lonely])
    text = pdf_text(
        render_leaflet_pdf(platform=platform_a, options=LeafletOptions(category=registry.money.pk))[1],
        tmp_path,
    )
    assert "みどり食堂" in text and "あおぞら相談室" not in text
    assert "LGBTQ+" not in text and "英語" not in text and "活動分野" not in text
    assert "QRコード" not in text  # みどり食堂 has no website: no QR code to explain
    assert (
        "記号の見かた" not in text and "掲載 1 団体" in text
    )  # nothing to explain: no heading, just the count


def test_members_without_a_category_are_not_left_off(platform_a, registry, tmp_path):
    registry.other_listed.worry_categories.clear()
    _name, data = render_leaflet_pdf(platform=platform_a)
    text = pdf_text(data, tmp_path)
    assert text.index("その他の相談先") < text.index("みどり食堂")


# --- determinism, cache, ETag ---


def test_same_registry_state_gives_the_same_bytes(platform_a, registry):
    first = leaflet_pdf_module.leaflet_pdf_bytes(leaflet_source(platform=platform_a))
    second = leaflet_pdf_module.leaflet_pdf_bytes(leaflet_source(platform=platform_a))
    assert first == second


def test_a_repeat_is_not_rendered_again(secretariat_a, platform_a, registry, monkeypatch):
    first = follow_leaflet(secretariat_a, url(platform_a))
    calls = []

    def render(source):
        calls.append(source)
        return b"%PDF-new"

    monkeypatch.setattr(leaflet_pdf_module, "leaflet_pdf_bytes", render)
    again = follow_leaflet(secretariat_a, url(platform_a))
    assert again.content == first.content and calls == []
    assert again["ETag"] == first["ETag"]


def test_a_changed_phone_number_renders_a_new_pdf(secretariat_a, platform_a, registry, tmp_path):
    first = follow_leaflet(secretariat_a, url(platform_a))
    Phone.objects.filter(organisation=registry.listed).update(number="096-333-4444")  # no updated_at change
    again = follow_leaflet(secretariat_a, url(platform_a))
    assert again["ETag"] != first["ETag"]
    assert "096-333-4444" in pdf_text(again.content, tmp_path)


def test_a_new_category_link_renders_a_new_pdf(secretariat_a, platform_a, registry):
    first = follow_leaflet(secretariat_a, url(platform_a))
    registry.other_listed.worry_categories.add(registry.housing)
    assert follow_leaflet(secretariat_a, url(platform_a))["ETag"] != first["ETag"]


def test_if_none_match_answers_304(secretariat_a, platform_a, registry):
    etag = follow_leaflet(secretariat_a, url(platform_a))["ETag"]
    response = follow_leaflet(secretariat_a, url(platform_a), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_cached_download_query_budget(secretariat_a, platform_a, registry, django_assert_num_queries):
    follow_leaflet(secretariat_a, url(platform_a))
    # session, user, 2FA device, platform, role; organisations, phones, categories, fields, languages;
    # category list, field list, offered languages (the legend); the registry's last change
    # (the automatic 作成年月) — then the cache answers
    with django_assert_num_queries(14):
        assert secretariat_a.get(url(platform_a)).status_code == 200


# --- no fetching of arbitrary URLs (the fetcher itself: tests/lib/test_pdf.py) ---


def test_an_organisations_website_is_not_fetched(platform_a, registry, monkeypatch):
    registry.listed.website = "http://169.254.169.254/latest/meta-data/"
    registry.listed.save()
    seen: list[str] = []
    cls = local_only_fetcher_class()
    original = cls.fetch

    def fetch(self, u, headers=None):
        seen.append(u)
        return original(self, u, headers)

    monkeypatch.setattr(cls, "fetch", fetch)
    render_leaflet_pdf(platform=platform_a)
    # only the QR codes the renderer was handed in memory (made by us from the address)
    assert seen and all(u.startswith(MEMORY_BASE) for u in seen)


# --- the management command ---


def test_command_writes_the_pdf(platform_a, registry, tmp_path):
    out = tmp_path / "leaflet.pdf"
    call_command("leaflet", "--platform", platform_a.slug, "--output", str(out), "--grouping", "first")
    assert pdf_text(out.read_bytes(), tmp_path).count("あおぞら相談室") == 1


def test_command_rejects_unknown_platform_and_category(platform_a, registry, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="見つかりません"):
        call_command("leaflet", "--platform", "nowhere", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="ありません"):
        call_command(
            "leaflet",
            "--platform",
            platform_a.slug,
            "--output",
            str(tmp_path / "x.pdf"),
            "--category",
            "なし",
        )
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("where", ["missing/leaflet.pdf", "."])
def test_command_says_in_japanese_when_it_cannot_write(platform_a, registry, tmp_path, where):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="書き出せません"):
        call_command("leaflet", "--platform", platform_a.slug, "--output", str(tmp_path / where))


def test_it_points_to_the_public_directory_only_when_published(platform_a, registry, tmp_path, settings):
    settings.SITE_URL = "https://tsunagu.example.jp"
    _name, data = render_leaflet_pdf(platform=platform_a)
    assert f"https://tsunagu.example.jp/d/{platform_a.slug}/" in pdf_text(data, tmp_path)
    platform_a.is_public = False
    platform_a.save()
    _name, data = render_leaflet_pdf(platform=platform_a)
    assert "/d/" not in pdf_text(data, tmp_path)


def test_the_english_leaflet_renders_in_english(platform_a, registry):
    """The same registry in English: headings and legend translated, English names where given."""
    from orgs.pdf import LeafletOptions, render_leaflet_pdf

    registry.lonely.name_en = "Loneliness and isolation"
    registry.lonely.save()
    registry.listed.name_en = "Aozora Counselling Room"
    registry.listed.save()
    name, pdf = render_leaflet_pdf(platform=platform_a, options=LeafletOptions(language="en"))
    assert name.endswith("-leaflet-en.pdf") and pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Loneliness and isolation" in text  # the category's English name
    assert "Aozora Counselling Room" in text  # an English organisation name
    assert "みどり食堂" in text  # no English name: the Japanese one
    assert "How to read the marks" in text
    _name, japanese = render_leaflet_pdf(platform=platform_a)
    jtext = subprocess.run(
        ["pdftotext", "-", "-"], input=japanese, capture_output=True, check=True
    ).stdout.decode()
    assert "記号の見かた" in jtext and "How to read the marks" not in jtext
