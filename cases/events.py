"""Action codes of the access log and their labels (translated when shown, never stored translated).

Registered with the core's audit registry (platform_site.audit) from CasesConfig.ready(), in the
spirit of pretix's logentrytypes registry: the database holds `cases.referral.sent`, the
screen shows 「団体へ依頼した」.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from platform_site.audit import action_label, audit_write
from platform_site.models import Platform

from .models import Case, CaseEvent

CASE_VIEWED = "cases.case.viewed"
CASE_LIST_VIEWED = "cases.list.viewed"
CASE_SEARCHED = "cases.list.searched"
CASE_CREATED = "cases.case.created"
CASE_UPDATED = "cases.case.updated"
CASE_CLOSED = "cases.case.closed"
CASE_ANONYMISED = "cases.case.anonymised"
CONSENT_RECORDED = "cases.consent.recorded"
CONSENT_REVOKED = "cases.consent.revoked"
CONSENT_REVOCATION_CORRECTED = "cases.consent.revocation_corrected"
REFERRAL_SENT = "cases.referral.sent"
REFERRAL_OVERRIDE = "cases.referral.consent_override"
REFERRAL_ACCEPTED = "cases.referral.accepted"
REFERRAL_DECLINED = "cases.referral.declined"
HANDOFF_RECORDED = "cases.handoff.recorded"
REPORT_READ = "cases.handoff.report_read"
CASE_PRINTED = "cases.case.printed"
WG_ADDED = "cases.working_group.added"
WG_REMOVED = "cases.working_group.removed"
WG_CONSENT_OVERRIDE = "cases.working_group.consent_override"
WG_CLOSED = "cases.working_group.closed"
WG_DUTY_ENDED = "cases.working_group.duty_ended"
EXPORTED = "cases.export"
AUDIT_VIEWED = "cases.audit.viewed"
REFERRAL_HANDED_ON = "cases.referral.handed_on"
REQUEST_SENT = "cases.request.sent"
REQUEST_WITHOUT_CONSENT = "cases.request.sent_without_consent"
REQUEST_VIEWED = "cases.request.viewed"
REQUEST_ACCEPTED = "cases.request.accepted"
REQUEST_ANSWERED = "cases.request.answered"
SUPPORTER_RECORDED = "cases.supporter.recorded"
SUPPORTER_REPORT_SENT = "cases.supporter_report.sent"
SUPPORTER_REPORT_VIEWED = "cases.supporter_report.viewed"
SUPPORTER_REPORT_HANDLED = "cases.supporter_report.handled"
SUPPORTER_REPORT_CASE = "cases.supporter_report.case_opened"

ACTION_LABELS: dict[str, Any] = {
    CASE_VIEWED: _("ケースを閲覧した"),
    CASE_LIST_VIEWED: _("引き継ぎ簿の一覧を閲覧した"),
    CASE_SEARCHED: _("引き継ぎ簿を氏名・電話番号で検索した"),
    CASE_CREATED: _("ケースを登録した"),
    CASE_UPDATED: _("ケースを更新した"),
    CASE_CLOSED: _("支援を終了した"),
    CASE_ANONYMISED: _("保存期間経過により匿名化した"),
    CONSENT_RECORDED: _("同意を記録した"),
    CONSENT_REVOKED: _("同意の撤回を記録した"),
    CONSENT_REVOCATION_CORRECTED: _("同意の撤回の記録を訂正した（理由つき）"),
    REFERRAL_SENT: _("団体へ依頼した"),
    REFERRAL_OVERRIDE: _("同意の範囲外で団体へ依頼した（権限による）"),
    REFERRAL_ACCEPTED: _("団体が依頼を受諾した"),
    REFERRAL_DECLINED: _("団体が依頼を辞退した"),
    HANDOFF_RECORDED: _("引き渡しを記録した"),
    REPORT_READ: _("団体からの報告を既読にした"),
    CASE_PRINTED: _("ケースの概要を印刷した"),
    WG_ADDED: _("作業部会にメンバーを追加した"),
    WG_REMOVED: _("作業部会からメンバーを外した"),
    WG_CONSENT_OVERRIDE: _("作業部会のメンバーに同意の範囲外の項目も見せた（理由つき）"),
    WG_CLOSED: _("支援先が決まり作業部会を閉じた"),
    WG_DUTY_ENDED: _("会議体への参加が終わり作業部会から外れた"),
    EXPORTED: _("引き継ぎ簿を書き出した"),
    AUDIT_VIEWED: _("アクセス記録を閲覧した"),
    REFERRAL_HANDED_ON: _("団体が別の参加団体へ引き継いだ（同意の範囲内）"),
    REQUEST_SENT: _("団体が市へ対応を依頼した（本人の同意あり）"),
    REQUEST_WITHOUT_CONSENT: _("団体が市へ緊急の対応を依頼した（本人の同意なし・理由つき）"),
    REQUEST_VIEWED: _("団体から市への依頼を閲覧した"),
    REQUEST_ACCEPTED: _("団体からの依頼をケースとして受け付けた"),
    REQUEST_ANSWERED: _("団体からの依頼に回答した（ケースにはしない）"),
    SUPPORTER_RECORDED: _("つながりサポーターの研修記録を登録・更新した"),
    SUPPORTER_REPORT_SENT: _("つながりサポーターが報告を送った"),
    SUPPORTER_REPORT_VIEWED: _("サポーターからの報告を閲覧した"),
    SUPPORTER_REPORT_HANDLED: _("サポーターからの報告を対応済みにした"),
    SUPPORTER_REPORT_CASE: _("サポーターからの報告をケースにした"),
}

# Keys whose values are never stored (defence in depth, as pretix masks secret-looking keys).
_PERSONAL_KEYS = frozenset(
    {
        "person_name",
        "contact",
        "age",
        "sex",
        "household",
        "situation",
        "hardship_reason",
        "willingness_reason",
        "given_by",
        "allergy_detail",
        "note",
        "given",
        "noticed",
        "close_note",
        "decline_note",
        "override_reason",
        "city_support",
        "npo_support",
        "revoked_note",
        "reason_text",
        "ask",
        "answer",
        "body",
        "without_consent_reason",
        "badge_number",
    }
)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: ("***" if k in _PERSONAL_KEYS else v) for k, v in data.items()}


def event_log(
    *,
    platform: Platform,
    actor: Any,
    action: str,
    case: Case | None = None,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one access-log entry. Call inside the service's transaction."""
    return audit_write(
        CaseEvent, case=case, platform=platform, actor=actor, action=action, data=_clean(data or {})
    )


__all__ = ["action_label", "event_log"]
