"""Staff list /p/<platform>/orgs/: query count at 100 and 10,000 organisations, and server time at
10,000 (median of 20 requests after warm-up, through the Django test client as a secretariat).

Targets (bench/run.py): orgs_list_queries_10k == orgs_list_queries_100; orgs_list_ms_10k <= 100.
"""

from __future__ import annotations

import json
import random
import statistics
import time

from _common import login_verified, setup_django

setup_django("orgs_list")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from orgs.models import Language, Membership, MembershipStatus, Organisation, WorryCategory  # noqa: E402
from platform_site.lib import japanese as jp  # noqa: E402
from platform_site.models import Platform, PlatformRole, Role  # noqa: E402

KANA = "アイウエオカキクケコガギグゲゴサシスセソタチツテトナニヌネノハヒフヘホバビブベボマミムメモヤユヨラリルレロワン"
rng = random.Random(2026)


def add_orgs(
    platform: Platform, start: int, count: int, categories: list[WorryCategory], languages: list[Language]
) -> None:
    """bulk_create organisations with a membership, two categories and sometimes a language."""
    orgs = []
    for i in range(start, start + count):
        kana = "".join(rng.choice(KANA) for _ in range(rng.randint(4, 10)))
        orgs.append(
            Organisation(
                name=f"団体{i:05d}",
                name_kana=kana,
                sort_key=jp.kana_sort_key(kana),
                legal_form="NPO法人",
                lgbtq_support=i % 7 == 0,
                public_listing=True,
            )
        )
    orgs = Organisation.objects.bulk_create(orgs, batch_size=1000)
    statuses = [MembershipStatus.MEMBER] * 6 + [MembershipStatus.CANDIDATE, MembershipStatus.CONTACTED]
    Membership.objects.bulk_create(
        [
            Membership(
                platform=platform, organisation=o, status=rng.choice(statuses), is_core=rng.random() < 0.05
            )
            for o in orgs
        ],
        batch_size=1000,
    )
    cat_through = Organisation.worry_categories.through
    cat_through.objects.bulk_create(
        [
            cat_through(organisation_id=o.pk, worrycategory_id=c.pk)
            for o in orgs
            for c in rng.sample(categories, 2)
        ],
        batch_size=2000,
    )
    lang_through = Organisation.languages.through
    lang_through.objects.bulk_create(
        [
            lang_through(organisation_id=o.pk, language_id=rng.choice(languages).pk)
            for o in orgs
            if rng.random() < 0.2
        ],
        batch_size=2000,
    )


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def median_ms(client: Client, url: str, runs: int = 20) -> tuple[float, float]:
    """Median wall time and median CPU time of this process per request, in ms.

    CPU time shows the cost when other processes compete for the two cores (wall time then
    includes waiting); with SQLite it includes the database work, with PostgreSQL it does not.
    """
    for _ in range(3):  # warm-up: templates, connection, caches
        client.get(url)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
    return round(statistics.median(wall), 2), round(statistics.median(cpu), 2)


@override_settings(ALLOWED_HOSTS=["testserver"])  # not setup_test_environment: its template hooks cost time
def main() -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)  # BENCH_DATABASE_URL may point at a used database

    platform = Platform.objects.create(
        slug="bench", name="ベンチ市PF", municipality="ベンチ市", secretariat="福祉課"
    )
    categories = [
        WorryCategory.objects.create(platform=platform, name=f"悩み{i}", order=i) for i in range(16)
    ]
    languages = [Language.objects.create(code=f"l{i}", name=f"言語{i}", order=i) for i in range(8)]
    user = get_user_model().objects.create_user(username="bench-secretariat", password="bench-password-123")
    PlatformRole.objects.create(user=user, platform=platform, role=Role.SECRETARIAT)
    client = Client()
    login_verified(client, user)
    url = f"/p/{platform.slug}/orgs/"

    add_orgs(platform, 0, 100, categories, languages)
    figures: dict[str, float] = {"orgs_list_queries_100": count_queries(client, url)}
    add_orgs(platform, 100, 9_900, categories, languages)
    with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum/ANALYZE would give
        cursor.execute("ANALYZE")
    figures["orgs_list_queries_10k"] = count_queries(client, url)
    figures["orgs_list_ms_10k"], figures["orgs_list_cpu_ms_10k"] = median_ms(client, url)
    figures["orgs_list_last_page_ms_10k"], _ = median_ms(client, url + "?page=200")
    figures["orgs_list_filtered_ms_10k"], _ = median_ms(
        client, url + f"?q=アイ&worry_category={categories[3].pk}"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
