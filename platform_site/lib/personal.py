"""Contact details in free text where none may be written (a consultation's note, a council's
minutes): one detector for every such field, read after NFKC so that full-width digits and ＠
count too."""

from __future__ import annotations

import re
import unicodedata

# a phone number: 0 (or +81) and 9–10 more digits, with or without separators
_PHONE = re.compile(r"(?<!\d)(?:\+81[-\s]?|0)\d{1,4}[-‐ー−\s()]{0,2}\d{1,4}[-‐ー−\s()]{0,2}\d{3,4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_POSTAL = re.compile(r"〒\s*\d{3}-?\d{4}|(?<!\d)\d{3}-\d{4}(?!\d)")


def contact_detail_kind(text: str) -> str | None:
    """ "email", "phone" or "postal" for the first kind of contact detail found, else None."""
    plain = unicodedata.normalize("NFKC", text or "")
    for kind, pattern in (("email", _EMAIL), ("phone", _PHONE), ("postal", _POSTAL)):
        if pattern.search(plain):
            return kind
    return None
