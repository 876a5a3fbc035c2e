"""import_orgs: CP932 CSV and XLSX files go in whole, with history; existing entries are updated."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from orgs.models import Membership, MembershipSource, Organisation, OrgChange
from tests import factories as f
from tests.orgs.files.builders import (
    GOOD_NUMBER,
    corporate_number,
    counts,
    csv_bytes,
    make_lists,
    row,
    xlsx_bytes,
)


@pytest.fixture
def lists(platform_a):
    make_lists(platform_a)
    return platform_a


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_orgs", str(path), "--platform", "a-city", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_it_imports_a_cp932_csv_as_excel_saves_it(lists, tmp_path):
    data = csv_bytes(
        [
            row(),
            row(
                **{
                    "団体コード": "T-02",
                    "団体名": "みなみ相談室",
                    "名称カナ": "ミナミソウダンシツ",
                    "法人番号": "",
                    "電話番号": "",
                    "参加状況": "候補",
                    "参加日": "",
                    "LGBTQ+": "",
                }
            ),
        ]
    )
    assert b"\r\n" in data and "①".encode("cp932") in data and "髙".encode("cp932") in data
    out, _ = run(write(tmp_path, "meibo.csv", data))

    org = Organisation.objects.get(ref="T-01")
    assert org.name == "㈱髙橋こども食堂①"
    assert org.name_kana == "タカハシコドモショクドウ"  # hiragana read as katakana
    assert org.corporate_number == GOOD_NUMBER and org.lgbtq_support and org.public_listing
    assert org.activity == "子ども食堂と学習支援。\n月2回。"
    assert org.verified_on == dt.date(2025, 3, 1)
    assert [(p.number, p.note) for p in org.phones.all()] == [
        ("096-000-0001", "LINE相談も可"),
        ("090-0000-0002", ""),
    ]
    assert sorted(c.name for c in org.worry_categories.all()) == ["孤独・孤立", "生活に困窮"]
    assert [x.name for x in org.activity_fields.all()] == ["食支援"]
    assert sorted(lang.code for lang in org.languages.all()) == ["en", "zh"]
    member = Membership.objects.get(platform=lists, organisation=org)
    assert (member.status, member.joined_on, member.source) == (
        "member",
        dt.date(2023, 3, 1),
        MembershipSource.RESOURCE_SURVEY,
    )
    assert Membership.objects.get(organisation__ref="T-02").status == "candidate"
    history = OrgChange.objects.get(organisation=org)
    assert history.source == "import" and history.action == "orgs.organisation.created"
    assert (
        history.changes["name"] == [None, "㈱髙橋こども食堂①"]
        and history.changes["phones"][1][0] == "096-000-0001 LINE相談も可"
    )
    assert "登録 2 件" in out and "㈱髙橋こども食堂①" in out and "みなみ相談室" in out


def test_it_imports_an_xlsx_file(lists, tmp_path):
    run(
        write(
            tmp_path,
            "meibo.xlsx",
            xlsx_bytes([row(**{"参加日": dt.date(2024, 4, 1), "法人番号": int(GOOD_NUMBER)})]),
        )
    )
    org = Organisation.objects.get(ref="T-01")
    assert org.corporate_number == GOOD_NUMBER
    assert org.memberships.get().joined_on == dt.date(2024, 4, 1)
    assert OrgChange.objects.filter(organisation=org, source="import").count() == 1


def test_it_reads_utf8_with_and_without_bom(lists, tmp_path):
    run(write(tmp_path, "a.csv", b"\xef\xbb\xbf" + csv_bytes([row()], encoding="utf-8")))
    run(
        write(
            tmp_path,
            "b.csv",
            csv_bytes([row(**{"団体コード": "T-09", "団体名": "別の会"})], encoding="utf-8"),
        )
    )
    assert set(Organisation.objects.filter(ref__startswith="T-").values_list("name", flat=True)) == {
        "㈱髙橋こども食堂①",
        "別の会",
    }


def test_dry_run_saves_nothing(lists, tmp_path):
    before = counts()
    out, _ = run(write(tmp_path, "m.csv", csv_bytes([row()])), "--dry-run")
    assert counts() == before
    assert "登録予定 1 件" in out and "何も保存していません" in out


def test_it_updates_by_code_then_number_then_name_and_records_the_diff(lists, org_a, tmp_path):
    by_number = f.make_org(
        lists,
        name="旧名の会",
        name_kana="キュウメイノカイ",
        corporate_number=corporate_number("440005001111"),
    )
    by_name = f.make_org(lists, name="みどりの家", name_kana="ミドリノイエ")
    coded = f.make_org(lists, name="コード団体", name_kana="コードダンタイ", ref="T-50")
    rows = [
        row(
            **{
                "団体コード": "T-50",
                "団体名": "コード団体（新）",
                "名称カナ": "コードダンタイ",
                "法人番号": "",
            }
        ),
        row(
            **{
                "団体コード": "",
                "団体名": "新名の会",
                "名称カナ": "シンメイノカイ",
                "法人番号": by_number.corporate_number,
            }
        ),
        row(
            **{
                "団体コード": "",
                "団体名": "みどりの家",
                "名称カナ": "ミドリノイエ",
                "法人番号": "",
                "参加状況": "退会",
                "退会日": "2025-03-31",
            }
        ),
    ]
    out, _ = run(write(tmp_path, "u.csv", csv_bytes(rows)))
    assert "登録 0 件" in out and "更新 3 件" in out
    assert (
        "~ みどりの家（ホームページ、" in out
        and "、参加状況、参加日、退会日、参加の経緯、参加期間、PFでの役割の期間）" in out
    )
    coded.refresh_from_db()
    by_number.refresh_from_db()
    assert coded.name == "コード団体（新）" and coded.version == 2
    assert by_number.name == "新名の会"
    change = OrgChange.objects.get(organisation=by_name, action="orgs.organisation.updated")
    assert change.source == "import"
    assert change.changes["membership.status"] == ["member", "withdrawn"]
    assert change.changes["membership.left_on"] == [None, "2025-03-31"]
    assert Membership.objects.get(organisation=by_name).left_on == dt.date(2025, 3, 31)
    assert not OrgChange.objects.filter(organisation=org_a).exists()  # not in the file: untouched


def test_a_second_identical_import_changes_nothing(lists, tmp_path):
    path = write(tmp_path, "m.csv", csv_bytes([row()]))
    run(path)
    org = Organisation.objects.get(ref="T-01")
    before = counts()
    out, _ = run(path)
    assert counts() == before and "変更なし 1 件" in out
    org_after = Organisation.objects.get(pk=org.pk)
    assert (org_after.version, org_after.updated_at) == (org.version, org.updated_at)


def test_it_keeps_categories_another_platform_gave(lists, platform_b, tmp_path):
    run(write(tmp_path, "m.csv", csv_bytes([row()])))
    org = Organisation.objects.get(ref="T-01")
    other = f.make_category(platform_b, name="Bのカテゴリ")
    org.worry_categories.add(other)
    run(write(tmp_path, "m2.csv", csv_bytes([row(**{"悩みのカテゴリ": "外国語での相談"})])))
    assert sorted(c.name for c in org.worry_categories.all()) == ["Bのカテゴリ", "外国語での相談"]


def test_it_refuses_an_unknown_platform(tmp_path, db):
    with pytest.raises(CommandError, match="ありません"):
        run(write(tmp_path, "m.csv", csv_bytes([row()])))
