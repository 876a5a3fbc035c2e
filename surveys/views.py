"""Survey screens: fetch through the permission helper, validate a form, call one service, redirect.

Results (aggregates, no raw rows) are open to every role of the platform; raw responses and free
text only to SURVEYS_RAW, and every view or export of them is logged (SurveyChange)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from platform_site.http import PlatformRequest
from platform_site.lib.japanese import fiscal_year_label
from platform_site.once import submit_once
from platform_site.permissions import platform_view

from . import events as ev
from . import exports, scoring, selectors, services
from .capabilities import SURVEYS_MANAGE, SURVEYS_RAW, SURVEYS_VIEW
from .charts import bars
from .forms import PublishedForm, QuestionForm, SurveyForm
from .items import NO_ANSWER
from .models import NationalSurvey, PublishedFigure, QuestionKind, Survey


def _survey(request: PlatformRequest, pk: int) -> Survey:
    """404 for another platform's survey (no leak that it exists)."""
    return get_object_or_404(Survey, pk=pk, platform=request.platform)


@platform_view(SURVEYS_VIEW)
def survey_list(request: PlatformRequest) -> HttpResponse:
    surveys = list(selectors.surveys_for(request.platform))
    return render(request, "surveys/survey_list.html", {"surveys": surveys})


@platform_view(SURVEYS_MANAGE)
@submit_once
def survey_create(request: PlatformRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survey = services.survey_create(platform=request.platform, actor=request.user, data=form.cleaned_data)
        messages.success(request, _("調査を登録しました。"))
        return redirect("surveys:detail", request.platform.slug, survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "title": _("調査を登録する")})


@platform_view(SURVEYS_MANAGE)
def survey_edit(request: PlatformRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        services.survey_update(survey=survey, actor=request.user, data=form.cleaned_data)
        messages.success(request, _("調査の情報を保存しました。"))
        return redirect("surveys:detail", request.platform.slug, survey.pk)
    return render(
        request,
        "surveys/survey_form.html",
        {"form": form, "title": _("調査の情報を編集する"), "survey": survey},
    )


def _national_choice(
    request: PlatformRequest, survey: Survey
) -> tuple[list[NationalSurvey], NationalSurvey | None]:
    nationals = selectors.national_surveys()
    chosen = request.GET.get("national", "")
    picked = next((n for n in nationals if str(n.year) == chosen), None)
    return nationals, picked or selectors.default_national(survey, nationals)


def results_context(survey: Survey, national: NationalSurvey | None) -> dict[str, Any]:
    questions = selectors.questions_of(survey)
    results = selectors.survey_results(survey, questions)
    published = selectors.published_of(survey)
    comparison = selectors.comparison(survey, national, results, published) if national else None
    charts = {
        item.code: bars([(r.label, r.pct) for r in item.rows])
        for item in results.items
        if item.kind == QuestionKind.CHOICE and results.responses
    }
    if results.ucla_bands:
        charts["ucla"] = bars([(r.label, r.pct) for r in results.ucla_bands])
    if comparison:
        charts["national_direct"] = bars(
            [(r.label, r.local) for r in comparison["direct"] if r.label != NO_ANSWER],
            compare=[r.national for r in comparison["direct"] if r.label != NO_ANSWER],
        )
        if comparison["ucla"]:
            charts["national_ucla"] = bars(
                [(r.label, r.local) for r in comparison["ucla"]],
                compare=[r.national for r in comparison["ucla"]],
            )
    return {
        "survey": survey,
        "fiscal_year_label": fiscal_year_label(survey.fiscal_year),
        "questions": questions,
        "results": results,
        "published": published,
        "comparison": comparison,
        "charts": charts,
        "published_groups": [
            {
                "item": item,
                "figures": figures,
                "pct_sum": scoring.pct_sum([f.pct for f in figures])
                if any(f.pct is not None for f in figures)
                else None,
            }
            for item, figures in published.items()
        ],
        "item_charts": [{"item": item, "chart": charts.get(item.code)} for item in results.items],
    }


@platform_view(SURVEYS_VIEW)
def survey_detail(request: PlatformRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    nationals, national = _national_choice(request, survey)
    context = results_context(survey, national) | {"nationals": nationals, "national": national}
    return render(request, "surveys/survey_detail.html", context)


@platform_view(SURVEYS_VIEW)
def results_xlsx(request: PlatformRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    _nationals, national = _national_choice(request, survey)
    context = results_context(survey, national)
    content = exports.results_xlsx(context["results"], context["comparison"])
    with transaction.atomic():
        ev.log(survey=survey, actor=request.user, action=ev.RESULTS_EXPORTED, data={"format": "xlsx"})
    return _download(content, exports.XLSX, f"survey-{survey.pk}-results.xlsx")


@platform_view(SURVEYS_VIEW)
def report_pdf(request: PlatformRequest, pk: int) -> HttpResponse:
    from .report import report_pdf_bytes

    survey = _survey(request, pk)
    _nationals, national = _national_choice(request, survey)
    content = report_pdf_bytes(results_context(survey, national) | {"platform": request.platform})
    with transaction.atomic():
        ev.log(survey=survey, actor=request.user, action=ev.RESULTS_EXPORTED, data={"format": "pdf"})
    return _download(content, "application/pdf", f"survey-{survey.pk}-report.pdf")


def published_line(f: PublishedFigure) -> str:
    """A stored figure as the line the form reads back."""
    pct = "" if f.pct is None else str(f.pct.normalize())
    count = "" if f.count is None else str(f.count)
    if f.item in ("direct", "ucla"):
        return f"{f.item} {f.key} {pct}" + (f" {count}" if count else "")
    return f"{f.item} | {f.label} | {pct} | {count}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@platform_view(SURVEYS_MANAGE)
@submit_once
def question_add(request: PlatformRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = QuestionForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.question_add(
            survey=survey,
            actor=request.user,
            code=data["code"],
            label=data["label"],
            text=data["text"],
            kind=data["kind"],
            choices=data.get("parsed_choices"),
            min_value=data.get("min_value"),
            max_value=data.get("max_value"),
            purpose=data.get("purpose") or "",
        )
        messages.success(request, _("設問を追加しました。"))
        return redirect("surveys:detail", request.platform.slug, survey.pk)
    return render(request, "surveys/question_form.html", {"form": form, "survey": survey})


@platform_view(SURVEYS_MANAGE)
def published_edit(request: PlatformRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    initial = "\n".join(published_line(f) for f in survey.published.all())
    form = PublishedForm(request.POST or None, initial={"lines": initial})
    if request.method == "POST" and form.is_valid():
        services.published_figures_replace(
            survey=survey, actor=request.user, figures=form.cleaned_data["lines"]
        )
        messages.success(request, _("公表された集計値を保存しました。"))
        return redirect("surveys:detail", request.platform.slug, survey.pk)
    return render(request, "surveys/published_form.html", {"form": form, "survey": survey})


@platform_view(SURVEYS_MANAGE)
def template_download(request: PlatformRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    content = exports.template_xlsx(survey, selectors.questions_of(survey))
    return _download(content, exports.XLSX, exports.template_filename(survey))


@platform_view(SURVEYS_RAW)
def responses_list(request: PlatformRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    questions = selectors.questions_of(survey)
    rows = selectors.raw_responses(survey)
    with transaction.atomic():
        ev.log(survey=survey, actor=request.user, action=ev.RESPONSES_VIEWED, data={"shown": len(rows)})
    own = [q for q in questions if not q.standard]
    standard = [q for q in questions if q.standard]
    table = []
    for r in rows:
        cells = [getattr(r, q.code) for q in standard] + [(r.own or {}).get(q.code) for q in own]
        table.append({"response": r, "cells": cells})
    return render(
        request,
        "surveys/responses.html",
        {"survey": survey, "columns": standard + own, "table": table, "total": survey.responses.count()},
    )


@platform_view(SURVEYS_RAW)
def responses_csv(request: PlatformRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    content = exports.raw_csv(survey, selectors.questions_of(survey))
    with transaction.atomic():
        ev.log(survey=survey, actor=request.user, action=ev.RESPONSES_EXPORTED, data={"format": "csv"})
    return _download(content, "text/csv; charset=utf-8", f"survey-{survey.pk}-responses.csv")
