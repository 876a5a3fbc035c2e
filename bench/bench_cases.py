"""Ledger list and case page at scale: 1,000 then 100,000 cases with 300,000 handoffs.

Figures: cases_list_queries_1k / _100k (must be equal), cases_list_ms_1k / _100k (100k within
1.5 × 1k), case_detail_queries (the same for a case with 3 and with 300 handoffs; the run fails
loudly otherwise), plus the inbox and the data-loading time for information.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import login_verified, peak_rss_mb, setup_django, timer  # noqa: E402

setup_django("cases")

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import Case, CaseStatus, Handoff, Referral, ReferralStatus  # noqa: E402
from orgs.models import Membership, Organisation  # noqa: E402
from platform_site.models import Platform, PlatformRole, Role  # noqa: E402

if TYPE_CHECKING:
    from django.contrib.auth.models import User

setup_test_environment()  # the test client's host, locmem email

RUNS = 40
BATCH = 5000


def make_world() -> tuple[Platform, list[Organisation], Client, Client, tuple[User, User, Platform]]:
    platform = Platform.objects.create(
        slug="bench", name="ベンチ市PF", municipality="ベンチ市", secretariat="福祉課"
    )
    other = Platform.objects.create(slug="other", name="他市PF", municipality="他市", secretariat="福祉課")
    orgs = [
        Organisation.objects.create(name=f"団体{i}", name_kana="ダンタイ", sort_key=f"ダンタイ{i:02}")
        for i in range(10)
    ]
    for org in orgs:
        Membership.objects.create(platform=platform, organisation=org, status="member")
    users = get_user_model().objects
    staff = users.create_user("bench-staff", password="x")
    coord = users.create_user("bench-coord", password="x")
    PlatformRole.objects.create(user=staff, platform=platform, role=Role.SECRETARIAT)
    PlatformRole.objects.create(user=coord, platform=platform, role=Role.COORDINATOR, organisation=orgs[0])
    secretariat, coordinator = Client(), Client()
    login_verified(secretariat, staff)
    login_verified(coordinator, coord)
    return platform, orgs, secretariat, coordinator, (staff, coord, other)


def add_cases(
    platform: Platform,
    other: Platform,
    orgs: list[Organisation],
    staff: User,
    coord: User,
    start: int,
    stop: int,
    handoffs_per_case: int,
) -> None:
    """Bulk rows: cases (one in ten in another platform), one accepted referral each, and handoffs."""
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        for lo in range(start, stop, BATCH):
            hi = min(stop, lo + BATCH)
            cases = Case.objects.bulk_create(
                [
                    Case(
                        platform=other if (i // 10) % 10 == 9 else platform,
                        intake_date=today - dt.timedelta(days=i % 700),
                        person_name="（架空）",
                        age=str(20 + i % 70),
                        sex="female" if i % 2 else "male",
                        situation="架空の相談内容",
                        hardship_reason="架空",
                        willingness_reason="架空",
                        status=CaseStatus.ACTIVE,
                        referred_to=orgs[i % 10],
                        last_handoff_on=today - dt.timedelta(days=i % 30),
                        next_handoff_due=today + dt.timedelta(days=15 - i % 30),
                        handoff_count=handoffs_per_case,
                        created_by=staff,
                    )
                    for i in range(lo, hi)
                ]
            )
            referrals = Referral.objects.bulk_create(
                [
                    Referral(
                        case=c,
                        platform_id=c.platform_id,
                        organisation_id=cast(int, c.referred_to_id),  # set just above
                        override_reason="ベンチ用",
                        sent_by=staff,
                        sent_at=now,
                        status=ReferralStatus.ACCEPTED,
                        responded_by=coord,
                        responded_at=now,
                    )
                    for c in cases
                ]
            )
            # Handoffs are the bulk of the rows: plain executemany is ~5× faster than model objects.
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {Handoff._meta.db_table} (case_id, referral_id, organisation_id, date, given, quantity,"
                    " noticed, report_to_city, recorded_by_id, recorded_at) VALUES (%s, %s, %s, %s, %s, '', '', %s, %s, %s)",
                    [
                        (
                            r.case_id,
                            r.pk,
                            r.organisation_id,
                            today - dt.timedelta(days=k * 10),
                            "米と缶詰",
                            False,
                            coord.pk,
                            now,
                        )
                        for r in referrals
                        for k in range(handoffs_per_case)
                    ],
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client: Client, url: str) -> tuple[int, float, float]:
    """Queries of one request; then, over RUNS requests after a warm-up, the best (lowest) CPU time
    of this process (the server: Django and SQLite run in it) and the median wall time.

    The best CPU time is the one compared with its target, as timeit does: on this 2-core machine
    shared with other jobs, medians moved by up to 2x between identical runs (the page's SQL takes
    under 1 ms; the rest is template rendering of the same 50 rows at 1k and at 100k), while the
    best time is what the code costs. The median wall time is reported beside it.
    """
    for _ in range(5):
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


def detail_queries(client: Client, platform: Platform, case: Case) -> int:
    url = reverse("cases:detail", kwargs={"platform": platform.slug, "pk": case.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def main() -> None:
    platform, orgs, secretariat, coordinator, (staff, coord, other) = make_world()
    list_url = reverse("cases:list", kwargs={"platform": platform.slug})
    figures: dict[str, float] = {}
    add_cases(platform, other, orgs, staff, coord, 0, 1_000, 3)
    figures["cases_list_queries_1k"], figures["cases_list_ms_1k"], figures["cases_list_wall_ms_1k"] = measure(
        secretariat, list_url
    )
    figures["cases_inbox_queries_1k"], figures["cases_inbox_ms_1k"], _ = measure(coordinator, list_url)
    few = Case.objects.filter(platform=platform).first()
    assert few is not None
    with timer() as load:
        add_cases(platform, other, orgs, staff, coord, 1_000, 100_000, 3)
    figures["cases_load_100k_s"] = round(load.seconds, 1)
    figures["cases_count"] = Case.objects.count()
    figures["handoffs_count"] = Handoff.objects.count()
    figures["cases_list_queries_100k"], figures["cases_list_ms_100k"], figures["cases_list_wall_ms_100k"] = (
        measure(secretariat, list_url)
    )
    figures["cases_inbox_queries_100k"], figures["cases_inbox_ms_100k"], _ = measure(coordinator, list_url)
    _, figures["cases_list_overdue_ms_100k"], _ = measure(secretariat, list_url + "?stale=overdue")
    # One case with 300 handoffs against one with 3: the case page must cost the same queries.
    many = Case.objects.filter(platform=platform).last()
    assert many is not None
    referral = many.referrals.get()
    Handoff.objects.bulk_create(
        [
            Handoff(
                case=many,
                referral=referral,
                organisation_id=referral.organisation_id,
                date=timezone.localdate() - dt.timedelta(days=k),
                given="米",
                recorded_by=coord,
            )
            for k in range(297)
        ]
    )
    figures["case_detail_queries"] = detail_queries(secretariat, platform, few)
    figures["case_detail_queries_300_handoffs"] = detail_queries(secretariat, platform, many)
    if figures["case_detail_queries"] != figures["case_detail_queries_300_handoffs"]:
        raise SystemExit("case page queries grow with handoffs")
    figures["cases_rss_mb"] = round(peak_rss_mb(), 1)
    print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
