"""The import_export formats of platform_site.lib.formats: our encodings in, UTF-8 with BOM out."""

import csv
import io

import pytest
from openpyxl import Workbook
from tablib import Dataset

from platform_site.lib import formats
from platform_site.lib.tabular import ImportRejected


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.worksheets[0].append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("団体名,名称カナ\r\n㈱髙橋①,タカハシ\r\n".encode("cp932"), "cp932"),
        ("\ufeff団体名,名称カナ\r\n㈱髙橋①,タカハシ\r\n".encode(), "utf-8-sig"),
        ("団体名,名称カナ\n㈱髙橋①,タカハシ\n".encode(), "utf-8"),
    ],
)
def test_csv_is_read_in_the_encoding_excel_used(data, encoding):
    dataset, found = formats.read_dataset(data, "meibo.csv")
    assert found == encoding
    assert dataset.headers == ["団体名", "名称カナ"]
    assert list(dataset[0]) == ["㈱髙橋①", "タカハシ"]


def test_ragged_rows_are_cut_or_padded_to_the_header():
    dataset = formats.CSV().create_dataset(b"a,b\n1\n1,2,3\n")
    assert [list(row) for row in dataset] == [["1", None], ["1", "2"]]


def test_csv_is_written_with_bom_crlf_quotes_and_neutralised_cells():
    dataset = Dataset(["=1+1", "+81", "普通", "○"], headers=["a", "b", "c", "d"])
    data = formats.CSV().export_data(dataset)
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    assert data.decode("utf-8-sig").splitlines()[1] == '"\'=1+1","\'+81","普通","○"'
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1] == ["'=1+1", "'+81", "普通", "○"]
    again = formats.CSV().create_dataset(data)
    assert list(again[0]) == ["'=1+1", "'+81", "普通", "○"]


def test_xlsx_keeps_formulas_as_written():
    dataset, found = formats.read_dataset(xlsx([["団体名"], ["=SUM(A1:A2)"], [12.0]]), "meibo.xlsx")
    assert found == "xlsx"
    assert [row[0] for row in dataset] == ["=SUM(A1:A2)", 12]


def test_xlsx_that_unpacks_too_large_is_refused(settings):
    settings.IMPORT_MAX_UNPACKED_MB = 0
    with pytest.raises(ImportRejected, match="Excel ファイルの中身が大きすぎます"):
        formats.XLSX().create_dataset(xlsx([["団体名"], ["あ"]]))


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "m.csv", "ファイルが空です。"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "m.xls", "古い Excel 形式（.xls）には対応していません"),
        (b"a,b\n", "m.xlsx", "拡張子は .xlsx ですが、Excel ファイルではありません"),
        (bytes(range(256)), "m.csv", "ファイルを読み取れません"),
    ],
)
def test_files_that_cannot_be_read(data, name, message):
    with pytest.raises(ImportRejected, match=message):
        formats.read_dataset(data, name)


def test_formats_are_binary_for_the_admin():
    assert formats.CSV().is_binary() and formats.CSV().get_read_mode() == "rb"
    assert formats.CSV().can_import() and formats.CSV().can_export()
