"""Audit action codes of the surveys app (stored) and their labels (shown), for SurveyChange."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from platform_site.audit import audit_write

from .models import Survey, SurveyChange

SURVEY_CREATED = "surveys.survey.created"
SURVEY_UPDATED = "surveys.survey.updated"
QUESTION_ADDED = "surveys.question.added"
RESPONSES_IMPORTED = "surveys.responses.imported"
RESPONSES_VIEWED = "surveys.responses.viewed"
RESPONSES_EXPORTED = "surveys.responses.exported"
RESULTS_EXPORTED = "surveys.results.exported"
PUBLISHED_UPDATED = "surveys.published.updated"
ORGS_MATCHED = "surveys.resource.matched"

ACTIONS: dict[str, Any] = {
    SURVEY_CREATED: _("調査を登録した"),
    SURVEY_UPDATED: _("調査の情報を変更した"),
    QUESTION_ADDED: _("独自の設問を追加した"),
    RESPONSES_IMPORTED: _("回答票を取り込んだ"),
    RESPONSES_VIEWED: _("回答票（個票）を閲覧した"),
    RESPONSES_EXPORTED: _("回答票（個票）を書き出した"),
    RESULTS_EXPORTED: _("集計結果を書き出した"),
    PUBLISHED_UPDATED: _("公表された集計値を登録した"),
    ORGS_MATCHED: _("回答団体を名簿と照合した"),
}


def log(*, survey: Survey, actor: Any, action: str, data: dict[str, Any] | None = None) -> SurveyChange:
    """Append one entry; call inside the service's transaction. `data` holds counts, never answers."""
    return audit_write(
        SurveyChange,
        action=action,
        actor=actor,
        platform_id=survey.platform_id,
        survey=survey,
        survey_title=survey.title,
        data=data or {},
    )
