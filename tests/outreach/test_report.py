"""The 試行的事業一覧 in the browser: columns, order, budget total, who may open it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from outreach.models import Kpi
from tests.outreach.conftest import make_event

pytestmark = pytest.mark.django_db


def test_the_report_table_and_total(
    secretariat_a, platform_a, event_own, contractor_a, django_assert_max_num_queries
):
    survey = make_event(
        platform_a,
        name="孤独・孤立の実態調査",
        description="無作為抽出の郵送調査",
        purpose="全国と比べた状況の把握",
        period_note="12月発送準備 / 1月発送",
        contractor=contractor_a,
        budget_yen=1_200_000,
        budget_approx=True,
        results="回収率31.1%",
    )
    Kpi.objects.create(event=survey, name="回収数", unit="件", target=2000, actual=2179)
    make_event(platform_a, name="定例のPF会議", is_trial=False, budget_yen=5000)
    make_event(platform_a, name="前年度の事業", fiscal_year=2022, budget_yen=999)
    url = reverse("outreach:report", args=[platform_a.slug, 2023])
    with django_assert_max_num_queries(16):  # the events' three, the consultations' four, the page's
        response = secretariat_a.get(url)
    body = response.content.decode()
    for header in (
        "事業名称",
        "事業内容",
        "目的・期待効果・KPI",
        "実施時期",
        "発注先（予算）",
        "成果検証結果",
    ):
        assert header in body
    assert "令和5年度 試行的事業一覧" in body
    assert "令和5年12月14日" in body
    assert "株式会社ひかり印刷<br>（約1,200,000円）" in body
    assert "KPI: 回収数 2,000件" in body and "回収数: 2,179件" in body
    assert "約2,358,120円" in body  # 1,158,120 + 約1,200,000; not the meeting, not last year
    assert "定例のPF会議" not in body and "前年度の事業" not in body


def test_only_staff_open_the_report(coordinator_a, secretariat_b, platform_a):
    url = reverse("outreach:report", args=[platform_a.slug, 2023])
    assert coordinator_a.get(url).status_code == 403
    assert secretariat_b.get(url).status_code == 404


def test_sessions_print_each_date(secretariat_a, platform_a):
    event = make_event(platform_a, name="食のアウトリーチ支援", unit="households")
    event.sessions.create(date=dt.date(2023, 12, 10), applicants=140, attendees=138)
    event.sessions.create(date=dt.date(2023, 12, 17), applicants=80, attendees=80)
    body = secretariat_a.get(reverse("outreach:report", args=[platform_a.slug, 2023])).content.decode()
    assert "令和5年12月10日、令和5年12月17日" in body
    assert "12/10 申込 140世帯 参加 138世帯" in body
