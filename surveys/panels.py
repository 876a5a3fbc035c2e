"""The surveys app's panel on the platform home: the latest surveys with their key figures."""

from __future__ import annotations

from typing import Any

from platform_site.http import PlatformRequest

from .capabilities import SURVEYS_VIEW
from .models import SurveyKind
from .selectors import published_of, survey_results, surveys_for


def surveys_panel(request: PlatformRequest) -> dict[str, Any] | None:
    if SURVEYS_VIEW not in request.capabilities:
        return None
    surveys = list(surveys_for(request.platform)[:5])
    return {"platform": request.platform, "surveys": surveys}


def dashboard_panel(request: PlatformRequest, fiscal_year: int) -> dict[str, Any] | None:
    """The survey headline of the 年度: the latest resident survey of that year (or the year
    before), its responses and its direct loneliness question, from stored counts or, for a
    survey known only from its report, the published figures. Aggregates only."""
    if SURVEYS_VIEW not in request.capabilities:
        return None
    survey = (
        surveys_for(request.platform)
        .filter(kind=SurveyKind.RESIDENT, fiscal_year__lte=fiscal_year, fiscal_year__gte=fiscal_year - 1)
        .order_by("-fiscal_year", "-pk")
        .first()
    )
    if survey is None:
        return {"platform": request.platform, "survey": None}
    rows: list[dict[str, Any]] = []
    responses = survey.responses_published
    if getattr(survey, "raw_count", 0):  # annotated by surveys_for
        results = survey_results(survey)
        responses = results.responses
        direct = results.item("direct")
        if direct:
            rows = [{"label": r.label, "pct": r.pct, "count": r.count} for r in direct.rows]
    else:
        figures = published_of(survey).get("direct", [])
        rows = [{"label": f.label, "pct": f.pct, "count": f.count} for f in figures]
    return {"platform": request.platform, "survey": survey, "responses": responses, "rows": rows}
