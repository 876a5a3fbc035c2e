"""Reading one spreadsheet cell as Japanese offices fill it in: text, ○ booleans, Western and 和暦
dates, phone numbers, postal codes, kana readings, 法人番号, URLs, e-mail addresses, choices, lists.

It is also the one normaliser of what is stored from a screen or a file: phone numbers
(`normal_phone`: half-width digits, every dash as 「-」, the extension 「内線12」 split off as a
note), postal codes (`normal_postal_code`: 〒 dropped, 860-0001) and numbers (`normal_number`:
「１，２００」 → 「1200」). The forms' clean methods and the import widgets both call them, so a
value reads the same whichever way it came in.

No models and no import library here: every import (the registry, survey responses, events)
checks its cells with these, and the import widgets (`platform_site.lib.columns`) are thin
adapters around them. A cell that cannot be read raises `CellError`, whose message is written to
follow the column name and the value: 「法人番号「12345」」 + 「は13桁の数字で入力してください。」.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection, Mapping

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from . import japanese as jp

TRUE_MARK = "○"
TRUE_VALUES = frozenset({"○", "〇", "◯", "はい", "1", "true", "yes", "y", "有", "あり"})
FALSE_VALUES = frozenset({"", "×", "✕", "いいえ", "0", "false", "no", "n", "無", "なし", "-"})
LIST_SEPARATOR = "、"
PHONE_SEPARATOR = "; "

# What a phone number may hold (the model's validator uses the same pattern).
PHONE_PATTERN = r"^[0-9０-９\-－‐ー()（） +＋]{6,20}$"
_PHONE_RE = re.compile(PHONE_PATTERN)
_PHONE_SPLIT_RE = re.compile(r"\s*[;；\n]\s*")
_PHONE_NOTE_RE = re.compile(r"(.+?)\s*（(.*)）")  # 096-000-0000（LINE相談も可）
_PHONE_ASCII_NOTE_RE = re.compile(r"(.+?)\s*\((.*[^0-9()\- ].*)\)")  # a note, not an area code in ()
_POSTAL_RE = re.compile(r"^〒?\s*([0-9]{3})\s*-?\s*([0-9]{4})$")
# Full-width ASCII (！ to ～) and the ideographic space, as typed with a Japanese IME; unlike NFKC,
# this leaves ① ㈱ ｶﾅ and the rest of a free text alone.
_WIDE_ASCII = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "})
# What people type for the dash of a phone number or postal code: the long-vowel mark ー (the
# IME's 「-」), half-width ｰ, hyphens, dashes, the minus sign, box-drawing lines, the small hyphen.
DASHES = "ー－ｰ‐‑‒–—―−─━﹣"
_DASH_RE = re.compile(f"[{DASHES}]")
_DASH_BETWEEN_DIGITS_RE = re.compile(f"(?<=\\d)\\s*[{DASHES}-]\\s*(?=\\d)")
_DASH_IN_NUMBER_RE = re.compile(f"(?<=[\\d)])\\s*[{DASHES}-]\\s*(?=[\\d(])")  # 096ー123, (096)ー123
# The extension at the end of a number: 内線12, 内12, (内)12, ext. 12, ext12, x12.
_EXTENSION_RE = re.compile(
    r"\s*(?:\(\s*内(?:線)?\s*\)|内線|内|ext\.?|extension|x)\s*[.:]?\s*(\d{1,6})\s*$", re.IGNORECASE
)
EXTENSION_LABEL = "内線"
NOTE_JOINER = "、"
_LIST_SPLIT_RE = re.compile(r"\s*[、;；,，]\s*")
_LIST_KEEP_SPLIT_RE = re.compile(r"(\s*[、;；,，]\s*)")
# C0 controls other than tab and line ends: XLSX (XML) cannot hold them, NUL breaks PostgreSQL.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Invisible format characters (Unicode category Cf: zero-width spaces and joiners, the
# right-to-left override and the other bidirectional controls, the BOM, the soft hyphen, tags)
# and the Hangul fillers that show as nothing: they can make a name, a URL or a file name read
# differently from what is stored (a right-to-left override turns 「moc.elpmaxe」 around), so
# they are dropped from every cell and every form field (`platform_site.middleware`).
# Variation selectors are kept: 葛󠄀 and other 異体字 of Japanese names use them.
# tests/lib/test_invisible.py checks the list against every Cf character Python knows.
INVISIBLE_RE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
LINE_SEPARATOR_RE = re.compile("[\u2028\u2029\x85]")
_TIME_SUFFIX_RE = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")  # 2024/04/01 0:00:00, as Excel writes
_WESTERN_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_ERA_DATE_RE = re.compile(
    r"^(令和|平成|昭和|[RHS])\s*(元|\d{1,2})\s*(?:年\s*(?:\(\s*\d{4}\s*年?\s*\))?|[-/.])"
    r"\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*日?$",
    re.IGNORECASE,
)
_url = URLValidator(schemes=["http", "https"])
_email = EmailValidator()


class CellError(ValueError):
    """A cell that cannot be read. The message follows the column name and value (see above);
    django-import-export turns a ValueError raised by a widget into that row's field error."""


def strip_invisible(value: str) -> str:
    """Without invisible format characters (see INVISIBLE_RE); Unicode's line and paragraph
    separators (and NEL) become line ends."""
    if value.isascii():
        return value
    return LINE_SEPARATOR_RE.sub("\n", INVISIBLE_RE.sub("", value))


def text(value: object) -> str:
    """A cell as text: numbers as Excel shows them (12.0 → "12"), dates as YYYY-MM-DD, ○ for True;
    invisible format characters dropped."""
    if type(value) is str:
        return strip_invisible(value).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE_MARK if value else ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def halfwidth(value: str) -> str:
    """Full-width digits, letters and signs as ASCII (NFKC): 「０９６－０００」 → 「096-000」."""
    return unicodedata.normalize("NFKC", value)


def halfwidth_ascii(value: str) -> str:
    """Full-width letters, digits and signs (ＡＢＣ１２３－（）) and the ideographic space as ASCII;
    unlike `halfwidth`, nothing else of the text changes (① ㈱ ｶﾅ stay as written)."""
    return value.translate(_WIDE_ASCII)


def normal_phone(value: str) -> tuple[str, str]:
    """A phone number as stored, and its extension as a note:
    「０９６－１２３－４５６７ 内線１２」 → ("096-123-4567", "内線12"); 「(096)123ー4567 ext. 3」 →
    ("(096)123-4567", "内線3"). Digits become half-width (also other scripts' digits), a dash
    between digits or brackets (ー－‐ and the like, see DASHES) 「-」, runs of spaces one space;
    brackets, + and the rest are kept. Idempotent."""
    text = halfwidth_ascii(value)
    text = "".join(str(unicodedata.digit(c)) if not c.isascii() and c.isdecimal() else c for c in text)
    text = _DASH_IN_NUMBER_RE.sub("-", text)
    extension = ""
    if match := _EXTENSION_RE.search(text):
        text, extension = text[: match.start()], f"{EXTENSION_LABEL}{match[1]}"
    return " ".join(text.split()), extension


def with_note(extension: str, note: str) -> str:
    """The extension first, then the note as written: 「内線12、LINE相談も可」 (an extension the
    note already starts with is not repeated)."""
    note = note.strip()
    if not extension or note.startswith(extension):
        return note
    return f"{extension}{NOTE_JOINER}{note}" if note else extension


def normal_phone_text(value: str) -> str:
    """One field holding a number and maybe its extension (a contact person's phone):
    「０９６－１２３－４５６７（内）１２」 → 「096-123-4567 内線12」. Idempotent."""
    number, extension = normal_phone(value)
    return f"{number} {extension}".strip()


def normal_contact(value: str) -> str:
    """Free text that may hold a phone number (a case's 連絡先: 「自宅 ０９６ー１２３ー４５６７」):
    full-width ASCII as half-width, a dash between digits 「-」; every other character kept."""
    text = _DASH_BETWEEN_DIGITS_RE.sub("-", halfwidth_ascii(value))
    return text.strip()


def normal_number(value: str) -> str:
    """A count or amount as typed: 「１，２００」「1,200 円」「12人」 → 「1200」「1200」「12」; text that is
    not a number is returned as written (the field then says so)."""
    text = halfwidth_ascii(value).strip()
    plain = re.sub(r"\s*(円|人|件|回|部|枚|日|日分|名|組|か所|箇所)$", "", text)
    plain = re.sub(r"(?<=\d)[,、](?=\d{3}(?!\d))", "", plain).strip()
    return plain if re.fullmatch(r"-?\d+", plain) else text


def strip_control_characters(value: str) -> str:
    """For text typed on a screen: Word's line breaks (U+000B, U+000C) become line ends, other
    control characters go. An import refuses them instead (`unquote`), so the sender can fix the file."""
    return CONTROL_RE.sub(lambda m: "\n" if m[0] in "\x0b\x0c" else "", value)


def unquote(value: str, *, phone: bool = False) -> str:
    """Refuse formulas and control characters; undo an export's neutralising quote ('=… is text).

    A cell starting with =, @, + (not for a phone number: +81…) or - followed by something
    other than a space or dash is taken for a formula (CSV injection).
    """
    if CONTROL_RE.search(value):
        raise CellError(
            _("に制御文字が含まれています（Word から貼り付けた改行などは、Excel の改行に直してください）。")
        )
    if value[:1] == "'" and value.lstrip("'")[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return value[1:]  # the export's quote (one more than the text had: `neutralise_cell`)
    head, rest = value[:1], value[1:2]
    if len(value) > 1 and (
        head in "=@" or (head == "+" and not phone) or (head == "-" and rest not in " 　-ー")
    ):
        raise CellError(
            _(
                "は数式のように見えます（=、+、-、@ で始まるセルは取り込めません。文字として入れるときは先頭に ' を付けてください）。"
            )
        )
    return value


def max_length(value: str, limit: int) -> str:
    if len(value) > limit:
        raise CellError(
            _("は長すぎます（%(max)d文字以内、いま%(len)d文字）。") % {"max": limit, "len": len(value)}
        )
    return value


def boolean(value: str) -> bool:
    """○ 〇 はい 1 true yes … are yes; blank × いいえ 0 false no … are no; anything else is refused."""
    key = halfwidth(value).strip().lower()
    if key in TRUE_VALUES or value in TRUE_VALUES:
        return True
    if key in FALSE_VALUES:
        return False
    raise CellError(_("は ○ か空欄で入力してください。"))


def render_boolean(value: object) -> str:
    return TRUE_MARK if value else ""


def date(value: object) -> dt.date | None:
    """A date cell: an Excel date, 2024-04-01, 2024/4/1, 2024.4.1, 2024年4月1日, or 和暦 —
    令和6年4月1日, 令和元年5月1日, R6.4.1, H31/4/30, 令和5年(2023年)3月1日 (the leaflet's form).
    Full-width digits are read too. Blank is None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    if not raw:
        return None
    normal = _TIME_SUFFIX_RE.sub("", halfwidth(raw).strip())
    try:
        if match := _WESTERN_DATE_RE.match(normal):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _ERA_DATE_RE.match(normal):
            year = 1 if match[2] == "元" else int(match[2])
            return jp.from_era(match[1], year, int(match[3]), int(match[4]))
    except jp.OutsideEra as exc:
        raise CellError(
            _("は%(era)sにない日付です（%(era)sは %(first)s から%(last)s）。")
            % {
                "era": exc.era,
                "first": exc.first.isoformat(),
                "last": f" {exc.last.isoformat()} まで" if exc.last else "",
            }
        ) from exc
    except ValueError as exc:
        raise _bad_date() from exc
    raise _bad_date()


def _bad_date() -> CellError:
    return CellError(
        _("は日付として読めません（2024-04-01、2024/4/1 か 令和6年4月1日 の形で入力してください）。")
    )


def render_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def phone_number(value: str) -> str:
    """One number: digits, hyphens, brackets, spaces, +; 6 to 20 characters (full-width allowed)."""
    if not _PHONE_RE.match(value):
        raise CellError(
            _(
                "の「%(item)s」は電話番号として読めません（「番号（備考）; 番号」の形で、番号は数字とハイフンで）。"
            )
            % {"item": value}
        )
    return value


def phones(value: str, *, note_length: int = 100) -> list[tuple[str, str]]:
    """「096-000-0000（LINE相談も可）; 050-000-0000」 → [(number, note), …]; ; or a line end separates.
    Each number is normalised (`normal_phone`): 「０９６－０００－００００ 内線１２」 → ("096-000-0000", "内線12")."""
    found = []
    for item in _PHONE_SPLIT_RE.split(value.strip()):
        if not item:
            continue
        match = _PHONE_NOTE_RE.fullmatch(item) or _PHONE_ASCII_NOTE_RE.fullmatch(item)
        number, note = (match[1].strip(), match[2].strip()) if match else (item, "")
        number, extension = normal_phone(number)
        note = with_note(extension, note)
        if not _PHONE_RE.match(number):
            raise CellError(
                _(
                    "の「%(item)s」は電話番号として読めません（「番号（備考）; 番号」の形で、番号は数字とハイフンで）。"
                )
                % {"item": item}
            )
        if len(note) > note_length:
            raise CellError(_("の備考は%(max)d文字以内にしてください。") % {"max": note_length})
        found.append((number, note))
    return found


def format_phones(numbers: list[tuple[str, str]]) -> str:
    """The reverse of `phones`: the note in full-width brackets, numbers separated by 「; 」."""
    return PHONE_SEPARATOR.join(f"{number}（{note}）" if note else number for number, note in numbers)


def is_postal_code(value: str) -> bool:
    """860-0001, 8600001, 〒860-0001, 〒８６０ー０００１ (full-width digits, any dash)."""
    return bool(_POSTAL_RE.match(_postal_text(value)))


def _postal_text(value: str) -> str:
    return _DASH_RE.sub("-", halfwidth(value)).strip()


def postal_code(value: str) -> str:
    """A 郵便番号 as stored (blank allowed): 「〒８６０ー０００１」 → 「860-0001」; see `normal_postal_code`."""
    return normal_postal_code(value) if value.strip() else ""


def normal_postal_code(value: str) -> str:
    """「〒８６０００01」 → 「860-0001」: 〒 dropped, half-width, NNN-NNNN. Idempotent."""
    match = _POSTAL_RE.match(_postal_text(value))
    if not match:
        raise CellError(_("は 860-0001 のように7桁で入力してください。"))
    return f"{match[1]}-{match[2]}"


def kana(value: str, *, blank_message: str | Promise = "") -> str:
    """A reading in katakana: hiragana and half-width kana are turned into full-width katakana."""
    reading = jp.to_katakana(value)
    if not reading:
        raise CellError(blank_message or _("が空欄です（読みをカタカナで入れてください）。"))
    if not jp.is_kana_reading(reading):
        raise CellError(_("はカタカナで入力してください。"))
    return reading


def corporate_number(value: str) -> str:
    """A 法人番号: 13 digits (full-width, hyphens and spaces allowed) with a correct check digit."""
    digits = halfwidth(value).replace("-", "").replace(" ", "")
    if digits and not re.fullmatch(r"\d{13}", digits):
        raise CellError(_("は13桁の数字で入力してください。"))
    if digits and not jp.is_valid_corporate_number(digits):
        raise CellError(_("のチェックデジットが正しくありません。"))
    return digits


def url(value: str) -> str:
    if value:
        try:
            _url(value)
        except ValidationError as exc:
            raise CellError(
                _("は URL の形式ではありません（http:// か https:// で始めてください）。")
            ) from exc
    return value


def email(value: str) -> str:
    if value:
        try:
            _email(value)
        except ValidationError as exc:
            raise CellError(_("はメールアドレスの形式ではありません。")) from exc
    return value


def integer(value: str, *, minimum: int = 0) -> int | None:
    """A whole number (full-width digits allowed); blank is None."""
    digits = normal_number(halfwidth(value))
    if not digits:
        return None
    if not re.fullmatch(r"-?\d+", digits) or int(digits) < minimum:
        raise CellError(_("は%(min)d以上の整数で入力してください。") % {"min": minimum})
    return int(digits)


def choice(value: str, labels: Mapping[str, str]) -> str:
    """A label (参加) or its code (member) → the code; `labels` maps label → code."""
    if value in labels:
        return labels[value]
    if value in labels.values():
        return value
    raise CellError(_("は %(labels)s のどれかにしてください。") % {"labels": "・".join(labels)})


def names(value: str, known: Collection[str] = ()) -> list[str]:
    """「孤独・孤立、生活に困窮」 → the names, split on 、 ; , (full-width too), blanks dropped.

    With ``known`` names, a name that itself holds a separator (a category 「お金、借金」) is read
    whole: at each place the longest run of parts that is a known name is taken."""
    parts = _LIST_KEEP_SPLIT_RE.split(value.strip())
    pieces, separators = parts[0::2], parts[1::2]
    if not known:
        return [name for name in pieces if name]

    def joined(start: int, stop: int) -> str:  # pieces[start:stop] with the separators between them
        return "".join(pieces[i] + (separators[i] if i < stop - 1 else "") for i in range(start, stop))

    found: list[str] = []
    start = 0
    while start < len(pieces):
        end = next(
            (stop for stop in range(len(pieces), start + 1, -1) if joined(start, stop) in known), start + 1
        )
        if name := joined(start, end):
            found.append(name)
        start = end
    return found
