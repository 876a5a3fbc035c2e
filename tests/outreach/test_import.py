"""Import of events from CSV/XLSX: all or nothing, problems by row in Japanese."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from outreach import events as ev
from outreach.imports import parse_year, parse_yen
from outreach.models import Contractor, Event, EventChange

pytestmark = pytest.mark.django_db

HEADER = "年度,事業コード,事業名称,種類,開始日,終了日,実施主体,発注先,予算,単位,参加数（対面）\n"


def post(client, platform, content: bytes, name="events.csv"):
    return client.post(
        reverse("outreach:import", args=[platform.slug]), {"file": SimpleUploadedFile(name, content)}
    )


def test_a_csv_in_cp932_is_imported(secretariat_a, platform_a, org_a):
    csv = (
        HEADER
        + '令和5年度,KIT-E12,支援現場見学バスツアー,バスツアー・現場見学,2023-12-14,,あおぞら相談室,北九州市社会福祉協議会,"1,158,120",人,23\n'
        + "2023,KUM-E10,活動実態調査,調査,令和5年10月15日,2023/11/30,事務局,九州みらい研究所,約120万円,,\n"
    )
    response = post(secretariat_a, platform_a, csv.encode("cp932"))
    assert response.status_code == 302, response.content.decode()[-3000:]
    tour = Event.objects.get(ref="KIT-E12")
    assert tour.organiser == org_a and tour.budget_yen == 1158120 and tour.attendees == 23
    survey = Event.objects.get(ref="KUM-E10")
    assert survey.budget_yen == 1_200_000 and survey.budget_approx
    assert survey.date_start == dt.date(2023, 10, 15) and survey.date_end == dt.date(2023, 11, 30)
    assert Contractor.objects.filter(platform=platform_a).count() == 2
    assert EventChange.objects.filter(action=ev.EVENT_IMPORTED).count() == 2
    # the same file again updates in place (nothing new)
    post(secretariat_a, platform_a, csv.replace(",23\n", ",25\n").encode("cp932"))
    assert Event.objects.count() == 2 and Event.objects.get(ref="KIT-E12").attendees == 25


def test_one_bad_row_rejects_the_whole_file(secretariat_a, platform_a):
    csv = (
        HEADER
        + "2023,A-1,正しい行,研修・講演,2023-06-01,,事務局,,,,\n"
        + "2023,A-2,,存在しない種類,2023-13-01,,知らない団体,,百万円,匹,-3\n"
        + "2023,A-1,重複,研修・講演,2022-06-01,,,,,,\n"
    )
    response = post(secretariat_a, platform_a, csv.encode("utf-8"))
    assert response.status_code == 400
    body = response.content.decode()
    for message in (
        "3行目: 「事業名称」が空です。",
        "3行目: 種類「存在しない種類」はありません。",
        "3行目: 開始日「2023-13-01」が日付として読めません",
        "3行目: 実施主体「知らない団体」は参加団体にありません",
        "3行目: 予算「百万円」が金額として読めません",
        "3行目: 単位「匹」は選べません",
        "3行目: 参加数（対面）「-3」は0以上の整数で入力してください。",
        "4行目: 開始日が令和5年度ではありません。",
        "4行目: 事業コード「A-1」が重複しています。",
        "1件も取り込んでいません",
    ):
        assert message in body, message
    assert not Event.objects.exists() and not EventChange.objects.exists()


def test_unknown_and_missing_columns(secretariat_a, platform_a):
    response = post(secretariat_a, platform_a, "事業名称,色\nx,赤\n".encode())
    body = response.content.decode()
    assert "1行目: 列「年度」がありません。" in body and "1行目: 列「色」は読み込めません。" in body


def test_an_xlsx_with_date_cells(secretariat_a, platform_a):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["年度", "事業名称", "種類", "開始日", "予算"])
    sheet.append([2023, "ノベルティ作成", "ノベルティ", dt.datetime(2023, 11, 13), 465000])
    buf = io.BytesIO()
    book.save(buf)
    response = post(secretariat_a, platform_a, buf.getvalue(), name="events.xlsx")
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.date_start == dt.date(2023, 11, 13) and event.budget_yen == 465000


def test_only_staff_import(coordinator_a, secretariat_b, platform_a):
    assert post(coordinator_a, platform_a, HEADER.encode()).status_code == 403
    assert post(secretariat_b, platform_a, HEADER.encode()).status_code == 404


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("約120万円", (1_200_000, True)),
        ("(1,158,120)", (1_158_120, False)),
        ("０", (0, False)),
        ("", (None, False)),
    ],
)
def test_parse_yen(raw, expected):
    assert parse_yen(raw) == expected


@pytest.mark.parametrize(
    "raw, year", [("令和5年度", 2023), ("R5", 2023), ("2023", 2023), ("令和元年度", 2019)]
)
def test_parse_year(raw, year):
    assert parse_year(raw) == year
