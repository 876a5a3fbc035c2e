"""Membership over time: periods of membership and of PF role, the 年度 figures counted from them,
the same pipeline rules on the screen and in the import, the periods in the spreadsheets, the
history of every period change, and the migration that made periods of the old dates."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from orgs import selectors
from orgs.models import Membership, MembershipPeriod, OrgChange, PFRole, RolePeriod
from orgs.resources import EARLIER_SHEET, HEADERS
from tests import factories as f
from tests.conftest import TOKYO
from tests.orgs.files.builders import counts, csv_bytes, make_lists, row, table

pytestmark = pytest.mark.usefixtures("frozen_now")

R4, R5, R6 = 2022, 2023, 2024


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0), tzinfo=TOKYO), tick=False)


def membership_url(platform, org) -> str:
    return reverse("orgs:membership", args=[platform.slug, org.pk])


def pipeline_years(client, platform) -> dict[int, tuple[int, int, int]]:
    response = client.get(reverse("orgs:pipeline", args=[platform.slug]))
    return {y.year: (y.members_at_end, y.joined, y.left) for y in response.context["years"]}


def post_move(client, platform, org, **data) -> int:
    m = Membership.objects.get(platform=platform, organisation=org)
    base = {
        "status": m.status,
        "pf_role": m.pf_role,
        "source": m.source,
        "source_note": "",
        "note": "",
        "seen": m.updated_at.isoformat(),  # as a form opened now
    }
    if m.is_core:
        base["is_core"] = "on"
    return client.post(membership_url(platform, org), base | data).status_code


def test_joined_in_r4_left_in_r5_rejoined_in_r6_counts_at_the_end_of_r4_and_r6_only(
    secretariat_a, platform_a
):
    org = f.make_org(
        platform_a, name="再参加の会", name_kana="サイサンカノカイ", membership={"status": "candidate"}
    )
    with at(dt.date(2022, 10, 1)):
        assert post_move(secretariat_a, platform_a, org, status="member", joined_on="2022-10-01") == 302
    with at(dt.date(2023, 9, 30)):
        assert post_move(secretariat_a, platform_a, org, status="withdrawn", leave_reason="活動休止") == 302
    with at(dt.date(2024, 3, 1)):  # still in R5: before the re-join
        before = pipeline_years(secretariat_a, platform_a)
    assert before[R4] == (1, 1, 0) and before[R5] == (0, 0, 1)
    with at(dt.date(2024, 6, 1)):
        assert post_move(secretariat_a, platform_a, org, status="member") == 302
        after = pipeline_years(secretariat_a, platform_a)
    assert after[R4] == before[R4]  # re-joining changes no earlier year
    assert after[R5] == (0, 0, 1) and after[R6] == (1, 1, 0)
    periods = list(
        MembershipPeriod.objects.filter(membership__organisation=org).values_list("joined_on", "left_on")
    )
    assert periods == [(dt.date(2022, 10, 1), dt.date(2023, 9, 30)), (dt.date(2024, 6, 1), None)]
    m = Membership.objects.get(organisation=org)
    assert (m.status, m.joined_on, m.left_on) == ("member", dt.date(2024, 6, 1), None)
    for year, expected in ((R4, True), (R5, False), (R6, True)):
        members = selectors.members_at_fiscal_year_end(platform=platform_a, fiscal_year=year)
        assert members.filter(pk=m.pk).exists() is expected
    assert selectors.joined_in(platform=platform_a, fiscal_year=R6).filter(pk=m.pk).exists()
    assert selectors.left_in(platform=platform_a, fiscal_year=R5).filter(pk=m.pk).exists()
    assert not selectors.members_on(platform=platform_a, day=dt.date(2023, 9, 30)).exists()  # the day it left
    assert selectors.members_on(platform=platform_a, day=dt.date(2023, 9, 29)).exists()


def test_every_period_change_is_in_the_history(secretariat_a, platform_a):
    org = f.make_org(platform_a, membership={"status": "candidate"})
    with at(dt.date(2022, 10, 1)):
        post_move(secretariat_a, platform_a, org, status="member", joined_on="2022-10-01")
    with at(dt.date(2023, 9, 30)):
        post_move(secretariat_a, platform_a, org, status="withdrawn", leave_reason="活動休止")
    rows = list(OrgChange.objects.filter(organisation=org).order_by("at", "id"))
    assert rows[0].changes["membership.periods"] == [[], ["2022-10-01〜"]]
    assert rows[1].changes["membership.periods"] == [["2022-10-01〜"], ["2022-10-01〜2023-09-30（活動休止）"]]
    assert rows[1].changes["membership.role_periods"] == [
        ["参加団体 2022-10-01〜"],
        ["参加団体 2022-10-01〜2023-09-30"],
    ]
    page = secretariat_a.get(reverse("orgs:history", args=[platform_a.slug, org.pk])).content.decode()
    assert "参加期間" in page and "2022-10-01〜2023-09-30（活動休止）" in page


def test_a_role_change_starts_a_role_period_and_the_home_counts_core_members_on_the_day(
    secretariat_a, platform_a
):
    org = f.make_org(platform_a, membership={"joined_on": dt.date(2023, 3, 1), "is_core": True})
    with at(dt.date(2024, 4, 1)):
        code = post_move(
            secretariat_a,
            platform_a,
            org,
            pf_role=PFRole.SECRETARIAT,
            is_core="on",
            role_changed_on="2024-04-01",
        )
        assert code == 302
    spans = list(
        RolePeriod.objects.filter(membership__organisation=org).values_list(
            "pf_role", "started_on", "ended_on"
        )
    )
    assert spans == [
        ("member", dt.date(2023, 3, 1), dt.date(2024, 4, 1)),
        ("secretariat", dt.date(2024, 4, 1), None),
    ]
    counts_then = selectors.membership_counts(platform=platform_a, today=dt.date(2023, 2, 1))
    assert counts_then["members"] == 0 and counts_then["core"] == 0  # before it joined
    assert selectors.membership_counts(platform=platform_a, today=dt.date(2024, 5, 1))["core"] == 1
    home = secretariat_a.get(reverse("platform-home", args=[platform_a.slug]))
    assert home.status_code == 200


def test_the_screen_refuses_overlapping_periods(secretariat_a, platform_a):
    org = f.make_org(platform_a, membership={"joined_on": dt.date(2022, 4, 1)})
    with at(dt.date(2023, 6, 1)):
        post_move(secretariat_a, platform_a, org, status="withdrawn", left_on="2023-06-01")
    with at(dt.date(2024, 6, 1)):
        response = secretariat_a.post(
            membership_url(platform_a, org),
            {
                "status": "member",
                "pf_role": "member",
                "joined_on": "2023-01-01",
                "seen": Membership.objects.get(organisation=org).updated_at.isoformat(),
            },
        )
    assert response.status_code == 200
    assert "が重なっています" in response.content.decode()
    assert MembershipPeriod.objects.filter(membership__organisation=org).count() == 1


# --- the import and the export -------------------------------------------------------------


def run_import(tmp_path: Path, name: str, data: bytes) -> str:
    target = tmp_path / name
    target.write_bytes(data)
    out = io.StringIO()
    call_command("import_orgs", str(target), "--platform", "a-city", stdout=out)
    return out.getvalue()


def import_problems(tmp_path: Path, name: str, data: bytes) -> str:
    target = tmp_path / name
    target.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(Exception, match="取り込みを中止しました"):
        call_command("import_orgs", str(target), "--platform", "a-city", stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def export(tmp_path: Path, fmt: str) -> bytes:
    target = tmp_path / f"out.{fmt}"
    call_command(
        "export_orgs", "--platform", "a-city", "--format", fmt, "--output", str(target), stdout=io.StringIO()
    )
    return target.read_bytes()


def workbook(main: list[dict], earlier: list[list] | None) -> bytes:
    book = Workbook()
    for line in table(main):
        book.worksheets[0].append(line)
    if earlier is not None:
        sheet = book.create_sheet(EARLIER_SHEET)
        sheet.append(["団体コード", "団体名", "参加日", "退会日", "退会理由"])
        for line in earlier:
            sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def lists(platform_a):
    make_lists(platform_a)
    return platform_a


def periods_of(ref: str) -> list[tuple[dt.date, dt.date | None, str]]:
    return list(
        MembershipPeriod.objects.filter(membership__organisation__ref=ref)
        .order_by("joined_on")
        .values_list("joined_on", "left_on", "leave_reason")
    )


def test_a_csv_rejoin_keeps_the_period_before_it(lists, tmp_path):
    left = row(**{"参加状況": "退会", "参加日": "2022-10-01", "退会日": "2023-09-30", "退会理由": "活動休止"})
    run_import(tmp_path, "a.csv", csv_bytes([left]))
    rejoined = row(**{"参加状況": "参加", "参加日": "2024-06-01", "退会日": "", "退会理由": ""})
    out = run_import(tmp_path, "b.csv", csv_bytes([rejoined]))
    assert "更新 1 件" in out and "参加期間" in out
    assert periods_of("T-01") == [
        (dt.date(2022, 10, 1), dt.date(2023, 9, 30), "活動休止"),
        (dt.date(2024, 6, 1), None, ""),
    ]
    figures = selectors.fiscal_year_figures(platform=lists, years=[R4, R5, R6])
    assert [figures[y]["members_at_end"] for y in (R4, R5, R6)] == [1, 0, 1]
    change = OrgChange.objects.filter(source=OrgChange.Source.IMPORT).order_by("-at", "-id").first()
    assert change is not None
    assert change.changes["membership.periods"][1] == ["2022-10-01〜2023-09-30（活動休止）", "2024-06-01〜"]


def test_the_xlsx_round_trip_with_earlier_periods_changes_nothing(lists, tmp_path):
    data = workbook(
        [
            row(**{"参加日": "2024-06-01"}),
            row(
                **{
                    "団体コード": "T-02",
                    "団体名": "みなみ",
                    "名称カナ": "ミナミ",
                    "法人番号": "",
                    "参加状況": "退会",
                    "参加日": "2021-04-01",
                    "退会日": "2022-03-31",
                }
            ),
        ],
        [
            ["T-01", "㈱髙橋こども食堂①", "2022-10-01", "2023-09-30", "活動休止"],
            ["T-01", "㈱髙橋こども食堂①", "2020-04-01", "2021-03-31", ""],
        ],
    )
    run_import(tmp_path, "seed.xlsx", data)
    assert len(periods_of("T-01")) == 3
    exported = export(tmp_path, "xlsx")
    book = load_workbook(io.BytesIO(exported))
    assert book.sheetnames == ["団体", EARLIER_SHEET]
    # the dates are date cells (Excel sorts and filters them as dates)
    earlier = [
        [v.date().isoformat() if isinstance(v, dt.datetime) else v for v in r]
        for r in book[EARLIER_SHEET].iter_rows(values_only=True)
    ]
    assert earlier[1:] == [
        ["T-01", "㈱髙橋こども食堂①", "2020-04-01", "2021-03-31", None],
        ["T-01", "㈱髙橋こども食堂①", "2022-10-01", "2023-09-30", "活動休止"],
    ]
    before = (counts(), periods_of("T-01"), periods_of("T-02"), list(RolePeriod.objects.values_list()))
    out = run_import(tmp_path, "roundtrip.xlsx", exported)
    assert "登録 0 件" in out and "更新 0 件" in out and "変更なし 2 件" in out
    after = (counts(), periods_of("T-01"), periods_of("T-02"), list(RolePeriod.objects.values_list()))
    assert after == before
    csv_out = run_import(tmp_path, "roundtrip.csv", export(tmp_path, "csv"))  # CSV: the latest period only
    assert "更新 0 件" in csv_out and periods_of("T-01") == before[1]


def test_the_second_sheet_edits_the_earlier_periods(lists, tmp_path):
    run_import(tmp_path, "seed.xlsx", workbook([row()], None))
    assert periods_of("T-01") == [(dt.date(2023, 3, 1), None, "")]
    out = run_import(
        tmp_path, "more.xlsx", workbook([row()], [["T-01", "", "2020-04-01", "2021-03-31", "移転"]])
    )
    assert "更新 1 件" in out
    assert periods_of("T-01")[0] == (dt.date(2020, 4, 1), dt.date(2021, 3, 31), "移転")
    run_import(tmp_path, "fewer.xlsx", workbook([row()], []))  # the sheet kept, its rows deleted
    assert periods_of("T-01") == [(dt.date(2023, 3, 1), None, "")]


def test_a_second_sheet_row_without_a_code_is_matched_by_name(lists, tmp_path):
    """The main sheet gives the organisation a 団体コード; a second-sheet row with that cell blank
    names it by 団体名, as the main sheet itself would match a row without a code."""
    name = row()["団体名"]
    out = run_import(
        tmp_path,
        "by-name.xlsx",
        workbook(
            [row()],
            [
                ["", name, "2020-04-01", "2021-03-31", "移転"],
                ["T-01", name, "2021-10-01", "2022-09-30", ""],
            ],
        ),
    )
    assert "登録 1 件" in out
    assert periods_of("T-01") == [
        (dt.date(2020, 4, 1), dt.date(2021, 3, 31), "移転"),
        (dt.date(2021, 10, 1), dt.date(2022, 9, 30), ""),
        (dt.date(2023, 3, 1), None, ""),
    ]
    # a name the main sheet does not have is refused with its line, and nothing is written
    problems = import_problems(
        tmp_path, "unknown.xlsx", workbook([row()], [["", "ない団体", "2019-04-01", "2019-09-30", ""]])
    )
    assert (
        f"「{EARLIER_SHEET}」シート 2行目: 団体名「ない団体」の団体が「団体」シートにありません。" in problems
    )
    assert len(periods_of("T-01")) == 3


def test_the_import_applies_the_pipeline_rules_with_row_numbers(lists, tmp_path):
    before = counts()
    problems = import_problems(
        tmp_path,
        "bad.xlsx",
        workbook(
            [
                row(**{"参加日": ""}),
                row(
                    **{
                        "団体コード": "T-02",
                        "団体名": "二",
                        "名称カナ": "ニ",
                        "法人番号": "",
                        "参加状況": "退会",
                        "退会日": "",
                    }
                ),
                row(
                    **{
                        "団体コード": "T-03",
                        "団体名": "三",
                        "名称カナ": "サン",
                        "法人番号": "",
                        "参加日": "2023-03-01",
                    }
                ),
            ],
            [
                ["T-03", "三", "2022-04-01", "2023-04-30", ""],
                ["T-99", "ない団体", "2020-04-01", "2021-03-31", ""],
                ["T-03", "三", "2019-04-01", "", ""],
            ],
        ),
    )
    assert "2行目: 「参加」の団体には参加日が必要です。" in problems
    assert "3行目: 「退会」の団体には退会日が必要です。" in problems
    assert "4行目: 参加期間「2022-04-01〜2023-04-30」と「2023-03-01〜」が重なっています。" in problems
    assert (
        f"「{EARLIER_SHEET}」シート 3行目: 団体コード「T-99」の団体が「団体」シートにありません。" in problems
    )
    assert f"「{EARLIER_SHEET}」シート 4行目: 退会日が空欄です" in problems
    assert counts() == before and not MembershipPeriod.objects.exists()


def test_a_period_that_ends_on_its_joining_day_is_refused_on_either_sheet(lists, tmp_path):
    """The day of leaving is no longer a member day: a period must end after it starts."""
    before = counts()
    problems = import_problems(
        tmp_path,
        "same-day.xlsx",
        workbook(
            [row(**{"参加状況": "退会", "参加日": "2024-06-01", "退会日": "2024-06-01"})],
            [["T-01", "", "2020-04-01", "2021-03-31", ""], ["T-01", "", "2022-04-01", "2022-04-01", ""]],
        ),
    )
    assert "2行目: 退会日（2024-06-01）は参加日（2024-06-01）より後の日付にしてください。" in problems
    assert (
        f"「{EARLIER_SHEET}」シート 3行目: 退会日（2022-04-01）は参加日（2022-04-01）より後の日付にしてください。"
        in problems
    )
    assert counts() == before and not MembershipPeriod.objects.exists()


def test_an_imported_status_move_follows_the_pipeline(lists, tmp_path):
    run_import(tmp_path, "seed.csv", csv_bytes([row()]))
    problems = import_problems(
        tmp_path, "back.csv", csv_bytes([row(**{"参加状況": "候補", "参加日": "", "退会日": ""})])
    )
    assert "2行目: 「参加」から「候補」には変更できません。" in problems


def test_the_export_headers_carry_the_reason_for_leaving():
    assert "退会理由" in HEADERS


# --- the migration ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_each_date_pair_into_a_period_and_loses_nothing():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("orgs", "0003_entry_checks")]
    executor.migrate(before)  # also unapplies what depends on the later registry migrations
    executor = MigrationExecutor(connection)
    old = executor.loader.project_state(list(executor.loader.applied_migrations)).apps
    Platform = old.get_model("platform_site", "Platform")
    Organisation = old.get_model("orgs", "Organisation")
    OldMembership = old.get_model("orgs", "Membership")
    platform = Platform.objects.create(slug="mig", name="移行PF", municipality="移行市", secretariat="課")
    rows = [
        ("member", dt.date(2022, 5, 1), None, True, "core"),
        ("withdrawn", dt.date(2022, 5, 1), dt.date(2024, 1, 31), False, "member"),
        ("candidate", None, None, False, "member"),
        ("withdrawn", None, dt.date(2023, 1, 1), False, "member"),  # declined before joining
    ]
    for i, (status, joined, left, core, role) in enumerate(rows):
        org = Organisation.objects.create(name=f"移行{i}", name_kana="イコウ", sort_key=f"イコウ{i}")
        OldMembership.objects.create(
            platform=platform,
            organisation=org,
            status=status,
            joined_on=joined,
            left_on=left,
            is_core=core,
            pf_role=role,
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    kept = list(
        Membership.objects.filter(platform__slug="mig")
        .order_by("organisation__name")
        .values_list("status", "joined_on", "left_on", "is_core", "pf_role")
    )
    assert kept == rows
    periods = list(
        MembershipPeriod.objects.filter(membership__platform__slug="mig")
        .order_by("membership__organisation__name")
        .values_list("joined_on", "left_on")
    )
    assert periods == [(dt.date(2022, 5, 1), None), (dt.date(2022, 5, 1), dt.date(2024, 1, 31))]
    roles = list(
        RolePeriod.objects.filter(membership__platform__slug="mig")
        .order_by("membership__organisation__name")
        .values_list("pf_role", "is_core", "started_on", "ended_on")
    )
    assert roles == [
        ("core", True, dt.date(2022, 5, 1), None),
        ("member", False, dt.date(2022, 5, 1), dt.date(2024, 1, 31)),
    ]
