"""Builders for survey tests: a resident survey through the service, and response files."""

from __future__ import annotations

import csv
import io
from typing import Any

from surveys.models import Survey, SurveyKind
from surveys.selectors import ItemResult, Results
from surveys.services import question_add, survey_create


def make_survey(platform, **kw: Any) -> Survey:
    data = {
        "fiscal_year": 2022,
        "kind": SurveyKind.RESIDENT,
        "title": "テスト市 孤独・孤立の実態調査",
        "sample_size": 100,
        "method": "mixed",
        "sampling": "register_random",
        "min_age": 16,
    } | kw
    return survey_create(platform=platform, actor=None, data=data)


def add_own_questions(survey: Survey) -> None:
    question_add(
        survey=survey,
        actor=None,
        code="q_trust",
        label="地域の人への信頼",
        text="あなたの地域の人々は、一般的に信用できると思いますか。",
        kind="choice",
        choices=[(1, "そう思う"), (2, "そう思わない"), (3, "わからない")],
        purpose="住民同士の信頼関係の状況を把握する",
    )
    question_add(
        survey=survey,
        actor=None,
        code="q_people",
        label="同居人数",
        text="同居人数",
        kind="number",
        min_value=0,
        max_value=20,
    )
    question_add(survey=survey, actor=None, code="q_free", label="自由記述", text="ご意見", kind="text")


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


HEADER = [
    "respondent_id",
    "channel",
    "direct",
    "ucla_1",
    "ucla_2",
    "ucla_3",
    "age_band",
    "sex",
    "lives_alone",
]


def item(results: Results, code: str) -> ItemResult:
    found = results.item(code)
    assert found is not None, code
    return found
