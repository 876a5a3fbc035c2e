"""Reading one cell (platform_site.lib.cells): what Japanese offices type, and the messages."""

import datetime as dt

import pytest

from platform_site.lib import cells
from platform_site.lib.cells import CellError


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  あ  ", "あ"),
        (12.0, "12"),
        (12.5, "12.5"),
        (7000012050002, "7000012050002"),
        (True, "○"),
        (False, ""),
        (dt.datetime(2024, 4, 1, 9, 30), "2024-04-01"),
        (dt.date(2024, 4, 1), "2024-04-01"),
    ],
)
def test_text_reads_a_cell_as_excel_shows_it(value, text):
    assert cells.text(value) == text


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2024-04-01", dt.date(2024, 4, 1)),
        ("2024/4/1", dt.date(2024, 4, 1)),
        ("2024.04.01", dt.date(2024, 4, 1)),
        ("2024年4月1日", dt.date(2024, 4, 1)),
        ("２０２４／０４／０１", dt.date(2024, 4, 1)),
        ("2024/04/01 0:00:00", dt.date(2024, 4, 1)),
        ("令和6年4月1日", dt.date(2024, 4, 1)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("令和５年(2023年)３月１日", dt.date(2023, 3, 1)),
        ("令和5年（2023年）3月1日", dt.date(2023, 3, 1)),
        ("R6.4.1", dt.date(2024, 4, 1)),
        ("r06/04/01", dt.date(2024, 4, 1)),
        ("Ｈ３１．４．３０", dt.date(2019, 4, 30)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        ("昭和64年1月7日", dt.date(1989, 1, 7)),
        ("㋿6年4月1日", dt.date(2024, 4, 1)),
        (dt.datetime(2024, 4, 1, 0, 0), dt.date(2024, 4, 1)),
        (dt.date(2024, 4, 1), dt.date(2024, 4, 1)),
        ("", None),
        (None, None),
    ],
)
def test_dates_western_and_japanese_era(value, day):
    assert cells.date(value) == day


@pytest.mark.parametrize("value", ["2024-13-40", "2月30日", "令和6年2月30日", "来週", "2024/04", "X6.4.1"])
def test_a_date_that_cannot_be_read(value):
    with pytest.raises(CellError, match="は日付として読めません"):
        cells.date(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("令和元年4月30日", "は令和にない日付です（令和は 2019-05-01 から）。"),
        ("平成31年5月1日", "は平成にない日付です（平成は 1989-01-08 から 2019-04-30 まで）。"),
        ("昭和64年1月8日", "は昭和にない日付です（昭和は 1926-12-25 から 1989-01-07 まで）。"),
        ("令和0年5月1日", "は令和にない日付です"),
    ],
)
def test_an_era_date_outside_its_era(value, message):
    with pytest.raises(CellError, match=message.replace("(", r"\(").replace(")", r"\)")):
        cells.date(value)


@pytest.mark.parametrize("value", ["○", "〇", "◯", "はい", "1", "１", "TRUE", "yes", "Y", "あり"])
def test_yes(value):
    assert cells.boolean(value) is True


@pytest.mark.parametrize("value", ["", "×", "いいえ", "0", "false", "NO", "なし", "-"])
def test_no(value):
    assert cells.boolean(value) is False


def test_a_boolean_that_is_neither():
    with pytest.raises(CellError, match="は ○ か空欄で入力してください。"):
        cells.boolean("たぶん")


def test_phones_with_notes_round_trip():
    value = "096-000-0001（LINE相談も可）; 090-0000-0002\n(096)000-0003 (夜間)"
    numbers = cells.phones(value)
    assert numbers == [
        ("096-000-0001", "LINE相談も可"),
        ("090-0000-0002", ""),
        ("(096)000-0003", "夜間"),
    ]
    assert cells.phones(cells.format_phones(numbers)) == numbers


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("096-000-0001; でんわ", "の「でんわ」は電話番号として読めません"),
        ("12", "の「12」は電話番号として読めません"),
        ("096-000-0001（" + "あ" * 101 + "）", "の備考は100文字以内にしてください。"),
    ],
)
def test_bad_phones(value, message):
    with pytest.raises(CellError, match=message):
        cells.phones(value)


def test_a_full_width_phone_number_is_a_phone_number():
    assert cells.phone_number("０９６－０００－０００１") == "０９６－０００－０００１"


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("860-0001", "860-0001"),
        ("8600001", "860-0001"),
        ("８６０－０００１", "860-0001"),
        ("〒860-0001", "860-0001"),
        ("〒８６０ー０００１", "860-0001"),
        ("〒 860 0001", "860-0001"),
        ("", ""),
    ],
)
def test_postal_codes_are_stored_as_nnn_nnnn(value, stored):
    assert cells.postal_code(value) == stored


def test_postal_codes_normalised_and_refused():
    assert cells.normal_postal_code("〒８６０００01") == "860-0001"
    with pytest.raises(CellError, match="は 860-0001 のように7桁で入力してください。"):
        cells.postal_code("86-1")


def test_kana_readings():
    assert cells.kana("たかはし こどもしょくどう") == "タカハシ コドモショクドウ"
    assert cells.kana("ｻｸﾗ") == "サクラ"
    with pytest.raises(CellError, match="はカタカナで入力してください。"):
        cells.kana("漢字の読み")
    with pytest.raises(CellError, match="団体名の読み"):
        cells.kana("", blank_message="が空欄です（団体名の読みをカタカナで入れてください）。")


def test_corporate_numbers():
    assert cells.corporate_number("7000-0120-50002") == "7000012050002"
    assert cells.corporate_number("７００００１２０５０００２") == "7000012050002"
    assert cells.corporate_number("") == ""
    with pytest.raises(CellError, match="は13桁の数字で入力してください。"):
        cells.corporate_number("12345")
    with pytest.raises(CellError, match="のチェックデジットが正しくありません。"):
        cells.corporate_number("8000012050002")


@pytest.mark.parametrize(
    ("value", "phone", "message"),
    [
        ("=SUM(A1)", False, "は数式のように見えます"),
        ("+cmd", False, "は数式のように見えます"),
        ("@x", False, "は数式のように見えます"),
        ("-1+1", False, "は数式のように見えます"),
        ("食支援\x0bあり", False, "に制御文字が含まれています"),
        ("9時\x00", False, "に制御文字が含まれています"),
    ],
)
def test_formulas_and_control_characters_are_refused(value, phone, message):
    with pytest.raises(CellError, match=message):
        cells.unquote(value, phone=phone)


@pytest.mark.parametrize(
    ("value", "phone", "kept"),
    [
        ("'=随時", False, "=随時"),
        ("'+81 9:00", False, "+81 9:00"),
        ("+81-96-000-0000", True, "+81-96-000-0000"),
        ("- 注意", False, "- 注意"),
        ("-", False, "-"),
        ("ー（なし）", False, "ー（なし）"),
    ],
)
def test_quoted_text_and_plain_dashes_are_kept(value, phone, kept):
    assert cells.unquote(value, phone=phone) == kept


def test_control_characters_typed_on_a_screen_are_mended():
    assert cells.strip_control_characters("食支援\x0bあり\x1b\x0cです") == "食支援\nあり\nです"


def test_urls_emails_lengths_integers_choices_and_names():
    assert cells.url("https://example.jp/a") == "https://example.jp/a"
    with pytest.raises(CellError, match="は URL の形式ではありません"):
        cells.url("example jp")
    with pytest.raises(CellError, match="はメールアドレスの形式ではありません。"):
        cells.email("info@")
    with pytest.raises(CellError, match=r"は長すぎます（3文字以内、いま4文字）"):
        cells.max_length("あいうえ", 3)
    assert cells.integer("１,２００") == 1200 and cells.integer("") is None
    with pytest.raises(CellError, match="は0以上の整数で入力してください。"):
        cells.integer("-1")
    labels = {"参加": "member", "退会": "withdrawn"}
    assert cells.choice("参加", labels) == "member" and cells.choice("withdrawn", labels) == "withdrawn"
    with pytest.raises(CellError, match="は 参加・退会 のどれかにしてください。"):
        cells.choice("保留", labels)
    assert cells.names(" 孤独・孤立、生活に困窮;住まい ，仕事, ") == [
        "孤独・孤立",
        "生活に困窮",
        "住まい",
        "仕事",
    ]
