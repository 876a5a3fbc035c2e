"""The registry's Resource as the entry point: its dry run is the preview, its save step the bulk
writer; 和暦 dates read; all or nothing at the Resource itself; an unexpected error is not a bad file."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from orgs.imports import import_plan
from orgs.imports.resource import OrganisationImport
from orgs.models import Membership, Organisation, OrgChange
from orgs.resources import HEADERS, OrganisationResource
from platform_site.lib import columns
from platform_site.lib.formats import read_dataset
from tests import factories as f
from tests.orgs.files.builders import counts, csv_bytes, make_lists, row


@pytest.fixture
def lists(platform_a):
    make_lists(platform_a)
    return platform_a


def dataset(rows):
    return read_dataset(csv_bytes(rows), "m.csv")[0]


def test_the_dry_run_result_is_the_preview(lists, org_a):
    org_a.ref = "T-09"
    org_a.save()
    rows = [
        row(),
        row(**{"団体コード": "T-09", "団体名": org_a.name, "名称カナ": org_a.name_kana, "法人番号": ""}),
    ]
    data = csv_bytes(rows) + b",,\r\n"  # a blank line at the end: not a row
    before = counts()
    result = OrganisationImport(platform=lists).import_data(read_dataset(data, "m.csv")[0], dry_run=True)
    assert counts() == before
    assert (result.totals["new"], result.totals["update"], result.row_count) == (1, 1, 2)
    new, updated = result.creates[0], result.updates[0]
    assert (new.line, new.name, new.changes["name"]) == (2, "㈱髙橋こども食堂①", [None, "㈱髙橋こども食堂①"])
    assert updated.line == 3 and "phones" in updated.changes and "membership.joined_on" in updated.changes
    assert result.problems == []


def test_a_bad_row_at_the_resource_saves_nothing_even_without_the_service(lists):
    before = counts()
    result = OrganisationImport(platform=lists, lock=True).import_data(
        dataset([row(), row(**{"団体コード": "T-02", "団体名": "二", "参加状況": "保留"})]), dry_run=False
    )
    assert result.problems == [
        "3行目: 参加状況「保留」は 候補・打診済み・参加・退会 のどれかにしてください。"
    ]
    assert result.has_validation_errors() and counts() == before


def test_japanese_era_dates_are_read_and_exported_western(lists, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(
        csv_bytes(
            [
                row(
                    **{
                        "参加日": "令和5年(2023年)3月1日",
                        "内容確認日": "Ｒ７．３．１",
                        "退会日": "令和7年3月31日",
                        "参加状況": "退会",
                    }
                )
            ]
        )
    )
    call_command("import_orgs", str(path), "--platform", "a-city", stdout=io.StringIO())
    member = Membership.objects.get(organisation__ref="T-01")
    assert (member.joined_on, member.left_on) == (dt.date(2023, 3, 1), dt.date(2025, 3, 31))
    assert member.organisation.verified_on == dt.date(2025, 3, 1)
    out = tmp_path / "out.csv"
    call_command("export_orgs", "--platform", "a-city", "--output", str(out), stdout=io.StringIO())
    exported = out.read_bytes().decode("utf-8-sig")
    assert '"2023-03-01"' in exported and '"2025-03-31"' in exported


def test_an_era_date_outside_its_era_is_refused(lists):
    result = import_plan(
        platform=lists, data=csv_bytes([row(**{"参加日": "令和元年4月1日"})]), filename="m.csv"
    )
    assert result.problems == [
        "2行目: 参加日「令和元年4月1日」は令和にない日付です（令和は 2019-05-01 から）。"
    ]


def test_history_rows_keep_the_organisation_name(lists, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(csv_bytes([row()]))
    call_command("import_orgs", str(path), "--platform", "a-city", stdout=io.StringIO())
    change = OrgChange.objects.get(organisation__ref="T-01")
    assert change.organisation_name == "㈱髙橋こども食堂①"


def test_an_unexpected_error_is_raised_not_shown_as_a_bad_row(lists, monkeypatch):
    def broken(self, text):
        raise RuntimeError("bug")

    monkeypatch.setattr(columns.PostalCodeWidget, "convert", broken)
    with pytest.raises(RuntimeError, match="bug"):
        import_plan(platform=lists, data=csv_bytes([row()]), filename="m.csv")
    assert not Organisation.objects.filter(ref="T-01").exists()


def test_one_declaration_serves_both_directions():
    resource = OrganisationResource()
    assert tuple(resource.get_export_headers()) == HEADERS
    assert [c.column_name for c in resource.columns()] == list(HEADERS)
    assert {c.column_name for c in resource.columns() if c.required} == {"団体名", "名称カナ", "参加状況"}


def test_an_organisation_of_another_platform_with_the_same_name_is_not_touched(lists, platform_b):
    other = f.make_org(platform_b, name="㈱髙橋こども食堂①", name_kana="タカハシ")
    result = import_plan(platform=lists, data=csv_bytes([row(**{"団体コード": ""})]), filename="m.csv")
    assert (result.totals["new"], result.totals["update"]) == (1, 0)
    assert Organisation.objects.get(pk=other.pk).memberships.count() == 1
