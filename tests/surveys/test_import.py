"""Import of raw responses: all or nothing, every problem by row and column, in Japanese."""

import io
from typing import cast

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl.worksheet.worksheet import Worksheet

from platform_site.lib.tabular import ImportRejected
from surveys.imports import import_apply, import_plan
from surveys.models import Response, SurveyChange, Tally

from .helpers import HEADER, add_own_questions, csv_bytes, make_survey

GOOD = [["1", "郵送", 5, 4, 4, 4, 4, 1, 1], ["2", "WEB", 1, 1, 1, 1, 2, 2, 2]]


@pytest.fixture
def survey(platform_a):
    survey = make_survey(platform_a)
    add_own_questions(survey)
    return survey


def _rejected(survey, data, filename="r.csv") -> list[str]:
    with pytest.raises(ImportRejected) as info:
        import_apply(survey=survey, actor=None, data=data, filename=filename)
    assert Response.objects.filter(survey=survey).count() == 0
    assert not Tally.objects.filter(survey=survey).exists()
    assert not SurveyChange.objects.filter(action="surveys.responses.imported").exists()
    return info.value.problems


def test_a_clean_cp932_file_is_imported_with_own_answers(survey):
    header = [*HEADER, "q_trust", "q_free"]
    rows = [[*GOOD[0], 1, "髙橋さん①に相談した"], [*GOOD[1], "", ""]]
    plan = import_apply(survey=survey, actor=None, data=csv_bytes([header, *rows], "cp932"), filename="r.csv")
    assert plan.encoding == "cp932"
    assert Response.objects.filter(survey=survey).count() == 2
    first = Response.objects.get(survey=survey, respondent_id="1")
    assert first.own == {"q_trust": 1, "q_free": "髙橋さん①に相談した"}
    assert Response.objects.get(survey=survey, respondent_id="2").own == {}
    assert SurveyChange.objects.get(action="surveys.responses.imported").data == {
        "rows": 2,
        "replaced": 0,
        "encoding": "cp932",
    }


def test_reimport_replaces_previous_responses(survey):
    import_apply(survey=survey, actor=None, data=csv_bytes([HEADER, *GOOD]), filename="r.csv")
    plan = import_apply(survey=survey, actor=None, data=csv_bytes([HEADER, GOOD[0]]), filename="r.csv")
    assert plan.replaced == 2
    assert list(Response.objects.filter(survey=survey).values_list("respondent_id", flat=True)) == ["1"]


def test_unknown_code(survey):
    problems = _rejected(survey, csv_bytes([HEADER, GOOD[0], ["2", "WEB", 7, 1, 1, 1, 2, 2, 2]]))
    assert problems == [
        "3行目 C列（direct）: 「7」は回答コードにありません（1、2、3、4、5、空欄または「無回答」＝無回答）。"
    ]


def test_out_of_range_value(survey):
    header = [*HEADER, "q_people"]
    problems = _rejected(survey, csv_bytes([header, [*GOOD[0], 21], [*GOOD[1], "abc"]]))
    assert problems == [
        "2行目 J列（q_people）: 「21」は範囲外です（0～20）。",
        "3行目 J列（q_people）: 「abc」は整数ではありません。",
    ]


def test_unknown_column(survey):
    problems = _rejected(survey, csv_bytes([[*HEADER, "q_unknown"], [*GOOD[0], 1]]))
    assert problems == ["1行目 J列「q_unknown」: この調査にない列です（列名は設問コードにしてください）。"]


def test_missing_required_column(survey):
    header = [c for c in HEADER if c != "ucla_2"]
    rows = [[v for c, v in zip(HEADER, row, strict=True) if c != "ucla_2"] for row in GOOD]
    problems = _rejected(survey, csv_bytes([header, *rows]))
    assert problems == ["必須の列「ucla_2」（UCLA孤独感尺度 2（取り残されている））がありません。"]


@pytest.mark.parametrize("encoding", ["euc-jp", "utf-16"])
def test_wrong_encoding(survey, encoding):
    header = [*HEADER, "q_free"]
    data = csv_bytes([header, [*GOOD[0], "地域の見守り活動に参加したい"]], encoding)
    problems = _rejected(survey, data)
    assert len(problems) == 1 and ("文字コード" in problems[0] or "読み取れません" in problems[0])


def test_duplicated_respondent_id(survey):
    problems = _rejected(survey, csv_bytes([HEADER, GOOD[0], GOOD[1], ["1", "", 1, 1, 1, 1, 1, 1, 1]]))
    assert problems == ["4行目 A列（respondent_id）: 回答者ID「1」は2行目と重複しています。"]


def test_every_problem_is_listed_by_row_and_column_and_the_list_is_bounded(survey, settings):
    settings.IMPORT_MAX_PROBLEMS = MAX_PROBLEMS = 100
    rows = [[str(i), "FAX", 9, 9, 1, 1, 1, 1, 1] for i in range(200)]
    plan = import_plan(survey=survey, data=csv_bytes([HEADER, *rows]), filename="r.csv")
    assert len(plan.problems) == MAX_PROBLEMS
    assert plan.more_problems == 600 - MAX_PROBLEMS
    assert plan.problems[0] == "2行目 B列（channel）: 「FAX」は回答方法にありません（郵送 または WEB）。"
    assert plan.all_problems.more == 500 and plan.all_problems.total == 600


def test_xlsx_with_numbers_and_full_width_codes(survey):
    from openpyxl import Workbook

    wb = Workbook()
    ws = cast(Worksheet, wb.active)
    ws.append(HEADER)
    ws.append([1001, "ＷＥＢ", "５", 4.0, 4, 4, 4, 1, 1])
    out = io.BytesIO()
    wb.save(out)
    import_apply(survey=survey, actor=None, data=out.getvalue(), filename="r.xlsx")
    response = Response.objects.get(survey=survey)
    assert (response.respondent_id, response.channel, response.direct, response.ucla_score) == (
        "1001",
        "web",
        5,
        12,
    )


def test_management_command(survey, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes([HEADER, *GOOD], "cp932"))
    out = io.StringIO()
    call_command("import_responses", "--survey", str(survey.pk), str(path), stdout=out)
    assert "2" in out.getvalue()
    assert Response.objects.filter(survey=survey).count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADER, ["1", "", 8, 1, 1, 1, 1, 1, 1]]))
    with pytest.raises(CommandError) as info:
        call_command("import_responses", "--survey", str(survey.pk), str(bad))
    assert "2行目 C列（direct）" in str(info.value)
    assert Response.objects.filter(survey=survey).count() == 2


def test_template_has_the_codes_and_a_sheet_of_answers(survey, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    call_command("survey_template", "--survey", str(survey.pk), "--output", str(path), stdout=io.StringIO())
    wb = load_workbook(path)
    header = [c.value for c in wb["回答"][1]]
    assert header[:6] == ["respondent_id", "channel", "direct", "ucla_1", "ucla_2", "ucla_3"]
    assert header[-3:] == ["q_trust", "q_people", "q_free"]
    codes = [[c.value for c in row] for row in wb["コード表"].iter_rows(min_row=2)]
    assert [
        "direct",
        "孤独感（直接質問）",
        "あなたはどの程度、孤独であると感じることがありますか。",
        "選択（コード）",
        5,
        "しばしばある・常にある",
    ] in codes
    assert any(r[0] == "ucla_3" and r[4] == 4 and r[5] == "常にある" for r in codes)
    assert any(r[0] == "q_people" and r[4] == "0～20" for r in codes)
    # the blank template, filled in, imports
    ws = wb["回答"]
    ws.append(["1", "郵送", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, "", ""])
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    import_apply(survey=survey, actor=None, data=filled.read_bytes(), filename="filled.xlsx")
    assert Response.objects.get(survey=survey).ucla_score == 3


def test_survey_results_command_prints_the_json_object(survey):
    import json

    import_apply(survey=survey, actor=None, data=csv_bytes([HEADER, *GOOD]), filename="r.csv")
    out = io.StringIO()
    call_command("survey_results", "--survey", str(survey.pk), "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["responses"] == 2
    assert data["response_rate_pct"] == 2.0
    assert data["items"]["direct"] == {
        "n": 2,
        "counts": {
            "決してない": 1,
            "ほとんどない": 0,
            "たまにある": 0,
            "時々ある": 0,
            "しばしばある・常にある": 1,
            "無回答": 0,
        },
        "pct": {
            "決してない": 50.0,
            "ほとんどない": 0.0,
            "たまにある": 0.0,
            "時々ある": 0.0,
            "しばしばある・常にある": 50.0,
            "無回答": 0.0,
        },
    }
    assert data["ucla_bands"] == {"3": 50.0, "4-6": 0.0, "7-9": 0.0, "10-12": 50.0, "n_scored": 2}
