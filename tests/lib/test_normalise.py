"""The one normaliser of phones, postal codes and numbers (platform_site.lib.cells): what forms
and imports store. Properties: normalising twice is normalising once, no digit is lost or added,
and what is stored is half-width."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from platform_site.lib import cells
from platform_site.lib.cells import CellError

WIDE_DIGITS = "０１２３４５６７８９"
DASHES = list(cells.DASHES) + ["-"]
digit = st.sampled_from(list("0123456789" + WIDE_DIGITS))
dash = st.sampled_from(DASHES)
space = st.sampled_from(["", " ", "\u3000"])
runs = st.lists(digit, min_size=2, max_size=4).map("".join)
extensions = st.one_of(
    st.just(""),
    st.builds(
        lambda label, n, gap: f"{gap}{label}{n}",
        st.sampled_from(["内線", "内線 ", "(内)", "（内）", "ext. ", "ext", "EXT.", "x", "内"]),
        st.lists(digit, min_size=1, max_size=4).map("".join),
        space,
    ),
)
typed_numbers = st.builds(
    lambda parts, dashes, ext: (
        "".join(p + d for p, d in zip(parts[:-1], dashes, strict=False)) + parts[-1] + ext
    ),
    st.lists(runs, min_size=3, max_size=4),
    st.lists(dash, min_size=3, max_size=3),
    extensions,
)
anything = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"), st.sampled_from(list(WIDE_DIGITS + "".join(DASHES) + "〒内線（）"))
    ),
    max_size=30,
)


def digits(text: str) -> str:
    """Every decimal digit of any script, as ASCII."""
    return "".join(str(unicodedata.digit(c)) for c in text if c.isdecimal())


@given(anything)
def test_normalising_a_phone_twice_is_normalising_it_once(value):
    number, extension = cells.normal_phone(value)
    assert cells.normal_phone(number) == (number, "")
    text = cells.normal_phone_text(value)
    assert cells.normal_phone_text(text) == text


@given(typed_numbers)
def test_a_typed_phone_keeps_every_digit_and_is_half_width(value):
    number, extension = cells.normal_phone(value)
    assert digits(number) + digits(extension) == digits(value)
    assert number.isascii() and all(c.isdigit() or c in "-" for c in number)
    assert extension == "" or (extension.startswith("内線") and extension[2:].isascii())
    assert cells.phones(cells.format_phones([(number, extension)])) == [(number, extension)]


@given(anything)
def test_a_phone_never_loses_a_digit(value):
    number, extension = cells.normal_phone(value)
    assert digits(number) + digits(extension) == digits(value)


@given(
    st.builds(
        lambda mark, a, d, b: f"{mark}{a}{d}{b}",
        st.sampled_from(["", "〒", "〒 "]),
        st.lists(digit, min_size=3, max_size=3).map("".join),
        st.sampled_from(["", *DASHES]),
        st.lists(digit, min_size=4, max_size=4).map("".join),
    )
)
def test_a_postal_code_is_stored_as_nnn_nnnn(value):
    code = cells.normal_postal_code(value)
    assert len(code) == 8 and code[3] == "-" and code.isascii()
    assert digits(code) == digits(value)
    assert cells.normal_postal_code(code) == code == cells.postal_code(value)


@given(anything)
def test_a_postal_code_is_normalised_once_or_refused_in_japanese(value):
    try:
        code = cells.postal_code(value)
    except CellError as exc:
        assert not str(exc).isascii()
        return
    assert cells.postal_code(code) == code
    assert digits(code) == digits(value)


@given(anything)
def test_a_contact_keeps_its_digits_and_settles(value):
    text = cells.normal_contact(value)
    assert cells.normal_contact(text) == text
    assert digits(text) == digits(value.strip())


@given(st.one_of(anything, st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}")))
def test_a_number_settles_and_keeps_its_digits(value):
    text = cells.normal_number(value)
    assert cells.normal_number(text) == text
    if text.lstrip("-").isdigit() and text.isascii():
        assert digits(text) == digits(value)


@pytest.mark.parametrize(
    ("typed", "number", "extension"),
    [
        ("０９６－１２３－４５６７ 内線１２", "096-123-4567", "内線12"),
        ("０９６ー１２３ー４５６７", "096-123-4567", ""),
        ("096‐123‐4567（内）12", "096-123-4567", "内線12"),
        ("096-123-4567 ext. 123", "096-123-4567", "内線123"),
        ("（０９６）１２３－４５６７", "(096)123-4567", ""),
        ("+81 96-123-4567", "+81 96-123-4567", ""),
        ("096 - 123 - 4567", "096-123-4567", ""),
    ],
)
def test_phones_as_clerks_type_them(typed, number, extension):
    assert cells.normal_phone(typed) == (number, extension)


def test_an_extension_goes_first_in_the_note_and_is_not_repeated():
    assert cells.phones("０９６－１２３－４５６７ 内線１２（平日のみ）") == [
        ("096-123-4567", "内線12、平日のみ")
    ]
    assert cells.with_note("内線12", "内線12、平日のみ") == "内線12、平日のみ"
    assert cells.normal_phone_text("０９６－１２３－４５６７（内）１２") == "096-123-4567 内線12"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("１，２００", "1200"),
        ("1,200 円", "1200"),
        ("12人", "12"),
        ("１２", "12"),
        ("十二", "十二"),
        ("1,2", "1,2"),
    ],
)
def test_numbers_as_typed(typed, stored):
    assert cells.normal_number(typed) == stored


def test_a_contact_keeps_its_words():
    assert cells.normal_contact("自宅 ０９６ー１２３ー４５６７ センター①") == "自宅 096-123-4567 センター①"
