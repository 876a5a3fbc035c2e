"""What an import reads and reports is bounded (IMPORT_MAX_*, lowered here to keep the files
small): a small .xlsx that unpacks to a flood of tiny rows is refused before it is read, with
bounded memory; a file full of mistakes gives a page of 200 problems and a count; an .xlsx whose
<dimension> lies is read in full; an over-long cell is named by its row, in Japanese; a double
BOM keeps the first column."""

from __future__ import annotations

import codecs
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orgs.models import Organisation
from orgs.resources import HEADERS
from platform_site.lib.tabular import ImportRejected, read_table
from tests.corpus import inline_row, sheet_xml_xlsx, tiny_rows_xlsx
from tests.orgs.files.builders import counts, csv_bytes, make_lists, row, table


@pytest.fixture
def lists(platform_a):
    make_lists(platform_a)
    return platform_a


def upload(client, platform, data: bytes, name: str):
    return client.post(reverse("orgs:import", args=[platform.slug]), {"file": SimpleUploadedFile(name, data)})


def test_a_small_xlsx_of_tiny_rows_is_refused_with_bounded_memory(lists, secretariat_a, settings):
    """The 592 KB file that unpacked to 190 MB of one-cell rows, at a smaller scale: 100,000 rows
    (about 500 KB packed, 9 MB unpacked) against a limit of 2,000. Reading stops at the
    first row past the limit, so memory stays far below what the whole sheet would take."""
    settings.IMPORT_MAX_ROWS = 2_000
    data = tiny_rows_xlsx(["団体名"], 100_000)
    assert len(data) < 600_000
    tracemalloc.start()
    try:
        with pytest.raises(ImportRejected, match="行が多すぎます（見出しのほか 2,000 行まで）"):
            read_table(data, "m.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # the 100,000 rows as lists would need far more
    before = counts()
    response = upload(secretariat_a, lists, data, "m.xlsx")
    assert "行が多すぎます" in response.text and counts() == before


def test_unpacked_bytes_cells_and_time_are_bounded(settings):
    data = tiny_rows_xlsx(["団体名", "名称カナ"], 100)
    settings.IMPORT_MAX_CELLS = 50
    with pytest.raises(ImportRejected, match="セルが多すぎます（50 個まで）"):
        read_table(data, "m.xlsx")
    with pytest.raises(ImportRejected, match="セルが多すぎます"):
        read_table(csv_bytes([row()] * 10), "m.csv")
    settings.IMPORT_MAX_CELLS = 1_000_000
    settings.IMPORT_MAX_SECONDS = 0
    with pytest.raises(ImportRejected, match="時間がかかりすぎます（0秒まで）"):
        read_table(data, "m.xlsx")
    settings.IMPORT_MAX_SECONDS = 60
    settings.IMPORT_MAX_UNPACKED_MB = 0
    with pytest.raises(ImportRejected, match="展開後 0MB まで"):
        read_table(data, "m.xlsx")


def test_a_file_full_of_mistakes_shows_200_problems_and_a_count(lists, secretariat_a):
    """The 42 KB file that produced 799,999 problems (a 76 MB page), at 600 rows of 2 problems."""
    bad = [row(**{"団体コード": f"B-{i}", "法人番号": "123", "郵便番号": "x"}) for i in range(600)]
    response = upload(secretariat_a, lists, csv_bytes(bad), "m.csv")
    problems = response.context["problems"]
    assert len(problems) == 200 and problems.total > 1200 and problems.more == problems.total - 200
    assert response.text.count("<li>") < 250 and len(response.content) < 200_000
    assert (
        f"ほかに {problems.more} 件の問題があります（最初の 200 件だけを表示しています）。" in response.text
    )
    assert "取り込めません" in response.text or "問題があるため取り込めません" in response.text


def test_the_command_prints_200_problems_and_a_count(lists, tmp_path):
    import io

    from django.core.management import CommandError, call_command

    path = tmp_path / "m.csv"
    path.write_bytes(
        csv_bytes(
            [row(**{"団体コード": f"B-{i}", "団体名": f"団体{i}", "法人番号": "123"}) for i in range(300)]
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="問題 300 件"):
        call_command("import_orgs", str(path), "--platform", lists.slug, stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 201 and lines[-1].startswith("ほかに 100 件の問題があります")


def test_an_xlsx_whose_dimension_is_too_small_is_read_to_its_last_row(lists, secretariat_a):
    rows = [
        row(**{"団体コード": f"D-{i}", "団体名": f"団体{i}", "名称カナ": "ダンタイ", "法人番号": ""})
        for i in range(5)
    ]
    lines = table(rows)
    data = sheet_xml_xlsx(
        [inline_row(n, [str(v) for v in line]) for n, line in enumerate(lines, 1)], dimension="A1:B2"
    )
    response = upload(secretariat_a, lists, data, "m.xlsx")
    assert response.context["summary"]["created"] == 5, response.context.get("problems")
    token = response.context["token"]
    secretariat_a.post(reverse("orgs:import-confirm", args=[lists.slug]), {"token": token})
    assert Organisation.objects.filter(ref__startswith="D-").count() == 5
    assert Organisation.objects.get(ref="D-4").hours == rows[4]["受付時間"]  # the last column too


@pytest.mark.parametrize("name", ["m.csv", "m.xlsx"])
def test_a_cell_over_the_limit_is_named_by_its_row_in_japanese(lists, secretariat_a, settings, name):
    settings.IMPORT_MAX_CELL_CHARS = 1000
    rows = [row(), row(**{"団体コード": "T-02", "支援・活動内容": "あ" * 1001})]
    if name == "m.csv":
        data = csv_bytes(rows, encoding="utf-8")
    else:
        data = sheet_xml_xlsx(inline_row(n, [str(v) for v in line]) for n, line in enumerate(table(rows), 1))
    before = counts()
    response = upload(secretariat_a, lists, data, name)
    assert "3行目: セルの文字が多すぎます（1つのセルに 1,000 文字まで）。" in response.text
    assert counts() == before


def test_a_cell_over_the_csv_modules_own_limit_is_named_by_its_row(lists, secretariat_a):
    """131,073 characters: Python's csv module stops with an English error; we answer in Japanese."""
    data = csv_bytes(
        [row(), row(**{"団体コード": "T-02", "支援・活動内容": "a" * 131_073})], encoding="utf-8"
    )
    response = upload(secretariat_a, lists, data, "m.csv")
    assert "3行目: セルの文字が多すぎます" in response.text and "field limit" not in response.text


def test_a_double_bom_keeps_the_first_column(lists, secretariat_a):
    data = codecs.BOM_UTF8 + codecs.BOM_UTF8 + csv_bytes([row()], encoding="utf-8")
    assert HEADERS[0] == "団体コード"
    response = upload(secretariat_a, lists, data, "m.csv")
    assert response.context["summary"]["created"] == 1, response.context.get("problems")
    secretariat_a.post(
        reverse("orgs:import-confirm", args=[lists.slug]), {"token": response.context["token"]}
    )
    assert Organisation.objects.filter(ref="T-01").exists()
