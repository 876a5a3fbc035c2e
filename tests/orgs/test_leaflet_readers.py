"""The leaflet as its readers get it, measured from the PDF itself (poppler): type sizes, the
proportional face, how full each page is, a phone number under every worry, the large-print
variant, and the platform's always-available lines kept on the settings screen."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from orgs import demo
from orgs.models import Phone
from orgs.pdf import VARIANT_LARGE, LeafletOptions, _html, leaflet_bytes, leaflet_source, render_leaflet_pdf
from orgs.selectors_public import listed_organisations
from platform_site.lib.pdf import xhtml_tree
from platform_site.models import Platform, PlatformChange
from tests.directory.registry import build
from tests.orgs.pdfcheck import needs_poppler, pdf_fonts, pdf_pages
from tests.test_platform_settings import form_data

pytestmark = needs_poppler
TOP_MM, BOTTOM_MM = 14, 17  # the leaflet's page margins (leaflet.css @page)
PHONE = re.compile(r"[#＃][0-9０-９]{4}|[0-9０-９]{2,5}[-－‐][0-9０-９]{1,4}[-－‐][0-9０-９]{3,4}")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kumamoto(db) -> Platform:
    demo.load()
    return Platform.objects.get(slug="kumamoto")


def _raw_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "raw.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _marks(platform: Platform) -> set[str]:
    """The mark badges the leaflet may print (9 pt): language codes, LGBTQ+, field marks."""
    source = leaflet_source(platform=platform)
    codes = {code for code, _name in source.legend_languages} | {m for m, _n in source.legend_fields}
    return codes | {"LGBTQ+", "外国語"}


def _in_body(page, word) -> bool:
    """Not in the page's margin boxes (running header, footer, page number)."""
    return word.y0 >= TOP_MM * 72 / 25.4 - 1 and word.y1 <= page.height - BOTTOM_MM * 72 / 25.4 + 1


def test_kumamoto_type_sizes_and_face_measured_from_the_pdf(kumamoto, tmp_path):
    data = leaflet_bytes(platform=kumamoto)
    pages = pdf_pages(data, tmp_path)
    marks = _marks(kumamoto)
    words = [w for p in pages for w in p.words]
    assert len(words) > 500
    small = [(w.text, w.size) for w in words if w.size < 11 and w.text not in marks]
    assert not small, small[:10]  # body text (and everything but a mark badge) ≥ 11 pt
    assert all(w.size >= 9 for w in words)  # marks ≥ 9 pt
    badges = [w for w in words if w.text in marks]
    assert badges and min(w.size for w in badges) >= 9
    # phone numbers ≥ 14 pt bold, each one printed: the members', the national lines', the secretariat's
    phones = [w for w in words if PHONE.fullmatch(unicodedata.normalize("NFKC", w.text).lstrip("☎"))]
    assert phones and min(w.size for w in phones) >= 14, sorted({(w.text, w.size) for w in phones})[:5]
    printed = {unicodedata.normalize("NFKC", w.text).lstrip("☎") for w in phones}
    expected = {
        unicodedata.normalize("NFKC", p.number)
        for p in Phone.objects.filter(organisation__in=listed_organisations(platform=kumamoto))
    }
    assert expected and expected <= printed
    assert {"#9999", "096-328-2340"} <= printed
    # organisation names ≥ 12 pt: the first word of each listed name
    for org in listed_organisations(platform=kumamoto):
        first = org.name.split()[0][:6]
        sizes = [w.size for w in words if w.text.startswith(first)]
        assert sizes and max(sizes) >= 12, org.name
    # the proportional face only (Latin text is not typewritten), embedded and searchable
    fonts = pdf_fonts(data, tmp_path)
    faces = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
    assert faces and all("BIZ-UDPGothic" in face for face in faces), faces


def test_kumamoto_no_page_is_mostly_empty_and_the_last_holds_the_closing_box(kumamoto, tmp_path):
    pages = pdf_pages(leaflet_bytes(platform=kumamoto), tmp_path)
    assert len(pages) >= 3
    fills = [round(p.filled(top_mm=TOP_MM, bottom_mm=BOTTOM_MM), 2) for p in pages]
    assert all(f >= 0.4 for f in fills[:-1]), fills
    last = pages[-1].text.replace(" ", "")
    assert "この一覧はウェブでも探せます" in last  # the closing box…
    names = [o.name.replace(" ", "")[:8] for o in listed_organisations(platform=kumamoto)]
    assert any(n in last for n in names)  # …with at least one category's cards
    assert "この一覧はウェブでも探せます" not in "".join(p.text for p in pages[:-1]).replace(" ", "")


def test_every_kumamoto_category_carries_a_phone_number(kumamoto, tmp_path):
    text = _raw_text(leaflet_bytes(platform=kumamoto), tmp_path)
    headings = [c.name for c in kumamoto.worry_categories.order_by("order")]
    lines = [line.strip() for line in text.splitlines()]
    segments: dict[str, str] = {}
    current = None
    for line in lines:
        if line in headings:
            current = line
            segments.setdefault(current, "")
        elif current:
            segments[current] += line
    printed = [h for h in headings if h in segments]
    assert len(printed) >= 10
    for name in printed:
        assert PHONE.search(segments[name]), f"no phone number under {name}"
    # where no member has a number, the national lines stand in (the demo's #9999)
    assert any("#9999" in seg for name, seg in segments.items())


def test_the_large_print_variant_is_14_pt_and_one_column(kumamoto, tmp_path):
    _name, data = render_leaflet_pdf(platform=kumamoto, options=LeafletOptions(variant=VARIANT_LARGE))
    assert _name == "kumamoto-leaflet-large.pdf"
    pages = pdf_pages(data, tmp_path)
    marks = _marks(kumamoto)
    body = [w for p in pages for w in p.words if _in_body(p, w) and w.text not in marks]
    assert body and min(w.size for w in body) >= 14, sorted({(w.text, w.size) for w in body if w.size < 14})[
        :5
    ]
    phones = [w for w in body if PHONE.fullmatch(unicodedata.normalize("NFKC", w.text).lstrip("☎"))]
    assert phones and min(w.size for w in phones) >= 18
    # one column: every card starts at the left margin
    lefts = {round(w.x0) for p in pages for w in p.words if w.text.startswith("NPO法人")}
    assert len(lefts) == 1, lefts
    fills = [p.filled(top_mm=TOP_MM, bottom_mm=BOTTOM_MM) for p in pages]
    assert all(f >= 0.4 for f in fills[:-1]), fills


def test_the_leaflet_is_well_formed_xhtml_so_the_fast_parser_reads_it(kumamoto):
    for variant in ("a4", VARIANT_LARGE):
        html, images = _html(leaflet_source(platform=kumamoto, options=LeafletOptions(variant=variant)))
        assert xhtml_tree(html) is not None
        assert images  # the QR codes are handed over by name, not inlined


# --- the platform's always-available lines ---


@pytest.fixture
def registry(platform_a, org_a, other_org_a, org_b):
    return build(platform_a, org_a, other_org_a)


def _no_phone_in(category, registry):
    for org in category.organisations.all():
        Phone.objects.filter(organisation=org).delete()


def test_a_category_without_numbers_prints_the_platforms_lines(platform_a, registry, tmp_path):
    _no_phone_in(registry.money, registry)
    platform_a.leaflet_phone_lines = "こころの電話（テスト）｜0120-000-111｜毎日 10時〜22時"
    platform_a.secretariat_phone = ""
    platform_a.save()
    text = _raw_text(leaflet_bytes(platform=platform_a), tmp_path)
    money = text[text.index(registry.money.name) :]
    assert "この悩みで、いま電話で話せる窓口" in money and "0120-000-111" in money
    assert "毎日 10時〜22時" in text
    # and at the top, for anyone who needs to talk now
    assert text.index("0120-000-111") < text.index(f"\n{registry.lonely.name}\n")


def test_without_lines_the_secretariat_is_the_number_to_call(platform_a, registry, tmp_path):
    _no_phone_in(registry.money, registry)
    platform_a.leaflet_phone_lines = ""
    platform_a.secretariat_phone = "000-222-3333"
    platform_a.save()
    text = _raw_text(leaflet_bytes(platform=platform_a), tmp_path)
    assert "000-222-3333" in text[text.index(registry.money.name) :]


def test_the_lines_are_kept_on_the_settings_screen_with_their_audit(admin_a, platform_a, registry, tmp_path):
    target = reverse("platform_settings:edit", args=[platform_a.slug])
    bad = admin_a.post(target, form_data(platform_a, leaflet_phone_lines="こころの電話 0120-000-111"))
    assert bad.status_code == 200 and "1行目" in bad.content.decode()
    bad = admin_a.post(target, form_data(platform_a, leaflet_phone_lines="こころの電話｜でんわ"))
    assert "電話番号は数字とハイフン" in bad.content.decode()
    platform_a.refresh_from_db()
    assert platform_a.leaflet_phone_lines == ""
    lines = "孤独・孤立相談ダイヤル｜#9999\nこころの電話（テスト）｜0120-000-111｜毎日"
    assert admin_a.post(target, form_data(platform_a, leaflet_phone_lines=lines)).status_code == 302
    platform_a.refresh_from_db()
    assert platform_a.leaflet_phone_lines == lines
    change = PlatformChange.objects.filter(platform=platform_a).latest("at")
    assert change.changes["leaflet_phone_lines"] == ["", lines]
    page = admin_a.get(target).content.decode()
    assert "いつでも電話できる窓口" in page
    text = _raw_text(leaflet_bytes(platform=platform_a), tmp_path)
    assert "#9999" in text and "0120-000-111" in text


def test_the_closing_box_uses_the_platforms_public_address(platform_a, registry, tmp_path):
    platform_a.site_url = "https://tsunagu.city-a.example.lg.jp"
    platform_a.save()
    text = _raw_text(leaflet_bytes(platform=platform_a), tmp_path)
    assert f"https://tsunagu.city-a.example.lg.jp/d/{platform_a.slug}/" in text.replace("\n", "")
