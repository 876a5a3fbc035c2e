"""Normalised text matching: one rule for every search box (the public directory, the staff registry).

People type what they see or what their keyboard gives: 「ＹＷＣＡ」 in full width, 「ｸﾏﾓﾄ」 in
half-width kana, a reading in hiragana where we keep katakana, 「ダルク」 or 「ダ－ルク」, 「孤独・孤立」
or 「孤独孤立」, or a name copied from a list together with its 法人格 (「特定非営利活動法人 …」).
Both sides go through `normalise`, so the database compares plain substrings:

- NFKC (full-width Latin and digits to half width, half-width kana to full width), then casefold;
- hiragana → katakana and small kana → large (「きゃ」 finds 「キヤ」 and 「キャ」);
- long-vowel marks, dashes, 中黒 and similar separators are dropped (「ダ－ルク」 = 「ダルク」,
  「孤独・孤立」 = 「孤独孤立」, 「096-111-2222」 = 「0961112222」);
- whitespace separates words: every word of a query must match (AND).

`query_words` also leaves out 法人格 (legal forms) as words or prefixes: they are part of almost
every name, so 「社会福祉法人 熊本YWCA」 must find 熊本YWCA whether or not its legal form is stored
with the name. A query made only of a legal form keeps it, so 「社会福祉法人」 still finds
the organisations that carry it.

`search_text` builds the stored column text from several fields; fields are separated by a
newline, which no query word contains, so a word never matches across two fields.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_WORDS = 5

_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}  # ぁ..ゖ → ァ..ヶ
_SMALL_TO_LARGE = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
# Long-vowel marks, dashes and middle dots people use interchangeably (after NFKC and casefold).
_DROPPED = re.compile("[ー‐‑‒–—―−~～〜・･·•/／'’\"”“「」『』()（）\\[\\]【】.,、。!！?？&＆+_-]")
_SPACES = re.compile(r"\s+")

# 法人格 as written on the lists and leaflets; longest first, so 「認定NPO法人」 goes before 「NPO法人」.
LEGAL_FORMS = (
    "認定特定非営利活動法人",
    "特定非営利活動法人",
    "認定NPO法人",
    "NPO法人",
    "社会福祉法人",
    "一般社団法人",
    "公益社団法人",
    "一般財団法人",
    "公益財団法人",
    "社会医療法人",
    "医療法人",
    "学校法人",
    "宗教法人",
    "株式会社",
    "有限会社",
    "合同会社",
    "(特非)",
    "(福)",
    "(一社)",
    "(公社)",
    "(一財)",
    "(公財)",
)


def _fold(text: str) -> str:
    """NFKC, casefold and kana folding, keeping separators (used before the legal forms are cut)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return text.translate(_HIRAGANA_TO_KATAKANA).translate(_SMALL_TO_LARGE)


def normalise(text: str) -> str:
    """The comparable form of a text: folded, separators dropped, runs of whitespace as one space."""
    return _SPACES.sub(" ", _DROPPED.sub("", _fold(text))).strip()


_LEGAL_FORMS_FOLDED = sorted({_fold(form) for form in LEGAL_FORMS}, key=len, reverse=True)
_LEGAL_FORM_PATTERN = re.compile("|".join(re.escape(form) for form in _LEGAL_FORMS_FOLDED))


def query_words(text: str, *, limit: int = MAX_WORDS) -> list[str]:
    """The normalised words of a search (AND), legal forms left out; at most `limit` words."""
    folded = _fold(text)
    words = [w for w in (normalise(part) for part in _LEGAL_FORM_PATTERN.sub(" ", folded).split()) if w]
    if not words:  # only a legal form was typed: search for it
        words = [w for w in (normalise(part) for part in folded.split()) if w]
    return words[:limit]


def search_text(parts: Iterable[str]) -> str:
    """The stored text of one record: each non-empty part normalised, one part per line."""
    return "\n".join(n for n in (normalise(p) for p in parts if p) if n)


_LATIN_WORD = re.compile("[a-z0-9]+")


def contains_word(text: str, word: str) -> bool:
    """Whether a normalised word occurs in a normalised text. A Latin word must start a word
    there (「line」 is not found inside 「loneliness」, 「food」 is found in 「food,」); Japanese,
    written without spaces, matches anywhere."""
    if _LATIN_WORD.fullmatch(word):
        return re.search(rf"(?<![a-z0-9]){re.escape(word)}", text) is not None
    return word in text
