"""The outreach app at scale: the platform dashboard with 100,000 cases and 2,000 events, and
the 試行的事業一覧 of a year with 2,000 trial projects as XLSX.

Figures: dashboard_queries_empty (an empty platform) and dashboard_queries (must be equal),
dashboard_ms (best CPU time of RUNS requests, ≤ 100; the median wall time beside it),
fy_report_2000_xlsx_s (≤ 1), plus the loading time for information.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import login_verified, peak_rss_mb, setup_django, timer  # noqa: E402

setup_django("outreach")

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import Case, CaseStatus, Handoff, Referral, ReferralStatus  # noqa: E402
from orgs.models import Membership, Organisation  # noqa: E402
from outreach.models import Contractor, Event, EventSession, EventType, Kpi  # noqa: E402
from platform_site.lib import japanese as jp  # noqa: E402
from platform_site.models import Platform, PlatformRole, Role  # noqa: E402

setup_test_environment()

RUNS = 30
BATCH = 5000
YEAR = jp.fiscal_year(timezone.localdate())


def make_platform(slug: str, staff: Any) -> tuple[Platform, list[Organisation], Client]:
    platform = Platform.objects.create(
        slug=slug, name=f"{slug}PF", municipality="ベンチ市", secretariat="福祉課"
    )
    orgs = [
        Organisation.objects.create(name=f"{slug}団体{i}", name_kana="ダンタイ", sort_key=f"ダンタイ{i:02}")
        for i in range(10)
    ]
    for i, org in enumerate(orgs):
        Membership.objects.create(
            platform=platform, organisation=org, status="member", joined_on=dt.date(YEAR - i % 4, 5, 1)
        )
    PlatformRole.objects.create(user=staff, platform=platform, role=Role.SECRETARIAT)
    client = Client()
    login_verified(client, staff)
    return platform, orgs, client


def add_cases(platform: Platform, orgs: list[Organisation], staff: Any, count: int) -> None:
    """Cases with one referral and one handoff each, spread over the last two years."""
    today, now = timezone.localdate(), timezone.now()
    with transaction.atomic():
        for lo in range(0, count, BATCH):
            hi = min(count, lo + BATCH)
            cases = Case.objects.bulk_create(
                Case(
                    platform=platform,
                    intake_date=today - dt.timedelta(days=i % 700),
                    person_name="（架空）",
                    situation="架空",
                    hardship_reason="架空",
                    willingness_reason="架空",
                    status=CaseStatus.ACTIVE,
                    referred_to=orgs[i % 10],
                    created_by=staff,
                )
                for i in range(lo, hi)
            )
            referrals = Referral.objects.bulk_create(
                Referral(
                    case=c,
                    platform=platform,
                    organisation=orgs[i % 10],
                    override_reason="ベンチ用",
                    sent_by=staff,
                    sent_at=now - dt.timedelta(days=(c.pk or 0) % 700),
                    status=ReferralStatus.ACCEPTED,
                )
                for i, c in enumerate(cases, start=lo)
            )
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {Handoff._meta.db_table} (case_id, referral_id, organisation_id, date, given,"
                    " quantity, noticed, report_to_city, recorded_by_id, recorded_at)"
                    " VALUES (%s, %s, %s, %s, '米', '', '', %s, %s, %s)",
                    [
                        (
                            r.case_id,
                            r.pk,
                            r.organisation_id,
                            today - dt.timedelta(days=r.pk % 700),
                            False,
                            staff.pk,
                            now,
                        )
                        for r in referrals
                    ],
                )


def add_events(platform: Platform, count: int, year: int) -> None:
    types = list(EventType.objects.filter(platform__isnull=True))
    contractor = Contractor.objects.create(platform=platform, name="ベンチ印刷", legal_form="株式会社")
    start, _end = jp.fiscal_year_bounds(year)
    with transaction.atomic():
        events = Event.objects.bulk_create(
            Event(
                platform=platform,
                fiscal_year=year,
                order=i,
                name=f"試行的事業{i} 孤独・孤立対策の研修会と相談会",
                event_type=types[i % len(types)],
                description="支援者向けの研修と、住民向けの相談会を行う。" * 3,
                purpose="支援者同士の連携強化と、相談先の周知。" * 2,
                date_start=start + dt.timedelta(days=i % 360),
                contractor=contractor,
                budget_yen=100_000 + i,
                budget_approx=i % 7 == 0,
                attendees_in_person=i % 90,
                results="参加者アンケートで満足度が高かった。" * 2,
            )
            for i in range(count)
        )
        EventSession.objects.bulk_create(
            EventSession(event=e, date=e.date_start or start, attendees=20) for e in events[::10]
        )
        Kpi.objects.bulk_create(
            Kpi(event=e, name="参加者数", unit="人", target=50, actual=40) for e in events
        )


def measure(client: Client, url: str) -> tuple[int, float, float]:
    for _ in range(3):
        client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    queries = len(ctx.captured_queries)
    cpu, wall = [], []
    for _ in range(RUNS):
        c0, t0 = time.process_time(), time.perf_counter()
        client.get(url)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - t0) * 1000)
    return queries, round(min(cpu), 2), round(statistics.median(wall), 2)


def main() -> None:
    staff = get_user_model().objects.create_user("bench-staff", password="x")
    empty, _orgs, client = make_platform("empty", staff)
    platform, orgs, client = make_platform("bench", staff)
    figures: dict[str, float] = {}
    dash = f"?year={YEAR}"
    figures["dashboard_queries_empty"], _, _ = measure(
        client, reverse("platform-dashboard", args=[empty.slug]) + dash
    )
    with timer() as load:
        add_cases(platform, orgs, staff, 100_000)
        add_events(platform, 2_000, YEAR)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    figures["outreach_load_s"] = round(load.seconds, 1)
    figures["dashboard_queries"], figures["dashboard_ms"], figures["dashboard_wall_ms"] = measure(
        client, reverse("platform-dashboard", args=[platform.slug]) + dash
    )
    xlsx = reverse("outreach:report-xlsx", args=[platform.slug, YEAR])
    client.get(xlsx)
    best = []
    for _ in range(3):
        with timer() as t:
            response = client.get(xlsx)
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
        best.append(t.seconds)
    figures["fy_report_2000_xlsx_s"] = round(min(best), 3)
    figures["outreach_rss_mb"] = round(peak_rss_mb(), 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
