"""Counting a survey's responses in the database (GROUP BY and conditional COUNTs), and keeping the
counts in `Tally` rows. `count_live` reads the responses; `refresh` stores what it found, inside
the import's transaction, so the stored counts always equal a live count of the stored responses.

The number of queries depends on the number of questions, never on the number of respondents.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from platform_site.lib.jsoncounts import json_value_counts

from .items import STANDARD_BY_CODE
from .models import Channel, Question, QuestionKind, Response, Survey, Tally

Counts = dict[tuple[str, str, str], int]  # (item, key, key2) → respondents
BANDS = {
    "3": Q(ucla_score=3),
    "4-6": Q(ucla_score__gte=4, ucla_score__lte=6),
    "7-9": Q(ucla_score__gte=7, ucla_score__lte=9),
    "10-12": Q(ucla_score__gte=10, ucla_score__lte=12),
}
CROSS_ROWS = ("age_band", "lives_alone")


def _key(value: Any) -> str:
    """A stored answer as a key: "" for 無回答; JSON numbers come back as int (SQLite) or text (PostgreSQL)."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def count_live(survey: Survey, questions: list[Question]) -> Counts:
    counts: Counts = {}
    responses = Response.objects.filter(survey=survey)
    standard = [q for q in questions if q.standard and q.code in STANDARD_BY_CODE]
    aggregates: dict[str, Any] = {
        "total": Count("id"),
        "ch_mail": Count("id", filter=Q(channel=Channel.MAIL)),
        "ch_web": Count("id", filter=Q(channel=Channel.WEB)),
        "ch_none": Count("id", filter=Q(channel="")),
        "band_": Count("id", filter=Q(ucla_score__isnull=True)),
    }
    for band, condition in BANDS.items():
        aggregates[f"band_{band}"] = Count("id", filter=condition)
    for q in standard:
        aggregates[f"{q.code}__"] = Count("id", filter=Q(**{f"{q.code}__isnull": True}))
        for c in q.choices.all():
            aggregates[f"{q.code}__{c.value}"] = Count("id", filter=Q(**{q.code: c.value}))
    agg = responses.aggregate(**aggregates)
    counts[("_total", "", "")] = agg["total"]
    if not agg["total"]:
        return counts
    counts[("_channel", Channel.MAIL, "")] = agg["ch_mail"]
    counts[("_channel", Channel.WEB, "")] = agg["ch_web"]
    counts[("_channel", "", "")] = agg["ch_none"]
    for band in ("", *BANDS):
        counts[("_band", band, "")] = agg[f"band_{band}"]
    for q in standard:
        counts[(q.code, "", "")] = agg[f"{q.code}__"]
        for c in q.choices.all():
            counts[(q.code, str(c.value), "")] = agg[f"{q.code}__{c.value}"]
    imported = set(survey.imported_codes or [])
    own = {q.code: q for q in questions if not q.standard and q.code in imported}
    if own:
        for (code, value), n in json_value_counts(responses, "own").items():
            question = own.get(code)
            if question is None:
                continue
            if question.kind == QuestionKind.TEXT:
                counts[(f"_written:{code}", "", "")] = counts.get((f"_written:{code}", "", ""), 0) + n
            else:
                key = (code, _key(value), "")
                counts[key] = counts.get(key, 0) + n
        for code, question in own.items():  # a missing key is 無回答
            if question.kind != QuestionKind.TEXT:
                answered = sum(n for (item, k, _k2), n in counts.items() if item == code and k != "")
                counts[(code, "", "")] = agg["total"] - answered
    codes = {q.code for q in standard}
    if "direct" in codes:
        for row_code in CROSS_ROWS:
            if row_code in codes:
                for row in responses.values(row_code, "direct").annotate(n=Count("id")).order_by():
                    counts[(f"x:{row_code}", _key(row[row_code]), _key(row["direct"]))] = row["n"]
    return counts


def stored(survey: Survey) -> Counts:
    return {(t.item, t.key, t.key2): t.n for t in Tally.objects.filter(survey=survey)}


def refresh(survey: Survey, questions: list[Question]) -> Counts:
    """Recount and store; call inside the transaction that changed the responses."""
    counts = count_live(survey, questions)
    Tally.objects.filter(survey=survey).delete()
    Tally.objects.bulk_create(
        [Tally(survey=survey, item=item, key=key, key2=key2, n=n) for (item, key, key2), n in counts.items()],
        batch_size=1000,
    )
    return counts
