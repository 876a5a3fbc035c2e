"""Japanese conventions with no models: fiscal years (年度), era dates (和暦), 法人番号, kana.

Django formats only Gregorian dates, so era labels are built here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# (first day, era name); newest first.
_ERAS: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
)


def fiscal_year(day: dt.date) -> int:
    """The Japanese fiscal year (April–March) a date falls in, as its starting calendar year."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of fiscal year `year` (1 April `year` – 31 March `year + 1`)."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def era_year(day: dt.date) -> tuple[str, int]:
    for start, name in _ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError("dates before 昭和 are not supported")


ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和"}  # as forms and Excel abbreviate them (R6.4.1)


class OutsideEra(ValueError):
    """A 和暦 date its era did not have (令和元年4月30日, 平成31年5月1日)."""

    def __init__(self, era: str, first: dt.date, last: dt.date | None) -> None:
        super().__init__(era)
        self.era, self.first, self.last = era, first, last


def from_era(era: str, year: int, month: int, day: int) -> dt.date:
    """令和5年3月1日 → 2023-03-01 (`era` is 令和/平成/昭和 or R/H/S). Raises ValueError for a date
    the calendar does not have, and OutsideEra for one before the era began or after it ended."""
    name = ERA_LETTERS.get(era.upper(), era)
    names = [era_name for _start, era_name in _ERAS]
    if name not in names:
        raise ValueError(f"unknown era {era!r}")
    index = names.index(name)
    start, end = _ERAS[index][0], (_ERAS[index - 1][0] if index else None)
    if year < 1:
        raise OutsideEra(name, start, end and end - dt.timedelta(days=1))
    day_ = dt.date(start.year + year - 1, month, day)
    if day_ < start or (end is not None and day_ >= end):
        raise OutsideEra(name, start, end and end - dt.timedelta(days=1))
    return day_


def _year_label(name: str, number: int) -> str:
    return f"{name}{'元' if number == 1 else number}年"


def fiscal_year_label(year: int) -> str:
    """「令和6年度」 for 2024.

    A fiscal year takes the era in force through most of it: FY2019 is 令和元年度 (as the
    government names it) although 1 April 2019 was still 平成; FY1988 stays 昭和63年度.
    """
    name, number = era_year(dt.date(year, 6, 1))
    return f"{_year_label(name, number)}度"


def era_month_label(day: dt.date) -> str:
    """「令和5年(2023年)3月」, the form printed on city leaflets."""
    name, number = era_year(day)
    return f"{_year_label(name, number)}({day.year}年){day.month}月"


def era_date_label(day: dt.date) -> str:
    """「令和5年(2023年)3月1日」."""
    return f"{era_month_label(day)}{day.day}日"


def corporate_number_check_digit(base12: str) -> int:
    """Check digit of a 法人番号 (the first of its 13 digits), per the 国税庁 formula."""
    total = 0
    for position, char in enumerate(reversed(base12), start=1):
        total += int(char) * (1 if position % 2 else 2)
    return 9 - total % 9


def is_valid_corporate_number(value: str) -> bool:
    if not re.fullmatch(r"\d{13}", value or ""):
        return False
    return int(value[0]) == corporate_number_check_digit(value[1:])


_SMALL_TO_LARGE = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_VOICED = {
    **{
        v: u
        for u, v in zip(
            "カキクケコサシスセソタチツテトハヒフヘホ",
            "ガギグゲゴザジズゼゾダヂヅデドバビブベボ",
            strict=True,
        )
    },
    **{v: u for u, v in zip("ハヒフヘホ", "パピプペポ", strict=True)},
    "ヴ": "ウ",
}


def to_katakana(text: str) -> str:
    """NFKC (half-width to full-width) and hiragana to katakana."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def is_kana_reading(text: str) -> bool:
    """A 名称カナ may hold katakana, the long-vowel mark, ASCII letters/digits, spaces and ・."""
    return bool(re.fullmatch(r"[\u30A0-\u30FFA-Za-z0-9 \u3000・ー\-&＆.．()（）]+", text or ""))


def kana_sort_key(reading: str) -> str:
    """A key that sorts readings in 五十音 order: ガ next to カ, small kana as large ones.

    The plain reading is appended so that カ still comes before ガ when all else is equal. The
    separator U+0001 sorts below every printable character; not U+0000, which PostgreSQL text
    columns refuse.
    """
    kata = to_katakana(reading)
    base = "".join(_VOICED.get(c, c) for c in kata.translate(_SMALL_TO_LARGE))
    base = re.sub(r"[\s・ー\-]", "", base)
    return f"{base}\u0001{kata}"
