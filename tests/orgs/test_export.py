"""Export: same columns as the import, CSV with BOM, formulas neutralised, and a round trip that
changes nothing; the download view checks ORGS_EXPORT and keeps a fixed query count."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from orgs.models import OrgChange, Phone
from orgs.resources import HEADERS
from tests import factories as f
from tests.orgs.files.builders import counts, csv_bytes, make_lists, row


@pytest.fixture
def registry(platform_a, org_a, other_org_a, platform_b, org_b, tmp_path):
    """Platform A with lists, two plain members and two imported ones; B's org must not leak."""
    make_lists(platform_a)
    data = csv_bytes(
        [
            row(),
            row(
                **{
                    "団体コード": "T-02",
                    "団体名": "みなみ相談室",
                    "名称カナ": "ミナミソウダンシツ",
                    "法人番号": "",
                    "参加状況": "退会",
                    "参加日": "2023-04-01",
                    "退会日": "2025-03-31",
                    "コアメンバー": "○",
                }
            ),
        ]
    )
    _import(data, "seed.csv", tmp_path)
    return platform_a


def _import(data: bytes, name: str, folder: Path) -> str:
    target = folder / name
    target.write_bytes(data)
    out = io.StringIO()
    call_command("import_orgs", str(target), "--platform", "a-city", stdout=out)
    return out.getvalue()


def _export(tmp_path: Path, fmt: str) -> bytes:
    target = tmp_path / f"out.{fmt}"
    call_command(
        "export_orgs", "--platform", "a-city", "--format", fmt, "--output", str(target), stdout=io.StringIO()
    )
    return target.read_bytes()


def test_csv_export_has_bom_the_import_headers_and_only_this_platform(registry, tmp_path):
    data = _export(tmp_path, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == HEADERS
    names = [r[1] for r in rows[1:]]
    assert sorted(names) == sorted(["あおぞら相談室", "みどり食堂", "㈱髙橋こども食堂①", "みなみ相談室"])
    by_name = {r[1]: dict(zip(HEADERS, r, strict=True)) for r in rows[1:]}
    imported = by_name["㈱髙橋こども食堂①"]
    assert imported["電話番号"] == "096-000-0001（LINE相談も可）; 090-0000-0002"
    assert imported["悩みのカテゴリ"] == "孤独・孤立、生活に困窮" and imported["LGBTQ+"] == "○"
    assert imported["参加状況"] == "参加" and imported["内容確認日"] == "2025-03-01"
    assert (
        by_name["みなみ相談室"]["退会日"] == "2025-03-31" and by_name["みなみ相談室"]["コアメンバー"] == "○"
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(registry, tmp_path, fmt):
    data = _export(tmp_path, fmt)
    before = counts()
    versions = dict(registry.memberships.values_list("organisation_id", "organisation__version"))
    out = _import(data, f"roundtrip.{fmt}", tmp_path)
    assert "登録 0 件" in out and "更新 0 件" in out and "変更なし 4 件" in out
    assert counts() == before
    assert dict(registry.memberships.values_list("organisation_id", "organisation__version")) == versions
    assert not OrgChange.objects.filter(action="orgs.organisation.updated").exists()


DANGEROUS = {
    "団体名": '=HYPERLINK("http://evil")',
    "受付時間": "+81 9:00",
    "所在地": "@SUM(1)",
    "支援・活動内容": "-1+1",
    "相談するとどうなるか": "\tタブ",
}


@pytest.fixture
def dangerous(registry):
    f.make_org(
        registry,
        ref="D-1",
        name=DANGEROUS["団体名"],
        name_kana="キケン",
        hours=DANGEROUS["受付時間"],
        address=DANGEROUS["所在地"],
        activity=DANGEROUS["支援・活動内容"],
        what_to_expect=DANGEROUS["相談するとどうなるか"],
    )
    Phone.objects.create(
        organisation_id=registry.memberships.get(organisation__ref="D-1").organisation_id,
        number="+81-96-000-0000",
    )
    return registry


def test_csv_export_neutralises_formula_cells(dangerous, tmp_path):
    rows = list(csv.reader(io.StringIO(_export(tmp_path, "csv").decode("utf-8-sig"), newline="")))
    cells = next(dict(zip(HEADERS, r, strict=True)) for r in rows[1:] if r[0] == "D-1")
    for header, value in DANGEROUS.items():
        assert cells[header] == "'" + value
    assert cells["電話番号"] == "'+81-96-000-0000"


def test_xlsx_export_neutralises_formula_cells(dangerous, tmp_path):
    sheet = load_workbook(io.BytesIO(_export(tmp_path, "xlsx"))).worksheets[0]
    rows = list(sheet.iter_rows())
    line = next(r for r in rows[1:] if r[0].value == "D-1")
    cells = {h: c for h, c in zip(HEADERS, line, strict=True)}
    for header, value in DANGEROUS.items():
        assert cells[header].value == "'" + value and cells[header].data_type == "s"
    assert all(c.data_type != "f" for r in rows for c in r)


def test_neutralised_cells_come_back_unchanged(dangerous, tmp_path):
    before = counts()
    out = _import(_export(tmp_path, "csv"), "danger.csv", tmp_path)
    assert "更新 0 件" in out and counts() == before


# --- the download view ---------------------------------------------------------------------


def url(platform, fmt: str = "csv") -> str:
    return reverse("orgs:export", args=[platform.slug]) + f"?format={fmt}"


def test_it_downloads_csv_and_xlsx(registry, secretariat_a):
    response = secretariat_a.get(url(registry))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="orgs-a-city-')
    assert response.content.startswith(b"\xef\xbb\xbf") and "㈱髙橋こども食堂①".encode() in response.content
    assert b"B\xe5\xb8\x82" not in response.content  # nothing of platform B ("B市…")
    response = secretariat_a.get(url(registry, "xlsx"))
    assert response.status_code == 200 and response.content.startswith(b"PK")


def test_it_keeps_a_fixed_number_of_queries(registry, secretariat_a, django_assert_num_queries):
    # session, user, 2FA device, platform, role; the registry's size (a large one goes to the
    # worker); then memberships+orgs, membership periods, phones, worry categories, activity
    # fields, languages — whatever the number of organisations.
    with django_assert_num_queries(12):
        assert secretariat_a.get(url(registry)).status_code == 200
    for i in range(10):
        f.make_org(registry, name=f"追加{i}", name_kana=f"ツイカ{i}")
    with django_assert_num_queries(12):
        assert secretariat_a.get(url(registry)).status_code == 200


def test_it_rejects_an_unknown_format(registry, secretariat_a):
    assert secretariat_a.get(url(registry, "pdf")).status_code == 400


def test_it_requires_login(registry, anon):
    assert anon.get(url(registry)).status_code == 302


def test_it_hides_other_platform(registry, secretariat_b):
    assert secretariat_b.get(url(registry)).status_code == 404


def test_it_requires_capability(registry, coordinator_a):
    assert coordinator_a.get(url(registry)).status_code == 403


def test_xlsx_export_survives_control_characters_already_saved(secretariat_a, platform_a, org_a):
    """XML cannot hold U+000B (Word's line break) and the like: openpyxl refused the whole
    workbook, so one pasted character made the secretariat's Excel export a 500."""
    org_a.activity = "食支援\x0bあり\x1b"
    org_a.save()
    response = secretariat_a.get(reverse("orgs:export", args=[platform_a.slug]), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.cell(row=2, column=HEADERS.index("支援・活動内容") + 1).value == "食支援あり"


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_the_export_honours_the_lists_filter(registry, secretariat_a):
    page = secretariat_a.get(reverse("orgs:list", args=[registry.slug]), {"q": "みなみ"}).text
    assert "format=xlsx&amp;q=%E3%81%BF%E3%81%AA%E3%81%BF" in page  # the buttons carry the filter
    sheet = _sheet(
        secretariat_a.get(
            reverse("orgs:export", args=[registry.slug]), {"format": "xlsx", "q": "みなみ"}
        ).content
    )
    names = [r[HEADERS.index("団体名")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["みなみ相談室"]
    everyone = _sheet(secretariat_a.get(url(registry, "xlsx")).content)
    assert everyone.max_row - 1 == 4  # no filter: the whole registry


def test_xlsx_dates_are_date_cells_with_fitted_widths_and_a_frozen_header(registry, secretariat_a):
    sheet = _sheet(secretariat_a.get(url(registry, "xlsx")).content)
    headers = [c.value for c in sheet[1]]
    joined = headers.index("参加日") + 1
    rows = {r[HEADERS.index("団体名")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    cell = rows["みなみ相談室"][joined - 1]
    assert cell.date().isoformat() == "2023-04-01"  # a real date, not the text "2023-04-01"
    assert sheet.cell(row=1, column=1).font.b
    assert sheet.freeze_panes == "A2"
    widths = {k: v.width for k, v in sheet.column_dimensions.items()}
    assert widths["B"] >= len("㈱髙橋こども食堂①") * 2  # the name column fits its longest name


def test_contact_persons_are_exported_only_when_asked_and_the_export_is_logged(
    registry, secretariat_a, org_a
):
    from orgs.models import ContactPerson

    ContactPerson.objects.create(organisation=org_a, name="架空 一郎", title="代表", phone="096-000-0001")
    plain = _sheet(secretariat_a.get(url(registry, "xlsx")).content)
    assert "担当者" not in [c.value for c in plain[1]]
    assert not OrgChange.objects.filter(action="orgs.export.contacts").exists()
    sheet = _sheet(
        secretariat_a.get(
            reverse("orgs:export", args=[registry.slug]), {"format": "xlsx", "contacts": "1"}
        ).content
    )
    headers = [c.value for c in sheet[1]]
    assert headers[-2:] == ["担当者", "担当者の連絡先"]
    rows = {r[HEADERS.index("団体名")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[org_a.name][-2:] == ("架空 一郎（代表）", "096-000-0001")
    logged = OrgChange.objects.get(action="orgs.export.contacts")
    assert logged.actor == secretariat_a.user and logged.changes["organisations"] == [None, 4]
