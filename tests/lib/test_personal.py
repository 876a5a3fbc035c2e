"""The one detector of contact details in text that must hold none."""

import pytest

from platform_site.lib.personal import contact_detail_kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("折り返しは 096-123-4567 へ", "phone"),
        ("０９０１２３４５６７８ に連絡", "phone"),  # full-width digits
        ("+81 90-1234-5678", "phone"),
        ("taro＠example.jp", "email"),  # full-width ＠
        ("〒８６０－０００１ の近く", "postal"),
        ("860-0001 の近く", "postal"),
        ("食料支援の案内を3件、LINEで2件", None),
        ("令和7年4月1日 第1回", None),
        ("", None),
    ],
)
def test_contact_details_are_found_whatever_their_width(text, kind):
    assert contact_detail_kind(text) == kind
