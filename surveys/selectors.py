"""Reads of the surveys app. Results are built from the counts `surveys.tally` computed in the
database at import (one query to read them), or recounted live from the responses; either way
the number of queries does not depend on how many people answered."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from platform_site.models import Platform

from . import scoring, tally
from .items import NO_ANSWER, STANDARD_BY_CODE, UCLA_BANDS
from .models import (
    Channel,
    Choice,
    NationalSurvey,
    PublishedFigure,
    Question,
    QuestionKind,
    Response,
    Survey,
)


@dataclass
class Row:
    key: str  # answer code as text, a band, or NO_ANSWER
    label: str
    count: int
    pct: Decimal | None


@dataclass
class ItemResult:
    code: str
    label: str
    text: str
    kind: str
    n: int
    rows: list[Row]
    standard: bool = False

    @property
    def pct_sum(self) -> Decimal:
        return scoring.pct_sum([r.pct for r in self.rows])


@dataclass
class CrossTab:
    row_code: str
    row_label: str
    columns: list[tuple[str, str]]  # (key, label) of the direct question, 無回答 last
    rows: list[dict[str, Any]]  # {"key", "label", "n", "cells": [(count, pct)]}


@dataclass
class Results:
    survey: Survey
    responses: int
    by_channel: dict[str, int]
    response_rate_pct: Decimal | None
    items: list[ItemResult] = field(default_factory=list)
    ucla_bands: list[Row] = field(default_factory=list)
    n_scored: int = 0
    crosstabs: list[CrossTab] = field(default_factory=list)

    def item(self, code: str) -> ItemResult | None:
        return next((i for i in self.items if i.code == code), None)

    def as_json(self) -> dict[str, Any]:
        def num(value: Decimal | None) -> float | None:
            return float(value) if value is not None else None

        items = {
            item.code: {
                "n": item.n,
                "counts": {r.label: r.count for r in item.rows},
                "pct": {r.label: num(r.pct) for r in item.rows},
            }
            for item in self.items
            if item.kind != QuestionKind.TEXT
        }
        bands: dict[str, Any] = {r.key: num(r.pct) for r in self.ucla_bands}
        bands["n_scored"] = self.n_scored
        return {
            "responses": self.responses,
            "response_rate_pct": num(self.response_rate_pct),
            "items": items,
            "ucla_bands": bands,
        }


def surveys_for(platform: Platform) -> QuerySet[Survey]:
    return Survey.objects.filter(platform=platform).annotate(raw_count=Count("responses"))


def questions_of(survey: Survey) -> list[Question]:
    return list(
        survey.questions.prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("value")))
    )


def survey_results(survey: Survey, questions: list[Question] | None = None, *, live: bool = False) -> Results:
    """The results from the stored counts (one query), or with ``live`` recounted from the responses."""
    questions = questions if questions is not None else questions_of(survey)
    counts = tally.count_live(survey, questions) if live else tally.stored(survey)
    return build_results(survey, questions, counts)


def _count_rows(choices: list[Choice], counts: tally.Counts, code: str, n: int) -> list[Row]:
    rows = []
    for c in choices:
        k = counts.get((code, str(c.value), ""), 0)
        rows.append(Row(str(c.value), c.label, k, scoring.pct(k, n)))
    missing = counts.get((code, "", ""), 0)
    rows.append(Row(NO_ANSWER, NO_ANSWER, missing, scoring.pct(missing, n)))
    return rows


def build_results(survey: Survey, questions: list[Question], counts: tally.Counts) -> Results:
    total = counts.get(("_total", "", ""), 0)
    results = Results(
        survey=survey,
        responses=total,
        by_channel={
            Channel.MAIL: counts.get(("_channel", Channel.MAIL, ""), 0),
            Channel.WEB: counts.get(("_channel", Channel.WEB, ""), 0),
        },
        response_rate_pct=scoring.response_rate(
            total if total else survey.published_total, survey.sample_size
        ),
    )
    if not total:
        return results
    imported = set(survey.imported_codes or [])
    for q in questions:
        standard = q.standard and q.code in STANDARD_BY_CODE
        n = total if standard or q.code in imported else 0
        if q.kind == QuestionKind.CHOICE:
            rows = _count_rows(list(q.choices.all()), counts, q.code, n)
        elif q.kind == QuestionKind.NUMBER:
            keys = sorted(int(k) for (item, k, _k2) in counts if item == q.code and k != "")
            rows = [
                Row(
                    str(k), str(k), counts[(q.code, str(k), "")], scoring.pct(counts[(q.code, str(k), "")], n)
                )
                for k in keys
            ]
            missing = counts.get((q.code, "", ""), 0)
            rows.append(Row(NO_ANSWER, NO_ANSWER, missing, scoring.pct(missing, n)))
        else:
            written = counts.get((f"_written:{q.code}", "", ""), 0)
            rows = [
                Row("written", _("記入あり"), written, scoring.pct(written, n)),
                Row(NO_ANSWER, NO_ANSWER, n - written, scoring.pct(n - written, n)),
            ]
        results.items.append(ItemResult(q.code, q.label, q.text, q.kind, n, rows, standard))
    codes = {q.code: q for q in questions if q.standard}
    if "ucla_1" in codes:
        results.n_scored = total - counts.get(("_band", "", ""), 0)
        results.ucla_bands = [
            Row(
                band,
                label,
                counts.get(("_band", band, ""), 0),
                scoring.pct(counts.get(("_band", band, ""), 0), results.n_scored),
            )
            for band, label in UCLA_BANDS.items()
        ]
    if "direct" in codes:
        for row_code in tally.CROSS_ROWS:
            if row_code in codes:
                results.crosstabs.append(_crosstab(counts, codes["direct"], codes[row_code]))
    return results


def _crosstab(counts: tally.Counts, direct: Question, row_q: Question) -> CrossTab:
    item = f"x:{row_q.code}"
    col_keys = [str(c.value) for c in direct.choices.all()] + [""]
    columns = [(str(c.value), c.label) for c in direct.choices.all()] + [(NO_ANSWER, NO_ANSWER)]
    row_keys = [(str(c.value), c.label) for c in row_q.choices.all()] + [("", NO_ANSWER)]
    rows = []
    for key, label in row_keys:
        cells = [counts.get((item, key, col), 0) for col in col_keys]
        n = sum(cells)
        if key == "" and not n:
            continue
        rows.append(
            {
                "key": key or NO_ANSWER,
                "label": label,
                "n": n,
                "cells": [(c, scoring.pct(c, n)) for c in cells],
            }
        )
    return CrossTab(row_q.code, row_q.label, columns, rows)


# --- published figures and the national comparison -------------------------------------------


def published_of(survey: Survey) -> dict[str, list[PublishedFigure]]:
    grouped: dict[str, list[PublishedFigure]] = {}
    for figure in survey.published.all():
        grouped.setdefault(figure.item, []).append(figure)
    return grouped


def national_surveys() -> list[NationalSurvey]:
    return list(NationalSurvey.objects.prefetch_related("figures"))


def default_national(survey: Survey, nationals: list[NationalSurvey]) -> NationalSurvey | None:
    """The latest national year not after the survey's that publishes the top direct answer."""

    def complete(nat: NationalSurvey) -> bool:
        return any(f.item == "direct" and f.key == "5" and f.pct is not None for f in nat.figures.all())

    candidates = [n for n in nationals if n.year <= survey.fiscal_year and complete(n)]
    if candidates:
        return max(candidates, key=lambda n: n.year)
    return nationals[-1] if nationals else None


@dataclass
class ComparisonRow:
    label: str
    local: Decimal | None
    national: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return scoring.points(self.local, self.national)


def comparison(
    survey: Survey,
    national: NationalSurvey,
    results: Results | None,
    published: dict[str, list[PublishedFigure]],
) -> dict[str, Any]:
    """Direct question and UCLA bands, local vs national, with the difference in points, and the
    reasons the two are not strictly comparable (method, sampling, age) when they differ."""
    nat = {(f.item, f.key): f.pct for f in national.figures.all()}
    direct_item = results.item("direct") if results and results.responses else None
    local_direct: dict[str, Decimal | None] = {}
    if direct_item:
        local_direct = {r.key: r.pct for r in direct_item.rows}
    else:
        local_direct = {f.key: f.pct for f in published.get("direct", [])}
    if results and results.responses and results.ucla_bands:
        local_bands = {r.key: r.pct for r in results.ucla_bands}
    else:
        local_bands = {f.key: f.pct for f in published.get("ucla", [])}
    direct_labels = dict(STANDARD_BY_CODE["direct"].choices)
    direct_rows = [
        ComparisonRow(direct_labels[v], local_direct.get(str(v)), nat.get(("direct", str(v))))
        for v in sorted(direct_labels, reverse=True)
    ]
    direct_rows.append(ComparisonRow(NO_ANSWER, local_direct.get(NO_ANSWER), nat.get(("direct", NO_ANSWER))))
    band_rows = [
        ComparisonRow(label, local_bands.get(k), nat.get(("ucla", k)))
        for k, label in reversed(UCLA_BANDS.items())
    ]
    differences = []
    if survey.method != national.method:
        differences.append(
            _("回答方法（この調査: %(this_survey)s／国: %(national)s）")
            % {
                "this_survey": survey.get_method_display() or _("不明"),
                "national": national.get_method_display(),
            }
        )
    if survey.sampling != national.sampling:
        differences.append(
            _("抽出方法（この調査: %(this_survey)s／国: %(national)s）")
            % {
                "this_survey": survey.get_sampling_display() or _("不明"),
                "national": national.get_sampling_display(),
            }
        )
    if survey.min_age != national.min_age:
        age = _("%(age)s歳以上") % {"age": survey.min_age} if survey.min_age is not None else _("不明")
        differences.append(
            _("対象年齢（この調査: %(age)s／国: %(national)s歳以上）")
            % {"age": age, "national": national.min_age}
        )
    return {
        "national": national,
        "direct": [r for r in direct_rows if r.local is not None or r.national is not None],
        "ucla": [r for r in band_rows if r.local is not None or r.national is not None],
        "differences": differences,
    }


def raw_responses(survey: Survey, *, limit: int = 200) -> list[Response]:
    return list(Response.objects.filter(survey=survey).order_by("respondent_id")[:limit])
