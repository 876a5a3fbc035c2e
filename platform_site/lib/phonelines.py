"""The leaflet's 「いつでも電話できる窓口」 as the settings screen keeps them: one line each,
「名称｜電話番号｜受付時間など」 (the third part optional). Pure: parsing and checking only."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from . import cells

SEPARATORS = re.compile(r"\s*[｜|]\s*")
# digits, hyphens, brackets and spaces as people type them; a leading # for short numbers (#9999)
NUMBER = re.compile(r"^[#＃]?[0-9０-９][0-9０-９\-－‐ー()（） ]{2,19}$")


@dataclass(frozen=True)
class PhoneLine:
    name: str
    number: str
    note: str = ""

    @property
    def tel(self) -> str:
        """Digits (and a leading #) for a tel: link."""
        plain = unicodedata.normalize("NFKC", self.number)
        return ("#" if plain.startswith("#") else "") + "".join(c for c in plain if c.isdigit())


class PhoneLineError(ValueError):
    def __init__(self, line_no: int, reason: str) -> None:
        super().__init__(reason)
        self.line_no = line_no
        self.reason = reason


def parse_phone_lines(text: str, *, strict: bool = False) -> list[PhoneLine]:
    """The lines of `text` (blank lines skipped). strict: raise PhoneLineError (1-based line
    number and a reason code: "parts" or "number") on a malformed line, else leave it out."""
    result = []
    for no, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = SEPARATORS.split(raw.strip())
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            if strict:
                raise PhoneLineError(no, "parts")
            continue
        if not NUMBER.match(parts[1]):
            if strict:
                raise PhoneLineError(no, "number")
            continue
        result.append(PhoneLine(parts[0], parts[1], parts[2] if len(parts) == 3 else ""))
    return result


def normalise_numbers(text: str) -> str:
    """The same lines with each well-formed line's number as the registry stores one
    (`cells.normal_phone_text`: 「０１２０ー７８３ー５５６」 → 「0120-783-556」); names, notes,
    separators and malformed lines as written."""
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        parts = SEPARATORS.split(line)
        if line and len(parts) in (2, 3) and parts[0] and NUMBER.match(parts[1]):
            separators = SEPARATORS.findall(line)
            number = cells.normal_phone_text(parts[1])
            line = parts[0] + separators[0] + number + (separators[1] + parts[2] if len(parts) == 3 else "")
        lines.append(line)
    return "\n".join(lines)
