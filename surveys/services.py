"""Writes of the surveys app. Each is atomic and writes its SurveyChange in the same transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from platform_site.models import Platform

from . import events as ev
from .items import STANDARD_ITEMS
from .models import Choice, PublishedFigure, Question, QuestionKind, Survey, SurveyKind

SURVEY_FIELDS = (
    "fiscal_year",
    "kind",
    "title",
    "run_by",
    "contractor",
    "population",
    "min_age",
    "sampling",
    "sampling_note",
    "sample_size",
    "method",
    "responses_mail",
    "responses_web",
    "responses_published",
    "period_start",
    "period_end",
    "period_note",
    "event_ref",
    "note",
    "is_fictional",
)


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def add_standard_questions(survey: Survey) -> None:
    for order, item in enumerate(STANDARD_ITEMS, start=1):
        question = Question.objects.create(
            survey=survey,
            code=item.code,
            label=item.label,
            text=item.text,
            kind=QuestionKind.CHOICE,
            standard=True,
            order=order,
        )
        Choice.objects.bulk_create(
            Choice(question=question, value=v, label=label) for v, label in item.choices
        )


@transaction.atomic
def survey_create(*, platform: Platform, actor: Any, data: dict[str, Any]) -> Survey:
    survey = Survey(platform=platform, **{k: v for k, v in data.items() if k in SURVEY_FIELDS})
    survey.full_clean()
    survey.save()
    if survey.kind == SurveyKind.RESIDENT:
        add_standard_questions(survey)
    ev.log(
        survey=survey,
        actor=actor,
        action=ev.SURVEY_CREATED,
        data={k: _plain(getattr(survey, k)) for k in SURVEY_FIELDS if getattr(survey, k) not in ("", None)},
    )
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, actor: Any, data: dict[str, Any]) -> Survey:
    before = {k: _plain(getattr(survey, k)) for k in SURVEY_FIELDS}
    for key, value in data.items():
        if key in SURVEY_FIELDS and key != "kind":  # the kind decides the questions: fixed
            setattr(survey, key, value)
    survey.full_clean()
    survey.save()
    changes = {
        k: [before[k], _plain(getattr(survey, k))]
        for k in SURVEY_FIELDS
        if before[k] != _plain(getattr(survey, k))
    }
    if changes:
        ev.log(survey=survey, actor=actor, action=ev.SURVEY_UPDATED, data=changes)
    return survey


def parse_choices(text: str) -> list[tuple[int, str]]:
    """'1 はい\\n2 いいえ' → [(1, 'はい'), (2, 'いいえ')]; raises ValueError with a Japanese reason."""
    choices: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().replace("\u3000", " ")
        if not line:
            continue
        head, _sep, label = line.partition(" ")
        if not head.isdigit() or not label.strip():
            raise ValueError(
                _("%(row)s行目: 「コード 回答」の形で書いてください（例: 1 はい）。") % {"row": number}
            )
        value = int(head)
        if any(value == v for v, _label in choices):
            raise ValueError(
                _("%(row)s行目: コード %(code)s が重複しています。") % {"row": number, "code": value}
            )
        choices.append((value, label.strip()))
    return choices


@transaction.atomic
def question_add(
    *,
    survey: Survey,
    actor: Any,
    code: str,
    label: str,
    text: str,
    kind: str,
    choices: list[tuple[int, str]] | None = None,
    min_value: int | None = None,
    max_value: int | None = None,
    purpose: str = "",
) -> Question:
    order = (survey.questions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    question = Question(
        survey=survey,
        code=code,
        label=label,
        text=text,
        kind=kind,
        purpose=purpose,
        min_value=min_value,
        max_value=max_value,
        order=order,
    )
    question.full_clean()
    question.save()
    if kind == QuestionKind.CHOICE:
        Choice.objects.bulk_create(Choice(question=question, value=v, label=lb) for v, lb in choices or [])
    ev.log(survey=survey, actor=actor, action=ev.QUESTION_ADDED, data={"code": code, "kind": kind})
    return question


@transaction.atomic
def published_figures_replace(*, survey: Survey, actor: Any, figures: list[dict[str, Any]]) -> None:
    """Replace the published figures of a survey (item, key, label, pct, count, base) as written."""
    survey.published.all().delete()
    PublishedFigure.objects.bulk_create(
        PublishedFigure(
            survey=survey,
            item=f["item"],
            key=str(f["key"]),
            label=f.get("label") or str(f["key"]),
            pct=Decimal(str(f["pct"])) if f.get("pct") is not None else None,
            count=f.get("count"),
            base=f.get("base"),
            order=i,
        )
        for i, f in enumerate(figures)
    )
    ev.log(survey=survey, actor=actor, action=ev.PUBLISHED_UPDATED, data={"figures": len(figures)})
