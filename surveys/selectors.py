"""Reads of the surveys app. Results are computed in the database: one conditional aggregate over
the respondents for every national item, the UCLA bands and the channels; one GROUP BY for the
city's own questions; one per cross-tab. The number of queries does not depend on how many
people answered."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from platform_site.models import Platform

from . import scoring
from .items import NO_ANSWER, STANDARD_BY_CODE, UCLA_BANDS
from .models import (
    Answer,
    Channel,
    Choice,
    NationalSurvey,
    PublishedFigure,
    Question,
    QuestionKind,
    Response,
    Survey,
)

_BAND_Q = {
    "3": Q(ucla_score=3),
    "4-6": Q(ucla_score__gte=4, ucla_score__lte=6),
    "7-9": Q(ucla_score__gte=7, ucla_score__lte=9),
    "10-12": Q(ucla_score__gte=10, ucla_score__lte=12),
}
CROSS_ROWS = ("age_band", "lives_alone")


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
    answered_text: int | None = None  # free text: how many wrote something

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


def _rows(choices: list[Choice], counts: dict[int | None, int], n: int) -> list[Row]:
    rows = [
        Row(str(c.value), c.label, counts.get(c.value, 0), scoring.pct(counts.get(c.value, 0), n))
        for c in choices
    ]
    rows.append(Row(NO_ANSWER, NO_ANSWER, counts.get(None, 0), scoring.pct(counts.get(None, 0), n)))
    return rows


def survey_results(survey: Survey, questions: list[Question] | None = None) -> Results:
    questions = questions if questions is not None else questions_of(survey)
    standard = [q for q in questions if q.standard and q.code in STANDARD_BY_CODE]
    aggregates: dict[str, Any] = {
        "total": Count("id"),
        "ch_mail": Count("id", filter=Q(channel=Channel.MAIL)),
        "ch_web": Count("id", filter=Q(channel=Channel.WEB)),
        "scored": Count("id", filter=Q(ucla_score__isnull=False)),
    }
    for band, condition in _BAND_Q.items():
        aggregates[f"band_{band}"] = Count("id", filter=condition)
    for q in standard:
        aggregates[f"{q.code}__none"] = Count("id", filter=Q(**{f"{q.code}__isnull": True}))
        for c in q.choices.all():
            aggregates[f"{q.code}__{c.value}"] = Count("id", filter=Q(**{q.code: c.value}))
    agg = Response.objects.filter(survey=survey).aggregate(**aggregates)
    total = agg["total"]
    results = Results(
        survey=survey,
        responses=total,
        by_channel={Channel.MAIL: agg["ch_mail"], Channel.WEB: agg["ch_web"]},
        response_rate_pct=scoring.response_rate(
            total if total else survey.published_total, survey.sample_size
        ),
    )
    own_counts: dict[int, dict[int | None, int]] = {}
    own_texts: dict[int, int] = {}
    own_n: dict[int, int] = {}
    own = [q for q in questions if not q.standard]
    if own and total:
        grouped = (
            Answer.objects.filter(survey=survey)
            .values("question_id", "value")
            .annotate(n=Count("id"), texts=Count("id", filter=~Q(text="")))
            .order_by()
        )
        for g in grouped:
            own_counts.setdefault(g["question_id"], {})[g["value"]] = g["n"]
            own_texts[g["question_id"]] = own_texts.get(g["question_id"], 0) + g["texts"]
            own_n[g["question_id"]] = own_n.get(g["question_id"], 0) + g["n"]
    for q in questions:
        if q.standard and q.code in STANDARD_BY_CODE:
            counts: dict[int | None, int] = {c.value: agg[f"{q.code}__{c.value}"] for c in q.choices.all()}
            counts[None] = agg[f"{q.code}__none"]
            results.items.append(
                ItemResult(
                    q.code, q.label, q.text, q.kind, total, _rows(list(q.choices.all()), counts, total), True
                )
            )
            continue
        n = own_n.get(q.pk, 0)
        counts = own_counts.get(q.pk, {})
        if q.kind == QuestionKind.CHOICE:
            rows = _rows(list(q.choices.all()), counts, n)
        elif q.kind == QuestionKind.NUMBER:
            keys = sorted(k for k in counts if k is not None)
            rows = [Row(str(k), str(k), counts[k], scoring.pct(counts[k], n)) for k in keys]
            rows.append(Row(NO_ANSWER, NO_ANSWER, counts.get(None, 0), scoring.pct(counts.get(None, 0), n)))
        else:
            written = own_texts.get(q.pk, 0)
            rows = [
                Row("written", "記入あり", written, scoring.pct(written, n)),
                Row(NO_ANSWER, NO_ANSWER, n - written, scoring.pct(n - written, n)),
            ]
        results.items.append(ItemResult(q.code, q.label, q.text, q.kind, n, rows, answered_text=None))
    if any(q.code == "ucla_1" for q in standard):
        results.n_scored = agg["scored"]
        results.ucla_bands = [
            Row(band, label, agg[f"band_{band}"], scoring.pct(agg[f"band_{band}"], agg["scored"]))
            for band, label in UCLA_BANDS.items()
        ]
    direct = next((q for q in standard if q.code == "direct"), None)
    if direct is not None and total:
        for code in CROSS_ROWS:
            row_q = next((q for q in standard if q.code == code), None)
            if row_q is not None:
                results.crosstabs.append(_crosstab(survey, direct, row_q))
    return results


def _crosstab(survey: Survey, direct: Question, row_q: Question) -> CrossTab:
    cells: dict[tuple[int | None, int | None], int] = {
        (g[row_q.code], g["direct"]): g["n"]
        for g in Response.objects.filter(survey=survey)
        .values(row_q.code, "direct")
        .annotate(n=Count("id"))
        .order_by()
    }
    col_keys: list[int | None] = [c.value for c in direct.choices.all()] + [None]
    columns = [(str(c.value), c.label) for c in direct.choices.all()] + [(NO_ANSWER, NO_ANSWER)]
    rows = []
    row_keys: list[tuple[int | None, str]] = [(c.value, c.label) for c in row_q.choices.all()] + [
        (None, NO_ANSWER)
    ]
    for key, label in row_keys:
        n = sum(cells.get((key, col), 0) for col in col_keys)
        if key is None and not n:
            continue
        rows.append(
            {
                "key": NO_ANSWER if key is None else str(key),
                "label": label,
                "n": n,
                "cells": [
                    (cells.get((key, col), 0), scoring.pct(cells.get((key, col), 0), n)) for col in col_keys
                ],
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
            f"回答方法（この調査: {survey.get_method_display() or '不明'}／国: {national.get_method_display()}）"
        )
    if survey.sampling != national.sampling:
        differences.append(
            f"抽出方法（この調査: {survey.get_sampling_display() or '不明'}／国: {national.get_sampling_display()}）"
        )
    if survey.min_age != national.min_age:
        age = f"{survey.min_age}歳以上" if survey.min_age is not None else "不明"
        differences.append(f"対象年齢（この調査: {age}／国: {national.min_age}歳以上）")
    return {
        "national": national,
        "direct": [r for r in direct_rows if r.local is not None or r.national is not None],
        "ucla": [r for r in band_rows if r.local is not None or r.national is not None],
        "differences": differences,
    }


def raw_responses(survey: Survey, *, limit: int = 200) -> list[Response]:
    return list(
        Response.objects.filter(survey=survey).order_by("respondent_id").prefetch_related("answers")[:limit]
    )
