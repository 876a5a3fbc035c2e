"""Survey responses: import of 7,000 respondents × 40 columns from a CP932 CSV (as Excel saves it),
and the results computed in the database at 700 and 7,000 respondents.

Figures: survey_import_7000_s (wall seconds of import_apply, file already in memory, counting
included), survey_results_7000_ms (best of 20 survey_results() calls, warm: the counts stored at
import), survey_results_live_7000_ms (best of 5 recounts from the responses, no target),
survey_results_queries_7000
and survey_results_queries_700 (queries of one survey_results() call), survey_page_7000_ms
(the results page through the test client as a secretariat, median of 10).

Targets (bench/run.py): survey_import_7000_s <= 5; survey_results_7000_ms <= 100;
survey_results_queries_7000 == survey_results_queries_700.
"""

from __future__ import annotations

import csv
import io
import json
import random
import statistics
import time

from _common import login_verified, peak_rss_mb, setup_django, timer

setup_django("surveys")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from platform_site.models import Platform, PlatformRole, Role  # noqa: E402
from surveys.imports import import_apply  # noqa: E402
from surveys.items import STANDARD_CODES  # noqa: E402
from surveys.models import Survey  # noqa: E402
from surveys.selectors import survey_results  # noqa: E402
from surveys.services import question_add, survey_create  # noqa: E402

OWN_CHOICE, OWN_NUMBER, OWN_TEXT = 25, 2, 2  # + respondent_id, channel and 9 national items = 40 columns
COMMENTS = [
    "近所の人と話す機会がほしい",
    "髙齢の母の介護で外出できない①",
    "相談窓口を知らなかった",
    "",
    "",
    "",
]


def make_survey(platform: Platform, title: str) -> Survey:
    survey = survey_create(
        platform=platform,
        actor=None,
        data={
            "fiscal_year": 2022,
            "kind": "resident",
            "title": title,
            "sample_size": 20_000,
            "method": "mixed",
        },
    )
    for i in range(OWN_CHOICE):
        question_add(
            survey=survey,
            actor=None,
            code=f"q{i:02d}",
            label=f"独自設問{i}",
            text=f"独自設問{i}",
            kind="choice",
            choices=[(v, f"回答{v}") for v in range(1, 6)],
        )
    for i in range(OWN_NUMBER):
        question_add(
            survey=survey,
            actor=None,
            code=f"n{i}",
            label="人数",
            text="人数",
            kind="number",
            min_value=0,
            max_value=20,
        )
    for i in range(OWN_TEXT):
        question_add(survey=survey, actor=None, code=f"t{i}", label="自由記述", text="ご意見", kind="text")
    return survey


def build_csv(rows: int, seed: int = 7000) -> bytes:
    rng = random.Random(seed)
    header = ["respondent_id", "channel", *STANDARD_CODES]
    header += [f"q{i:02d}" for i in range(OWN_CHOICE)] + [f"n{i}" for i in range(OWN_NUMBER)]
    header += [f"t{i}" for i in range(OWN_TEXT)]
    ranges = {
        "direct": 5,
        "ucla_1": 4,
        "ucla_2": 4,
        "ucla_3": 4,
        "age_band": 8,
        "sex": 3,
        "lives_alone": 2,
        "work": 6,
        "income": 9,
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for i in range(rows):
        row: list[object] = [f"R{i:06d}", rng.choice(["郵送", "郵送", "WEB"])]
        row += ["" if rng.random() < 0.02 else rng.randint(1, ranges[c]) for c in STANDARD_CODES]
        row += ["" if rng.random() < 0.03 else rng.randint(1, 5) for _ in range(OWN_CHOICE)]
        row += [rng.randint(0, 6) for _ in range(OWN_NUMBER)]
        row += [rng.choice(COMMENTS) for _ in range(OWN_TEXT)]
        writer.writerow(row)
    assert len(header) == 40
    return out.getvalue().encode("cp932")


def queries(survey: Survey) -> int:
    with CaptureQueriesContext(connection) as ctx:
        survey_results(survey)
    return len(ctx.captured_queries)


def main() -> None:
    platform = Platform.objects.create(
        slug="bench", name="ベンチ市PF", municipality="ベンチ市", secretariat="ベンチ市"
    )
    small = make_survey(platform, "700人")
    large = make_survey(platform, "7000人")
    import_apply(survey=small, actor=None, data=build_csv(700, seed=700), filename="small.csv")
    data = build_csv(7000)
    with timer() as t:
        import_apply(survey=large, actor=None, data=data, filename="large.csv")
    import_seconds = t.seconds
    results: dict[str, float] = {"survey_import_7000_s": round(import_seconds, 3)}
    results["survey_results_queries_700"] = queries(small)
    results["survey_results_queries_7000"] = queries(large)
    assert survey_results(large).responses == 7000
    times = []
    for _ in range(20):
        start = time.perf_counter()
        survey_results(large)
        times.append((time.perf_counter() - start) * 1000)
    results["survey_results_7000_ms"] = round(min(times), 2)
    results["survey_results_7000_median_ms"] = round(statistics.median(times), 2)
    live = []
    for _ in range(5):
        start = time.perf_counter()
        survey_results(large, live=True)
        live.append((time.perf_counter() - start) * 1000)
    results["survey_results_live_7000_ms"] = round(min(live), 2)

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("bench-secretariat", password="x")
    PlatformRole.objects.create(user=user, platform=platform, role=Role.SECRETARIAT)
    with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
        client = Client()
        login_verified(client, user)
        url = f"/p/{platform.slug}/surveys/{large.pk}/"
        assert client.get(url).status_code == 200
        page = []
        for _ in range(10):
            start = time.perf_counter()
            client.get(url)
            page.append((time.perf_counter() - start) * 1000)
    results["survey_page_7000_ms"] = round(statistics.median(page), 2)
    results["survey_import_7000_rss_mb"] = round(peak_rss_mb(), 1)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
