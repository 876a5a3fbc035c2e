"""Bad files: each gives a clear Japanese message (with its row number where a row applies), the
command exits non-zero, and the database is left exactly as it was — even the good rows."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from orgs.models import Organisation
from orgs.resources import HEADERS
from tests import factories as f
from tests.orgs.files.builders import counts, csv_bytes, make_lists, row, xlsx_bytes

GOOD = row(**{"団体コード": "G-01", "団体名": "よい団体", "名称カナ": "ヨイダンタイ", "法人番号": ""})


def with_good(**bad: object) -> bytes:
    """Row 2 is good, row 3 carries the fault: nothing at all may be saved."""
    return csv_bytes([GOOD, row(**bad)])


def xlsx_with_formula() -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(list(HEADERS))
    sheet.append([GOOD.get(h, "") for h in HEADERS])
    sheet.append([row(**{"団体名": "=SUM(A1:A2)"}).get(h, "") for h in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CASES: list[tuple[str, str, Callable[[], bytes], list[str]]] = [
    (
        "wrong_encoding",
        "m.csv",
        lambda: "団体名,名称カナ\n".encode("cp932") + b"\x85\x40\x85\x40,\xeb\x40\n",
        ["ファイルを読み取れません"],
    ),
    ("binary_garbage", "m.csv", lambda: bytes(range(256)) * 8, ["ファイルを読み取れません"]),
    (
        "missing_column",
        "m.csv",
        lambda: csv_bytes([GOOD], headers=[h for h in HEADERS if h != "名称カナ"]),
        ["1行目: 必須の列「名称カナ」がありません。"],
    ),
    ("unknown_headers", "m.csv", lambda: b"name,kana\nA,B\n", ["知っている列名がひとつもありません"]),
    (
        "duplicate_name",
        "m.csv",
        lambda: csv_bytes([GOOD, row(**{"団体コード": "", "団体名": "よい団体", "法人番号": ""})]),
        ["3行目: 団体名「よい団体」が2行目と重複しています。"],
    ),
    (
        "duplicate_code",
        "m.csv",
        lambda: with_good(**{"団体コード": "G-01"}),
        ["3行目: 団体コード「G-01」が2行目と重複しています。"],
    ),
    (
        "bad_check_digit",
        "m.csv",
        lambda: with_good(**{"法人番号": "1234567890123"}),
        ["3行目: 法人番号「1234567890123」のチェックデジットが正しくありません。"],
    ),
    (
        "short_number",
        "m.csv",
        lambda: with_good(**{"法人番号": "12345"}),
        ["3行目: 法人番号「12345」は13桁の数字で入力してください。"],
    ),
    (
        "bad_url",
        "m.csv",
        lambda: with_good(**{"ホームページ": "example jp"}),
        ["3行目: ホームページ「example jp」は URL の形式ではありません"],
    ),
    (
        "bad_email",
        "m.csv",
        lambda: with_good(**{"メールアドレス": "info@"}),
        ["3行目: メールアドレス「info@」はメールアドレスの形式ではありません。"],
    ),
    (
        "too_long",
        "m.csv",
        lambda: with_good(**{"団体名": "あ" * 201}),
        ["3行目: 団体名", "は長すぎます（200文字以内、いま201文字）"],
    ),
    (
        "formula_equals",
        "m.csv",
        lambda: with_good(**{"団体名": "=SUM(A1)"}),
        ["3行目: 団体名「=SUM(A1)」は数式のように見えます"],
    ),
    (
        "formula_plus",
        "m.csv",
        lambda: with_good(**{"受付時間": "+cmd|' /C calc'!A0"}),
        ["3行目: 受付時間", "は数式のように見えます"],
    ),
    (
        "formula_at",
        "m.csv",
        lambda: with_good(**{"所在地": "@x"}),
        ["3行目: 所在地「@x」は数式のように見えます"],
    ),
    (
        "formula_minus",
        "m.csv",
        lambda: with_good(**{"支援・活動内容": "-1+1"}),
        ["3行目: 支援・活動内容「-1+1」は数式のように見えます"],
    ),
    ("formula_in_xlsx", "m.xlsx", xlsx_with_formula, ["3行目: 団体名「=SUM(A1:A2)」は数式のように見えます"]),
    ("empty_file", "m.csv", lambda: b"", ["ファイルが空です。"]),
    ("bom_only", "m.csv", lambda: b"\xef\xbb\xbf\r\n", ["ファイルが空です。"]),
    ("header_only", "m.csv", lambda: csv_bytes([]), ["見出し行のほかにデータの行がありません。"]),
    (
        "unknown_category",
        "m.csv",
        lambda: with_good(**{"悩みのカテゴリ": "孤独・孤立、宇宙の悩み"}),
        [
            "3行目: 悩みのカテゴリ「孤独・孤立、宇宙の悩み」の「宇宙の悩み」はありません（このプラットフォームの悩みのカテゴリ名を使ってください）。"
        ],
    ),
    (
        "unknown_field",
        "m.csv",
        lambda: with_good(**{"活動分野": "釣り"}),
        ["3行目: 活動分野「釣り」の「釣り」はありません"],
    ),
    (
        "unknown_language",
        "m.csv",
        lambda: with_good(**{"対応言語": "火星語"}),
        ["3行目: 対応言語「火星語」の「火星語」はありません"],
    ),
    (
        "bad_date",
        "m.csv",
        lambda: with_good(**{"参加日": "2024-13-40"}),
        ["3行目: 参加日「2024-13-40」は日付として読めません"],
    ),
    (
        "left_before_joined",
        "m.csv",
        lambda: with_good(**{"参加日": "2024-04-01", "退会日": "2023-03-31"}),
        ["3行目: 退会日（2023-03-31）は参加日（2024-04-01）より後の日付にしてください。"],
    ),
    (
        "left_on_the_joining_day",
        "m.csv",
        lambda: with_good(**{"参加状況": "退会", "参加日": "2024-06-01", "退会日": "2024-06-01"}),
        ["3行目: 退会日（2024-06-01）は参加日（2024-06-01）より後の日付にしてください。"],
    ),
    (
        "unknown_status",
        "m.csv",
        lambda: with_good(**{"参加状況": "保留"}),
        ["3行目: 参加状況「保留」は 候補・打診済み・参加・退会 のどれかにしてください。"],
    ),
    ("blank_status", "m.csv", lambda: with_good(**{"参加状況": ""}), ["3行目: 参加状況が空欄です"]),
    (
        "bad_boolean",
        "m.csv",
        lambda: with_good(**{"LGBTQ+": "たぶん"}),
        ["3行目: LGBTQ+「たぶん」は ○ か空欄で入力してください。"],
    ),
    (
        "fake_xlsx",
        "m.xlsx",
        lambda: "団体名,名称カナ\nA,エー\n".encode(),
        ["拡張子は .xlsx ですが、Excel ファイルではありません"],
    ),
    (
        "damaged_xlsx",
        "m.xlsx",
        lambda: xlsx_bytes([GOOD])[:2000] + b"PK\x05\x06" + b"\x00" * 18,
        ["Excel ファイル（.xlsx）として読めません"],
    ),
    (
        "old_xls",
        "m.xls",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        ["古い Excel 形式（.xls）には対応していません"],
    ),
    (
        "bad_kana",
        "m.csv",
        lambda: with_good(**{"名称カナ": "漢字の読み"}),
        ["3行目: 名称カナ「漢字の読み」はカタカナで入力してください。"],
    ),
    ("blank_name", "m.csv", lambda: with_good(**{"団体名": ""}), ["3行目: 団体名が空欄です。"]),
    (
        "bad_phone",
        "m.csv",
        lambda: with_good(**{"電話番号": "096-000-0001; でんわ"}),
        ["3行目: 電話番号", "の「でんわ」は電話番号として読めません"],
    ),
    (
        "bad_postal",
        "m.csv",
        lambda: with_good(**{"郵便番号": "86-1"}),
        ["3行目: 郵便番号「86-1」は 860-0001 のように7桁で入力してください。"],
    ),
    (
        "code_used_elsewhere",
        "m.csv",
        lambda: with_good(**{"団体コード": "B-77"}),
        ["3行目: 団体コード「B-77」は別の団体がすでに使っています。"],
    ),
    (
        "ambiguous_name",
        "m.csv",
        lambda: with_good(**{"団体コード": "", "団体名": "同名の会", "法人番号": ""}),
        [
            "3行目: 団体名「同名の会」の団体がこのプラットフォームに複数あります。団体コードで指定してください。"
        ],
    ),
    (
        "word_line_break",
        "m.csv",
        lambda: with_good(**{"支援・活動内容": "食支援\x0bあり"}),
        ["3行目: 支援・活動内容「食支援\x0bあり」に制御文字が含まれています"],
    ),
    ("nul_in_cell", "m.csv", lambda: with_good(**{"受付時間": "9時\x00"}), ["ファイルを読み取れません"]),
]


@pytest.fixture
def registry(platform_a, org_a, other_org_a, platform_b):
    make_lists(platform_a)
    f.make_org(platform_b, name="B団体", name_kana="ビーダンタイ", ref="B-77")
    f.make_org(platform_a, name="同名の会", name_kana="ドウメイノカイ")
    f.make_org(platform_a, name="同名の会", name_kana="ドウメイノカイ")
    return platform_a


@pytest.mark.parametrize(("case", "filename", "build", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_file_is_refused_whole(registry, tmp_path, case, filename, build, expected):
    path = tmp_path / filename
    path.write_bytes(build())
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="何も保存していません"):
        call_command("import_orgs", str(path), "--platform", "a-city", stdout=io.StringIO(), stderr=err)
    for text in expected:
        assert text in err.getvalue(), err.getvalue()
    assert counts() == before
    assert not Organisation.objects.filter(name="よい団体").exists()


def test_it_lists_every_problem_not_just_the_first(registry, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(
        csv_bytes(
            [
                GOOD,
                row(**{"団体コード": "X-1", "法人番号": "1234567890123", "ホームページ": "nope"}),
                row(**{"団体コード": "X-2", "団体名": "二つ目", "参加状況": "保留", "LGBTQ+": "たぶん"}),
            ]
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="問題 4 件"):
        call_command("import_orgs", str(path), "--platform", "a-city", stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["3行目", "3行目", "4行目", "4行目"]


def test_a_formula_quoted_by_our_export_is_text(registry, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(csv_bytes([row(**{"受付時間": "'=随時"})]))
    call_command("import_orgs", str(path), "--platform", "a-city", stdout=io.StringIO())
    assert Organisation.objects.get(ref="T-01").hours == "=随時"


def test_an_xlsx_that_unpacks_too_large_is_refused_before_reading(registry, tmp_path, settings):
    """A small .xlsx may unpack to gigabytes (a zip bomb); the limit is checked on the archive's
    directory, before openpyxl reads a row. Here the limit is lowered under a normal file."""

    settings.IMPORT_MAX_UNPACKED_MB = 4
    path = tmp_path / "m.xlsx"
    path.write_bytes(xlsx_bytes([GOOD]))
    call_command("import_orgs", str(path), "--platform", "a-city", "--dry-run", stdout=io.StringIO())  # fits
    settings.IMPORT_MAX_UNPACKED_MB = 0
    err = io.StringIO()
    before = counts()
    with pytest.raises(CommandError, match="何も保存していません"):
        call_command("import_orgs", str(path), "--platform", "a-city", stdout=io.StringIO(), stderr=err)
    assert "Excel ファイルの中身が大きすぎます（展開後 0MB まで）" in err.getvalue()
    assert counts() == before
