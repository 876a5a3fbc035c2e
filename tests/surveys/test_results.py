"""Results computed in the database: counts, 無回答, percentages, UCLA bands, cross-tabs, national
comparison."""

from decimal import Decimal

import pytest

from surveys.imports import import_apply
from surveys.models import NationalSurvey, Response
from surveys.selectors import comparison, default_national, published_of, survey_results
from surveys.services import published_figures_replace

from .helpers import HEADER, add_own_questions, csv_bytes, item, make_survey

ROWS = [
    # id, channel, direct, u1, u2, u3, age, sex, alone
    ["r1", "郵送", 5, 4, 4, 4, 4, 1, 1],  # 12
    ["r2", "WEB", 4, 3, 3, 3, 4, 2, 1],  # 9
    ["r3", "郵送", 1, 1, 1, 1, 2, 2, 2],  # 3
    ["r4", "郵送", 2, 2, 2, 1, 8, 1, 2],  # 5
    ["r5", "WEB", "", 1, "", 1, 8, 1, 1],  # direct 無回答; no score
    ["r6", "郵送", "無回答", 2, 2, 2, "", "", ""],  # 6
    ["r7", "", 3, "", "", "", 3, 2, 2],  # no score
    ["r8", "郵送", 1, 1, 2, 1, 2, 1, 2],  # 4
]


@pytest.fixture
def survey(platform_a):
    survey = make_survey(platform_a, sample_size=16)
    import_apply(survey=survey, actor=None, data=csv_bytes([HEADER, *ROWS]), filename="r.csv")
    return survey


def test_generated_ucla_score_is_null_unless_all_three_answered(survey):
    scores = dict(Response.objects.filter(survey=survey).values_list("respondent_id", "ucla_score"))
    assert scores == {"r1": 12, "r2": 9, "r3": 3, "r4": 5, "r5": None, "r6": 6, "r7": None, "r8": 4}


def test_counts_percentages_and_no_answer(survey):
    results = survey_results(survey)
    assert results.responses == 8
    assert results.response_rate_pct == Decimal("50.0")
    assert results.by_channel == {"mail": 5, "web": 2}
    direct = item(results, "direct")
    assert direct.n == 8
    counts = {r.label: r.count for r in direct.rows}
    assert counts == {
        "決してない": 2,
        "ほとんどない": 1,
        "たまにある": 1,
        "時々ある": 1,
        "しばしばある・常にある": 1,
        "無回答": 2,
    }
    pct = {r.label: r.pct for r in direct.rows}
    assert pct["決してない"] == Decimal("25.0")
    assert pct["無回答"] == Decimal("25.0")
    assert pct["ほとんどない"] == Decimal("12.5")
    assert direct.pct_sum == Decimal("100.0")


def test_ucla_bands_are_shares_of_the_scored(survey):
    results = survey_results(survey)
    assert results.n_scored == 6
    bands = {r.key: (r.count, r.pct) for r in results.ucla_bands}
    assert bands == {
        "3": (1, Decimal("16.7")),
        "4-6": (3, Decimal("50.0")),
        "7-9": (1, Decimal("16.7")),
        "10-12": (1, Decimal("16.7")),
    }
    assert sum((r.pct or Decimal(0) for r in results.ucla_bands), Decimal(0)) == Decimal(
        "100.1"
    )  # shown as is


def test_crosstab_direct_by_age_band_and_living_alone(survey):
    results = survey_results(survey)
    by_age = next(t for t in results.crosstabs if t.row_code == "age_band")
    forties = next(r for r in by_age.rows if r["label"] == "40～49歳")
    assert forties["n"] == 2
    assert [c for c, _p in forties["cells"]] == [0, 0, 0, 1, 1, 0]
    assert forties["cells"][4][1] == Decimal("50.0")
    assert any(r["label"] == "無回答" and r["n"] == 1 for r in by_age.rows)
    alone = next(t for t in results.crosstabs if t.row_code == "lives_alone")
    one = next(r for r in alone.rows if r["key"] == "1")
    assert one["n"] == 3 and one["cells"][4][0] == 1


def test_json_shape(survey):
    data = survey_results(survey).as_json()
    assert set(data) == {"responses", "response_rate_pct", "items", "ucla_bands"}
    assert data["responses"] == 8 and data["response_rate_pct"] == 50.0
    assert data["items"]["direct"]["counts"]["無回答"] == 2
    assert data["items"]["direct"]["pct"]["しばしばある・常にある"] == 12.5
    assert data["items"]["direct"]["n"] == 8
    assert data["ucla_bands"] == {"3": 16.7, "4-6": 50.0, "7-9": 16.7, "10-12": 16.7, "n_scored": 6}


def test_own_questions_counted_with_no_answer(platform_a):
    survey = make_survey(platform_a)
    add_own_questions(survey)
    header = [*HEADER, "q_trust", "q_people", "q_free"]
    rows = [
        ["a", "", 1, 1, 1, 1, 1, 1, 1, 1, 0, "ありがとう"],
        ["b", "", 1, 1, 1, 1, 1, 1, 1, 3, 2, ""],
        ["c", "", 1, 1, 1, 1, 1, 1, 1, "", "", "無回答"],
    ]
    import_apply(survey=survey, actor=None, data=csv_bytes([header, *rows]), filename="x.csv")
    survey.refresh_from_db()
    results = survey_results(survey)
    trust = item(results, "q_trust")
    assert {r.label: r.count for r in trust.rows} == {
        "そう思う": 1,
        "そう思わない": 0,
        "わからない": 1,
        "無回答": 1,
    }
    people = item(results, "q_people")
    assert {r.label: r.count for r in people.rows} == {"0": 1, "2": 1, "無回答": 1}
    free = item(results, "q_free")
    assert {r.label: r.count for r in free.rows} == {"記入あり": 1, "無回答": 2}
    assert "q_free" not in results.as_json()["items"]


def test_results_query_count_does_not_grow_with_responses(platform_a, django_assert_num_queries):
    survey = make_survey(platform_a)
    add_own_questions(survey)
    header = [*HEADER, "q_trust", "q_people", "q_free"]

    def load(n):
        rows = [[f"id{i}", "郵送", i % 5 + 1, i % 4 + 1, 1, 2, i % 8 + 1, 1, 1, 1, 2, "x"] for i in range(n)]
        import_apply(survey=survey, actor=None, data=csv_bytes([header, *rows]), filename="x.csv")

    load(10)
    survey.refresh_from_db()
    with django_assert_num_queries(3):  # questions, choices, stored counts
        survey_results(survey)
    with django_assert_num_queries(
        6
    ):  # live: questions, choices, one aggregate, the own answers, 2 cross-tabs
        survey_results(survey, live=True)
    load(300)
    with django_assert_num_queries(3):
        assert survey_results(survey).responses == 300
    with django_assert_num_queries(6):
        assert survey_results(survey, live=True).responses == 300


def test_stored_counts_equal_a_live_recount(survey):
    add_own_questions(survey)
    header = [*HEADER, "q_trust", "q_people", "q_free"]
    rows = [[*r, (i % 3) + 1 if i % 4 else "", i % 5, "x" if i % 2 else ""] for i, r in enumerate(ROWS)]
    import_apply(survey=survey, actor=None, data=csv_bytes([header, *rows]), filename="r.csv")
    survey.refresh_from_db()
    assert survey_results(survey).as_json() == survey_results(survey, live=True).as_json()
    stored = survey_results(survey)
    live = survey_results(survey, live=True)
    assert [(i.code, i.n, i.rows) for i in stored.items] == [(i.code, i.n, i.rows) for i in live.items]
    assert [t.rows for t in stored.crosstabs] == [t.rows for t in live.crosstabs]


def test_national_comparison_with_difference_in_points_and_caveat(platform_a):
    survey = make_survey(platform_a, title="愛媛県 地域の実態把握調査", method="web", sampling="open")
    published_figures_replace(
        survey=survey,
        actor=None,
        figures=[
            {"item": "direct", "key": "5", "pct": "7.5"},
            {"item": "direct", "key": "1", "pct": "13.8"},
            {"item": "ucla", "key": "10-12", "pct": "10.1"},
            {"item": "ucla", "key": "3", "pct": "8.9"},
        ],
    )
    nationals = list(NationalSurvey.objects.prefetch_related("figures"))
    national = default_national(survey, nationals)
    assert national is not None
    assert national.label == "令和3年"  # R4's top answer is not published
    result = comparison(survey, national, None, published_of(survey))
    top = result["direct"][0]
    assert (top.label, top.local, top.national, top.difference) == (
        "しばしばある・常にある",
        Decimal("7.5"),
        Decimal("4.5"),
        Decimal("3.0"),
    )
    never = next(r for r in result["direct"] if r.label == "決してない")
    assert never.difference == Decimal("-9.9")
    low = next(r for r in result["ucla"] if r.label == "3点")
    assert low.difference == Decimal("-9.6")
    assert len(result["differences"]) == 2  # method and sampling differ; age matches
    r5 = NationalSurvey.objects.get(year=2023)
    result5 = comparison(survey, r5, None, published_of(survey))
    assert result5["direct"][0].national == Decimal("4.8")
    assert result5["direct"][0].difference == Decimal("2.7")
