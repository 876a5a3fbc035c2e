"""Build import files in code (CSV as Excel saves it, XLSX through openpyxl) and the lists they name.

No binary fixtures are committed: each test states the exact bytes it feeds the importer.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

from orgs.models import ActivityField, Language, Membership, Organisation, OrgChange, Phone, WorryCategory
from orgs.resources import HEADERS
from platform_site.lib import japanese as jp
from platform_site.models import Platform

CATEGORIES = ("孤独・孤立", "生活に困窮", "外国語での相談")
FIELDS = ("相談", "食支援")
LANGUAGES = (("en", "英語"), ("zh", "中国語"))


def corporate_number(base12: str) -> str:
    """A 法人番号 with a correct check digit in front."""
    return f"{jp.corporate_number_check_digit(base12)}{base12}"


GOOD_NUMBER = corporate_number("330005001234")


def make_lists(platform: Platform) -> None:
    for i, name in enumerate(CATEGORIES):
        WorryCategory.objects.get_or_create(platform=platform, name=name, defaults={"order": i})
    for i, name in enumerate(FIELDS):
        ActivityField.objects.get_or_create(platform=platform, name=name, defaults={"order": i})
    for i, (code, name) in enumerate(LANGUAGES):
        Language.objects.get_or_create(code=code, defaults={"name": name, "order": i})


def row(**values: Any) -> dict[str, Any]:
    """A valid row by header; override columns with row(**{"団体名": …})."""
    base = {
        "団体コード": "T-01",
        "団体名": "㈱髙橋こども食堂①",
        "名称カナ": "たかはしこどもしょくどう",
        "法人格": "NPO法人",
        "法人番号": GOOD_NUMBER,
        "ホームページ": "https://example.jp/kodomo",
        "メールアドレス": "info@example.jp",
        "電話番号": "096-000-0001（LINE相談も可）; 090-0000-0002",
        "郵便番号": "860-0001",
        "所在地": "熊本市中央区千葉城町1-1",
        "所在地非公開": "",
        "受付時間": "平日 9:00～17:00",
        "支援・活動内容": "子ども食堂と学習支援。\n月2回。",
        "相談するとどうなるか": "電話で話を聞きます。",
        "悩みのカテゴリ": "孤独・孤立、生活に困窮",
        "活動分野": "食支援",
        "対応言語": "英語; zh",
        "LGBTQ+": "○",
        "公開掲載への同意": "はい",
        "内容確認日": "2025/03/01",
        "参加状況": "参加",
        "コアメンバー": "",
        "PFでの役割": "参加団体",
        "参加日": "2023-03-01",
        "退会日": "",
        "参加の経緯": "資源調査",
    }
    return base | values


def table(rows: list[dict[str, Any]], headers: tuple[str, ...] | list[str] = HEADERS) -> list[list[Any]]:
    return [list(headers), *[[r.get(h, "") for h in headers] for r in rows]]


def csv_bytes(rows: list[dict[str, Any]], *, encoding: str = "cp932", headers: Any = HEADERS) -> bytes:
    """CSV as Excel saves it: CP932 by default, CRLF line ends."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table(rows, headers))
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict[str, Any]], headers: Any = HEADERS) -> bytes:
    workbook = Workbook()
    for line in table(rows, headers):
        workbook.worksheets[0].append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts() -> dict[str, int]:
    """What an import may change: compared before and after every rejected file."""
    return {
        "orgs": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
        "changes": OrgChange.objects.count(),
        "phones": Phone.objects.count(),
        "categories": Organisation.worry_categories.through.objects.count(),
    }
