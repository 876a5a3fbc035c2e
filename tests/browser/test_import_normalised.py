"""A clerk of the secretariat imports the registry as offices keep it in Excel: 和暦 dates
(R4.4.1, 令和6年4月1日, H31.4.30, 令和元年), full-width phone numbers with an extension, postal
codes with 〒, a full-width 法人番号. The preview shows each value as written and as it will be
stored, and the old → new of the organisation it updates; once confirmed, the organisations'
pages show the normalised values. A 和暦 date typed into a date field where the browser offers
a plain text box (no date picker) is accepted too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from orgs.models import Membership, Organisation, Phone
from tests.browser.conftest import browser  # noqa: F401  (fixture)
from tests.orgs.files.builders import GOOD_NUMBER, make_lists, xlsx_bytes

pytestmark = [pytest.mark.usefixtures("frozen_now"), pytest.mark.browser]

WIDE = str.maketrans("0123456789", "０１２３４５６７８９")
HEADERS = [
    "団体コード",
    "団体名",
    "名称カナ",
    "法人番号",
    "電話番号",
    "郵便番号",
    "内容確認日",
    "参加状況",
    "参加日",
]


def _page_for(browser, base: str, client):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    return context, context.new_page()


def _file(org: Organisation) -> bytes:
    return xlsx_bytes(
        [
            {  # the organisation already registered (joined 2022-04-01), now with a phone and an address
                "団体名": org.name,
                "名称カナ": org.name_kana,
                "電話番号": "０９６－１２３－４５６７ 内線１２",
                "郵便番号": "〒８６０－０００１",
                "内容確認日": "令和6年4月1日",
                "参加状況": "参加",
                "参加日": "R4.4.1",
            },
            {
                "団体コード": "KUM-NEW",
                "団体名": "架空のつどいの場",
                "名称カナ": "かくうのつどいのば",
                "法人番号": GOOD_NUMBER.translate(WIDE),
                "電話番号": "０９０ー１１１１ー２２２２（平日のみ）",
                "郵便番号": "８６２ー０９５０",
                "内容確認日": "令和元年5月1日",
                "参加状況": "参加",
                "参加日": "H31.4.30",
            },
        ],
        headers=HEADERS,
    )


def test_a_clerk_imports_excel_habits_and_sees_them_normalised(
    transactional_db,
    live_server,
    browser,  # noqa: F811
    platform_a,
    org_a,
    secretariat_a,
    tmp_path,
):
    make_lists(platform_a)
    base = live_server.url
    context, page = _page_for(browser, base, secretariat_a)
    page.goto(base + reverse("orgs:import", args=[platform_a.slug]))
    path = tmp_path / "名簿.xlsx"
    path.write_bytes(_file(org_a))
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="確認する").click()
    page.wait_for_url("**/import/**")
    assert page.get_by_role("heading", level=1).inner_text() == "取り込みの確認"
    assert Organisation.objects.count() == 1  # nothing saved yet

    # each value as written → as it will be stored
    readings = page.locator("ul.readings").inner_text()
    for written, stored in [
        ("〒８６０－０００１", "860-0001"),
        ("０９６－１２３－４５６７ 内線１２", "096-123-4567（内線12）"),
        ("令和6年4月1日", "2024-04-01"),
        ("R4.4.1", "2022-04-01"),
        ("H31.4.30", "2019-04-30"),
        ("令和元年5月1日", "2019-05-01"),
        ("８６２ー０９５０", "862-0950"),
        ("０９０ー１１１１ー２２２２（平日のみ）", "090-1111-2222（平日のみ）"),
        (GOOD_NUMBER.translate(WIDE), GOOD_NUMBER),
    ]:
        assert f"{written} → {stored}" in readings, (written, readings)
    # the registered organisation's changes, old → new
    changes = page.locator("ul.changes:not(.readings)").inner_text()
    assert "郵便番号: （空欄） → 860-0001" in changes
    assert "電話番号: （空欄） → 096-123-4567 内線12" in changes  # as the history writes a phone
    assert "内容確認日: （空欄） → 2024-04-01" in changes
    assert "参加日" not in changes  # R4.4.1 is the date it already has

    page.get_by_role("button", name="この内容で取り込む").click()
    page.get_by_text("取り込みました: 登録 1 件、更新 1 件、変更なし 0 件。").wait_for()

    new = Organisation.objects.get(ref="KUM-NEW")
    assert (new.postal_code, new.corporate_number, new.verified_on) == (
        "862-0950",
        GOOD_NUMBER,
        dt.date(2019, 5, 1),
    )
    assert Membership.objects.get(organisation=new, platform=platform_a).joined_on == dt.date(2019, 4, 30)
    org_a.refresh_from_db()
    assert org_a.postal_code == "860-0001" and org_a.verified_on == dt.date(2024, 4, 1)
    assert list(Phone.objects.filter(organisation=org_a).values_list("number", "note")) == [
        ("096-123-4567", "内線12")
    ]

    # the saved organisations' pages show the normalised values
    page.goto(base + reverse("orgs:detail", args=[platform_a.slug, org_a.pk]))
    entry = page.locator("main").inner_text()
    assert "096-123-4567（内線12）" in entry and "〒860-0001" in entry and "2024-04-01" in entry
    assert "０" not in entry and "－" not in entry
    page.goto(base + reverse("orgs:detail", args=[platform_a.slug, new.pk]))
    entry = page.locator("main").inner_text()
    assert "090-1111-2222（平日のみ）" in entry and "〒862-0950" in entry and "2019-05-01" in entry
    context.close()


def test_a_japanese_era_date_typed_as_text_is_accepted(
    transactional_db,
    live_server,
    browser,  # noqa: F811
    platform_a,
    secretariat_a,
):
    """Every date field is an <input type=date>; where a browser shows it as a plain text box
    (no date picker), 「令和6年4月1日」 typed there is read as 2024-04-01."""
    base = live_server.url
    context, page = _page_for(browser, base, secretariat_a)
    page.goto(base + reverse("orgs:create", args=[platform_a.slug]))
    page.get_by_label("団体名", exact=False).first.fill("架空の集い")
    page.get_by_label("名称カナ").fill("カクウノツドイ")
    page.locator("#id_membership-status").select_option("member")
    page.evaluate("document.getElementById('id_membership-joined_on').type = 'text'")
    page.locator("#id_membership-joined_on").fill("令和6年4月1日")
    page.locator("#id_postal_code").fill("〒８６０ー０００１")
    page.get_by_role("button", name="保存する").first.click()
    page.wait_for_url("**/orgs/*/")
    org = Organisation.objects.get(name="架空の集い")
    assert org.postal_code == "860-0001"
    assert Membership.objects.get(organisation=org).joined_on == dt.date(2024, 4, 1)
    assert "〒860-0001" in page.locator("main").inner_text()
    context.close()
