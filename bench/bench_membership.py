"""Members per 年度 over ten years (the pipeline screen's table, `orgs.selectors.membership_by_fiscal_year`)
with 100 and with 10,000 organisations, each with one to three membership periods (joins, leaves,
re-joins) spread over the ten years.

Figures: membership_fy_queries_100 and membership_fy_queries_10k (must be equal: the table is
counted in the database, not by reading the periods), membership_fy_ms_10k (median of 20 runs,
for information) and the loading time.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import time

from _common import setup_django, timer

setup_django("membership")

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from orgs.models import Membership, MembershipPeriod, MembershipStatus, Organisation  # noqa: E402
from orgs.selectors import membership_by_fiscal_year  # noqa: E402
from platform_site.lib import japanese as jp  # noqa: E402
from platform_site.models import MembershipTarget, Platform  # noqa: E402

TODAY = dt.date(2030, 6, 1)  # a fixed day: the figures do not depend on when the bench runs
FIRST_YEAR = jp.fiscal_year(TODAY) - 9  # ten 年度 up to the current one
rng = random.Random(2026)


def make_platform(slug: str, count: int) -> Platform:
    platform = Platform.objects.create(
        slug=slug,
        name=f"{slug}PF",
        municipality="ベンチ市",
        secretariat="福祉課",
        founded_on=jp.fiscal_year_bounds(FIRST_YEAR)[0],
    )
    MembershipTarget.objects.bulk_create(
        MembershipTarget(platform=platform, fiscal_year=y, target=10 + y - FIRST_YEAR)
        for y in range(FIRST_YEAR, FIRST_YEAR + 10)
    )
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(name=f"{slug}団体{i}", name_kana="ダンタイ", sort_key=f"ダンタイ{i:05}")
            for i in range(count)
        ],
        batch_size=2000,
    )
    members, spans = [], []
    for org in orgs:
        day = jp.fiscal_year_bounds(FIRST_YEAR)[0] + dt.timedelta(days=rng.randrange(0, 3 * 365))
        periods = []
        for _ in range(rng.randint(1, 3)):
            left = day + dt.timedelta(days=rng.randrange(200, 1200))
            periods.append((day, left if left < TODAY else None))
            if left >= TODAY:
                break
            day = left + dt.timedelta(days=rng.randrange(30, 400))
            if day >= TODAY:
                break
        status = MembershipStatus.MEMBER if periods[-1][1] is None else MembershipStatus.WITHDRAWN
        members.append(
            Membership(
                platform=platform,
                organisation=org,
                status=status,
                joined_on=periods[-1][0],
                left_on=periods[-1][1],
            )
        )
        spans.append(periods)
    members = Membership.objects.bulk_create(members, batch_size=2000)
    MembershipPeriod.objects.bulk_create(
        [
            MembershipPeriod(membership=m, joined_on=joined, left_on=left)
            for m, periods in zip(members, spans, strict=True)
            for joined, left in periods
        ],
        batch_size=2000,
    )
    return platform


def measure(platform: Platform) -> tuple[int, float, int]:
    membership_by_fiscal_year(platform=platform, today=TODAY)  # warm-up
    with CaptureQueriesContext(connection) as ctx:
        rows = membership_by_fiscal_year(platform=platform, today=TODAY)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        membership_by_fiscal_year(platform=platform, today=TODAY)
        times.append((time.perf_counter() - start) * 1000)
    assert len(rows) == 10, len(rows)
    return len(ctx.captured_queries), statistics.median(times), rows[-1].members_at_end


def main() -> None:
    with timer() as load:
        small = make_platform("small", 100)
        large = make_platform("large", 10_000)
    q100, ms100, _ = measure(small)
    q10k, ms10k, members = measure(large)
    print(f"10 年度: 100 orgs {q100} queries {ms100:.1f} ms; 10,000 orgs {q10k} queries {ms10k:.1f} ms")
    print(f"members at the end of the last 年度 (10,000 orgs): {members}")
    print(
        json.dumps(
            {
                "membership_fy_queries_100": q100,
                "membership_fy_queries_10k": q10k,
                "membership_fy_ms_100": round(ms100, 2),
                "membership_fy_ms_10k": round(ms10k, 2),
                "membership_load_10k_s": round(load.seconds, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
