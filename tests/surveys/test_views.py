"""Survey screens through the client: results for every role, raw rows for staff only, logged."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.imports import import_apply
from surveys.models import Response, Survey, SurveyChange

from .helpers import HEADER, add_own_questions, csv_bytes, make_survey

ROWS = [
    ["1", "郵送", 5, 4, 4, 4, 4, 1, 1, 1, 2, "近所の人と話したい"],
    ["2", "WEB", 1, 1, 1, 1, 2, 2, 2, 2, 0, ""],
]


@pytest.fixture
def survey(platform_a):
    survey = make_survey(platform_a, sample_size=10)
    add_own_questions(survey)
    import_apply(
        survey=survey,
        actor=None,
        data=csv_bytes([[*HEADER, "q_trust", "q_people", "q_free"], *ROWS]),
        filename="r.csv",
    )
    return survey


def url(name, survey, **kw):
    return reverse(f"surveys:{name}", args=[survey.platform.slug, survey.pk]) + (
        "?" + "&".join(f"{k}={v}" for k, v in kw.items()) if kw else ""
    )


def test_results_page_for_a_coordinator_shows_aggregates_and_no_raw_rows(coordinator_a, survey):
    page = coordinator_a.get(url("detail", survey))
    assert page.status_code == 200
    html = page.content.decode()
    assert "しばしばある・常にある" in html and "<svg" in html
    assert "20.0%" in html  # response rate 2 / 10
    assert "近所の人と話したい" not in html
    assert reverse("surveys:responses", args=[survey.platform.slug, survey.pk]) not in html
    assert coordinator_a.get(url("responses", survey)).status_code == 403
    assert coordinator_a.get(url("responses-csv", survey)).status_code == 403


def test_national_year_can_be_chosen_and_the_caveat_shown(secretariat_a, survey):
    survey.method = "web"
    survey.save()
    html = secretariat_a.get(url("detail", survey, national=2023)).content.decode()
    assert "令和5年" in html and "4.8" in html
    assert "単純には比較できません" in html
    assert "回答方法（この調査: WEB／国: 併用（郵送・WEB））" in html


def test_raw_responses_are_logged(secretariat_a, survey):
    page = secretariat_a.get(url("responses", survey))
    assert page.status_code == 200 and "近所の人と話したい" in page.content.decode()
    csv_page = secretariat_a.get(url("responses-csv", survey))
    assert csv_page.content.startswith(b"\xef\xbb\xbf")
    assert "近所の人と話したい" in csv_page.content.decode("utf-8-sig")
    actions = list(SurveyChange.objects.filter(survey=survey).values_list("action", "actor__username"))
    assert ("surveys.responses.viewed", "secretariat_a") in actions
    assert ("surveys.responses.exported", "secretariat_a") in actions


def test_other_platform_gets_404(secretariat_b, survey):
    assert secretariat_b.get(url("detail", survey)).status_code == 404


def test_create_survey_adds_the_national_items(secretariat_a, platform_a):
    response = secretariat_a.post(
        reverse("surveys:create", args=[platform_a.slug]),
        {
            "fiscal_year": 2024,
            "kind": "resident",
            "title": "新しい調査",
            "sample_size": 1000,
            "method": "mail",
            "sampling": "register_random",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    survey = Survey.objects.get(title="新しい調査")
    assert list(survey.questions.values_list("code", flat=True)[:4]) == [
        "direct",
        "ucla_1",
        "ucla_2",
        "ucla_3",
    ]
    assert SurveyChange.objects.filter(
        survey=survey, action="surveys.survey.created", actor__username="secretariat_a"
    ).exists()


def test_upload_preview_then_confirm(secretariat_a, platform_a):
    survey = make_survey(platform_a)
    data = csv_bytes([HEADER, ["1", "郵送", 5, 4, 4, 4, 4, 1, 1]], "cp932")
    preview = secretariat_a.post(url("import", survey), {"file": SimpleUploadedFile("r.csv", data)})
    assert preview.status_code == 200
    assert "まだ何も保存していません" in preview.content.decode()
    assert Response.objects.filter(survey=survey).count() == 0
    token = preview.context["token"]
    done = secretariat_a.post(url("import-confirm", survey), {"token": token})
    assert done.status_code == 302
    assert Response.objects.filter(survey=survey).count() == 1
    again = secretariat_a.post(url("import-confirm", survey), {"token": token})  # single use
    assert again.status_code == 302 and Response.objects.filter(survey=survey).count() == 1


def test_upload_with_problems_says_why_and_saves_nothing(secretariat_a, platform_a):
    survey = make_survey(platform_a)
    data = csv_bytes([HEADER, ["1", "郵送", 6, 4, 4, 4, 4, 1, 1]])
    page = secretariat_a.post(url("import", survey), {"file": SimpleUploadedFile("r.csv", data)})
    html = page.content.decode()
    assert "2行目 C列（direct）" in html and "何も保存していません" in html
    assert Response.objects.filter(survey=survey).count() == 0


def test_question_add_and_published_entry(secretariat_a, platform_a):
    survey = make_survey(platform_a, title="愛媛県 地域の実態把握調査", method="web", sampling="open")
    r = secretariat_a.post(
        url("question-add", survey),
        {
            "code": "q_help",
            "label": "困っている人",
            "text": "あなたのまわりで困っている人がいますか",
            "kind": "choice",
            "choices": "1 いる\n2 いない\n3 わからない",
        },
    )
    assert r.status_code == 302
    assert list(survey.questions.get(code="q_help").choices.values_list("label", flat=True)) == [
        "いる",
        "いない",
        "わからない",
    ]
    bad = secretariat_a.post(
        url("question-add", survey), {"code": "direct", "label": "x", "text": "x", "kind": "text"}
    )
    assert bad.status_code == 200 and "使われています" in bad.content.decode()
    r = secretariat_a.post(
        url("published", survey),
        {
            "lines": "direct 5 7.5\ndirect 4 12.8\ndirect 3 24.3\ndirect 2 41.8\ndirect 1 13.8\nucla 10-12 10.1\nucla 3 8.9"
        },
    )
    assert r.status_code == 302
    html = secretariat_a.get(url("detail", survey, national=2021)).content.decode()
    assert "+3.0" in html and "-9.9" in html and "-9.6" in html
    assert "100.2" in html  # the five published direct answers add up to 100.2: shown as is
    bad = secretariat_a.post(url("published", survey), {"lines": "direct 6 7.5"})
    assert "登録できる回答ではありません" in bad.content.decode()


def test_exports(secretariat_a, coordinator_a, survey):
    xlsx = coordinator_a.get(url("results-xlsx", survey))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    template = secretariat_a.get(url("template", survey))
    assert template.status_code == 200
    assert coordinator_a.get(url("template", survey)).status_code == 403


def test_pdf_report(coordinator_a, survey):
    pdf = coordinator_a.get(url("report", survey))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_published_figures_of_any_question_as_written(secretariat_a, platform_a):
    survey = make_survey(
        platform_a, kind="event", title="講演会アンケート", sample_size=25, responses_published=19
    )
    lines = "満足度 | とてもよかった | | 8\n満足度 | よかった | | 8\n満足度 | 無回答 | | 2\n関心 | 高まった | 98 |"
    assert secretariat_a.post(url("published", survey), {"lines": lines}).status_code == 302
    figures = list(survey.published.values_list("item", "label", "pct", "count"))
    assert figures[0] == ("満足度", "とてもよかった", None, 8)
    assert ("関心", "高まった", Decimal("98.00"), None) in figures
    page = secretariat_a.get(url("published", survey)).content.decode()
    assert "満足度 | とてもよかった |  | 8" in page  # read back as entered
    html = secretariat_a.get(url("detail", survey)).content.decode()
    assert "76.0%" in html  # 19 of 25 as the report says (8 + 8 + 2 = 18 is kept as written)
    for bad, reason in (
        ("満足度 | よい", "の形で"),
        ("満足度 | よい | 120 |", "0～100"),
        ("満足度 | よい | | 2.5", "整数"),
    ):
        assert reason in secretariat_a.post(url("published", survey), {"lines": bad}).content.decode()


def _queries(client, address) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    return len(ctx.captured_queries)


def test_results_page_queries_do_not_grow_with_responses(
    secretariat_a, platform_a, django_assert_num_queries
):
    survey = make_survey(platform_a)
    add_own_questions(survey)
    header = [*HEADER, "q_trust", "q_people", "q_free"]

    def load(n):
        rows = [[f"id{i}", "WEB", i % 5 + 1, i % 4 + 1, 2, 2, i % 8 + 1, 1, 2, 1, 3, "x"] for i in range(n)]
        import_apply(survey=survey, actor=None, data=csv_bytes([header, *rows]), filename="r.csv")

    load(3)
    small = _queries(secretariat_a, url("detail", survey))
    load(400)
    with django_assert_num_queries(small):
        page = secretariat_a.get(url("detail", survey))
    assert "400" in page.content.decode()


def test_survey_list_queries_do_not_grow_with_surveys(secretariat_a, platform_a, django_assert_num_queries):
    make_survey(platform_a, title="一つ目")
    address = reverse("surveys:list", args=[platform_a.slug])
    one = _queries(secretariat_a, address)
    for i in range(5):
        make_survey(platform_a, title=f"調査{i}")
    with django_assert_num_queries(one):
        secretariat_a.get(address)


def test_exports_and_the_import_leave_nothing_in_the_temp_folder(secretariat_a, survey, temp_watch):
    for name in ("results-xlsx", "template", "responses-csv"):
        assert secretariat_a.get(url(name, survey)).status_code == 200
    data = csv_bytes([HEADER, ["9", "郵送", 5, 4, 4, 4, 4, 1, 1]])
    preview = secretariat_a.post(url("import", survey), {"file": SimpleUploadedFile("r.csv", data)})
    secretariat_a.post(url("import-confirm", survey), {"token": preview.context["token"]})
    assert temp_watch.opened == [] and temp_watch.files() == []
