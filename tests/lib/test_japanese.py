import datetime as dt

import pytest

from platform_site.lib import japanese as jp


@pytest.mark.parametrize(
    ("day", "fy"),
    [(dt.date(2024, 4, 1), 2024), (dt.date(2025, 3, 31), 2024), (dt.date(2023, 3, 1), 2022)],
)
def test_fiscal_year_runs_april_to_march(day, fy):
    assert jp.fiscal_year(day) == fy


def test_fiscal_year_labels_use_the_era_of_most_of_the_year():
    assert jp.fiscal_year_label(2024) == "令和6年度"
    assert jp.fiscal_year_label(2019) == "令和元年度"
    assert jp.fiscal_year_label(2018) == "平成30年度"


def test_era_month_label_matches_leaflet_style():
    assert jp.era_month_label(dt.date(2023, 3, 1)) == "令和5年(2023年)3月"
    assert jp.era_month_label(dt.date(2019, 5, 1)) == "令和元年(2019年)5月"
    assert jp.era_month_label(dt.date(2019, 4, 30)) == "平成31年(2019年)4月"


def test_corporate_number_check_digit():
    assert jp.is_valid_corporate_number("7000012050002")  # 国税庁
    assert not jp.is_valid_corporate_number("8000012050002")
    assert not jp.is_valid_corporate_number("700001205000")
    assert not jp.is_valid_corporate_number("70000120500AB")


def test_kana_sort_key_orders_gojuon():
    names = ["ガット", "カナ", "アオ", "キク", "ぎん", "ｻｸﾗ"]
    ordered = sorted(names, key=jp.kana_sort_key)
    assert ordered == ["アオ", "ガット", "カナ", "キク", "ぎん", "ｻｸﾗ"]


def test_to_katakana_normalises_hiragana_and_half_width():
    assert jp.to_katakana("でんでんむし") == "デンデンムシ"
    assert jp.to_katakana("ﾃﾞﾝﾃﾞﾝ") == "デンデン"
    assert jp.is_kana_reading("デンデンムシノカイ")
    assert not jp.is_kana_reading("でんでん虫")


@pytest.mark.parametrize(
    ("era", "year", "month", "day", "expected"),
    [
        ("令和", 6, 4, 1, dt.date(2024, 4, 1)),
        ("R", 1, 5, 1, dt.date(2019, 5, 1)),
        ("h", 31, 4, 30, dt.date(2019, 4, 30)),
        ("昭和", 1, 12, 25, dt.date(1926, 12, 25)),
    ],
)
def test_from_era(era, year, month, day, expected):
    assert jp.from_era(era, year, month, day) == expected


@pytest.mark.parametrize(
    ("era", "year", "month", "day"),
    [("令和", 1, 4, 30), ("平成", 31, 5, 1), ("昭和", 1, 12, 24), ("令和", 0, 5, 1)],
)
def test_from_era_refuses_a_day_its_era_did_not_have(era, year, month, day):
    with pytest.raises(jp.OutsideEra):
        jp.from_era(era, year, month, day)


def test_from_era_refuses_an_impossible_day_and_an_unknown_era():
    with pytest.raises(ValueError):
        jp.from_era("令和", 6, 2, 30)
    with pytest.raises(ValueError):
        jp.from_era("大正", 1, 1, 1)
