"""The in-memory XLSX writer: what openpyxl reads back, formula neutralisation, Japanese text,
many rows, styles, the package's parts, and no file in the temp folder."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from platform_site.lib import xlsx
from platform_site.lib.xlsx import Cell, Sheet, column_letter, write_xlsx


def _values(data: bytes, index: int = 0) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(data)).worksheets[index]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_values_come_back_as_written():
    data = write_xlsx(
        Sheet("一覧", [[1, -2.5, Decimal("3.25"), True, False, "文字", None, 10**12]], headers=[["a", "b"]])
    )
    rows = _values(data)
    assert rows[0][:2] == ["a", "b"]
    assert rows[1] == [1, -2.5, 3.25, True, False, "文字", None, 10**12]


def test_japanese_text_and_whitespace_survive():
    text = [
        "㈱髙橋こども食堂①",
        "𠮷野家（サロゲートペア）",
        "ｶﾀｶﾅ・全角　空白",
        " 前後に空白 ",
        "一行目\n二行目",
        "<&>\"'",
    ]
    assert _values(write_xlsx(Sheet("日本語", [text])))[0] == text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+81-96", "'+81-96"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\x0b=cmd", "'=cmd"),  # the control character goes first, then the neutralisation
        ("'=already", "''=already"),  # typed with its quote: one more, so the import gives it back
        ("①=1", "①=1"),
    ],
)
def test_text_that_looks_like_a_formula_is_neutralised(value, written):
    data = write_xlsx(Sheet("s", [[value]], headers=[[value]]))
    assert _values(data) == [[written], [written]]
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet  # never a formula cell


def test_numbers_are_not_neutralised():
    assert _values(write_xlsx(Sheet("s", [[-5, -0.5]]))) == [[-5, -0.5]]


def test_characters_xml_cannot_hold_are_dropped_not_fatal():
    data = write_xlsx(Sheet("s", [["改行\x0bあり\x00\x1f", "ok", "\ud800孤立"]]))
    assert _values(data) == [["改行あり", "ok", "孤立"]]


def test_text_longer_than_excel_allows_is_cut_at_its_limit():
    rows = _values(write_xlsx(Sheet("s", [["あ" * 40_000, "𠮷" * 20_000]])))
    assert rows[0][0] == "あ" * xlsx.MAX_CELL_CHARS
    assert len(str(rows[0][1]).encode("utf-16-le")) // 2 <= xlsx.MAX_CELL_CHARS


def test_many_rows_stream_through(tmp_path):
    rows: Iterable[list[Cell]] = (
        [n, f"団体{n}", f"ダンタイ{n}", "熊本市中央区", "○"] for n in range(1, 12_001)
    )
    data = write_xlsx(Sheet("団体", rows, headers=[["番号", "団体名", "カナ", "所在地", "同意"]]))
    ws = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    got = [list(r) for r in ws.iter_rows(values_only=True)]
    assert len(got) == 12_001
    assert got[1] == [1, "団体1", "ダンタイ1", "熊本市中央区", "○"]
    assert got[-1] == [12_000, "団体12000", "ダンタイ12000", "熊本市中央区", "○"]
    assert [r[0] for r in got[1:]] == list(range(1, 12_001))
    # the sheet says its size, so openpyxl's read-only mode (the import's) parses it only once
    assert (ws.max_row, ws.max_column) == (12_001, 5)


def test_long_rows_come_back_whole():
    """Rows far larger than the spool's read-back step (1 MiB) arrive unchanged and in order."""
    rows: list[list[Cell]] = [[n, f"{n}番目の相談内容。" * 300] for n in range(1, 701)]
    got = _values(write_xlsx(Sheet("s", rows)))
    assert got == rows


def test_headers_widths_merges_wrap_and_frozen_rows():
    data = write_xlsx(
        Sheet(
            "引き継ぎ簿",
            [[1, "長い\n相談内容"]],
            headers=[["#", "NPO受入情報", ""], ["", "支援日", "支援内容"]],
            widths=[5, None, 60],
            bold_headers=True,
            wrap=True,
            merged=["B1:C1"],
        )
    )
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert ws.title == "引き継ぎ簿"
    assert ws.freeze_panes == "A3"
    assert [str(r) for r in ws.merged_cells.ranges] == ["B1:C1"]
    assert ws.column_dimensions["A"].width == 5 and ws.column_dimensions["C"].width == 60
    assert ws["A1"].font.b and ws["C2"].font.b and not ws["A3"].font.b
    assert ws["B3"].alignment.wrap_text and ws["B3"].alignment.vertical == "top"
    assert not ws["B1"].alignment.wrap_text


def test_no_headers_no_frozen_rows_and_plain_cells():
    ws = load_workbook(io.BytesIO(write_xlsx(Sheet("s", [["a"]])))).worksheets[0]
    assert ws.freeze_panes is None and not ws["A1"].font.b and not ws["A1"].alignment.wrap_text
    ws = load_workbook(
        io.BytesIO(write_xlsx(Sheet("s", [["b"]], headers=[["h"]], freeze_headers=False)))
    ).worksheets[0]
    assert ws.freeze_panes is None


def test_several_sheets_keep_their_order_and_titles():
    data = write_xlsx(Sheet("一", [["a"]]), Sheet("二", [["b"]]), Sheet("三's", [["c"]]))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["一", "二", "三's"]
    assert _values(data, 2) == [["c"]]


def test_wide_rows_get_the_right_column_letters():
    assert [column_letter(n) for n in (1, 26, 27, 52, 703, 16_384)] == ["A", "Z", "AA", "AZ", "AAA", "XFD"]
    row = list(range(1, 61))
    assert _values(write_xlsx(Sheet("s", [row]))) == [row]


def test_every_part_is_well_formed_and_declared():
    data = write_xlsx(Sheet("a", [["x"]]), Sheet("b", [[1]]))
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    for name in names:
        ET.fromstring(archive.read(name))
    ns = {"ct": "http://schemas.openxmlformats.org/package/2006/content-types"}
    types = ET.fromstring(archive.read("[Content_Types].xml"))
    overrides = {str(o.get("PartName")).lstrip("/") for o in types.findall("ct:Override", ns)}
    assert overrides == {n for n in names if n.endswith(".xml") and n != "[Content_Types].xml"}
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    assert {f"xl/{r.get('Target')}" for r in rels} == {
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet2.xml",
        "xl/styles.xml",
    }


def test_the_same_rows_give_the_same_bytes():
    def build():
        return write_xlsx(Sheet("s", [["a", 1]], headers=[["h"]]))

    assert build() == build()


@pytest.mark.parametrize("title", ["", "a" * 32, "a/b", "a[1]", "a:b", "what?", "'quoted'", "a\\b"])
def test_a_title_excel_refuses_is_refused_here(title):
    with pytest.raises(ValueError, match="title"):
        write_xlsx(Sheet(title, [["x"]]))


def test_bad_input_is_refused_with_a_clear_error():
    import datetime as dt

    with pytest.raises(ValueError, match="two sheets"):
        write_xlsx(Sheet("Sheet", []), Sheet("sheet", []))
    with pytest.raises(ValueError, match="cell range"):
        write_xlsx(Sheet("s", [], merged=["F1-G1"]))
    with pytest.raises(ValueError, match="format it as text"):  # a moment: say which form it takes
        write_xlsx(Sheet("s", [[dt.datetime(2026, 4, 1, 9, 0)]]))
    with pytest.raises(ValueError, match="cannot write"):
        write_xlsx(Sheet("s", [[float("nan")]]))
    with pytest.raises(ValueError, match="at least one sheet"):
        write_xlsx()


def test_a_date_is_a_date_cell_that_reads_back_as_the_same_day():
    import datetime as dt
    import io

    from openpyxl import load_workbook

    days = [dt.date(1900, 3, 1), dt.date(2019, 4, 30), dt.date(2026, 4, 1)]
    sheet: Any = load_workbook(io.BytesIO(write_xlsx(Sheet("s", [[d] for d in days])))).active
    cells = [row[0] for row in sheet.iter_rows()]
    assert [c.value.date() for c in cells] == days
    assert {c.number_format for c in cells} == {"yyyy-mm-dd"}


def test_more_rows_than_excel_holds_are_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    write_xlsx(Sheet("s", [["a"], ["b"]], headers=[["h"]]))
    with pytest.raises(ValueError, match="rows"):
        write_xlsx(Sheet("s", [["a"], ["b"], ["c"]], headers=[["h"]]))


def test_nothing_is_written_to_the_temp_folder(temp_watch):
    data = write_xlsx(Sheet("個人情報", ([f"氏名{n}", n] for n in range(5_000)), headers=[["氏名", "番号"]]))
    assert temp_watch.opened == [] and temp_watch.files() == []
    assert len(_values(data)) == 5_001


def test_the_watch_sees_what_openpyxl_writes_there(temp_watch):
    """The check above can fail: openpyxl's own writer spools each sheet to the temp folder
    (and deletes the file afterwards, so only the watch sees it)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.worksheets[0].append(["氏名"])
    workbook.save(io.BytesIO())
    assert temp_watch.opened and temp_watch.files() == []
