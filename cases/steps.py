"""Where a case stands in the ledger's steps, and the one next step the page leads to.

The ledger's flow (宇和島's 引き継ぎ簿): 発見 → 支援方針 → 同意 → 団体へ依頼 → 団体の応答 → 引き渡し →
報告 → 終了. The case page shows the steps as one numbered line with the current one marked, and
one primary button: the next step for the person looking (the secretariat records consent and
refers; the organisation answers and logs handoffs). Pure functions over what the detail page has
already loaded: no query of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .access import CaseAccess
from .models import Case, CaseStatus, Consent, Handoff, Referral, ReferralStatus

STEPS: list[tuple[str, Promise]] = [
    ("intake", _("発見")),
    ("plan", _("支援方針")),
    ("consent", _("同意")),
    ("referral", _("団体へ依頼")),
    ("answer", _("団体の応答")),
    ("handoffs", _("引き渡し")),
    ("report", _("報告")),
    ("close", _("終了")),
]


@dataclass(frozen=True)
class Step:
    number: int
    code: str
    label: Promise
    done: bool
    current: bool


@dataclass(frozen=True)
class NextAction:
    label: Promise | str
    url: str = ""
    post: bool = False  # a button that posts (no form to fill in)
    note: Promise | str = ""  # said beside it (or alone, when there is nothing to press)


def _done(
    *,
    case: Case,
    consents: Sequence[Consent],
    referrals: Sequence[Referral],
    handoffs: Sequence[Handoff],
    today: dt.date,
) -> dict[str, bool]:
    open_referral = any(r.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED) for r in referrals)
    answered = any(
        r.status in (ReferralStatus.ACCEPTED, ReferralStatus.CLOSED) and r.responded_at for r in referrals
    )
    reports = [h for h in handoffs if h.report_to_city]
    return {
        "intake": True,
        "plan": case.status != CaseStatus.INTAKE,
        "consent": any(c.is_valid_on(today) for c in consents) or open_referral,
        "referral": open_referral or answered,
        "answer": answered,
        "handoffs": bool(handoffs),
        "report": bool(reports) and all(h.report_read_at for h in reports),
        "close": case.is_closed,
    }


def ledger_steps(
    *,
    case: Case,
    consents: Sequence[Consent],
    referrals: Sequence[Referral],
    handoffs: Sequence[Handoff],
    today: dt.date,
) -> list[Step]:
    done = _done(case=case, consents=consents, referrals=referrals, handoffs=handoffs, today=today)
    current = "close" if case.is_closed else next((code for code, _label in STEPS if not done[code]), "close")
    return [
        Step(number=i, code=code, label=label, done=done[code], current=code == current)
        for i, (code, label) in enumerate(STEPS, start=1)
    ]


def next_action(
    *,
    case: Case,
    steps: Sequence[Step],
    referrals: Sequence[Referral],
    handoffs: Sequence[Handoff],
    access: CaseAccess,
    may_edit: bool,
) -> NextAction | None:
    """The page's one primary button for this viewer, or None when the next move is someone else's."""
    if case.is_closed:
        return None
    current = next(s.code for s in steps if s.current)
    slug, pk = case.platform.slug, case.pk

    def url(name: str, **kw: int) -> str:
        return reverse(f"cases:{name}", kwargs={"platform": slug, "pk": pk, **kw})

    own = [r for r in referrals if access.organisation_id and r.organisation_id == access.organisation_id]
    if own:  # the organisation's coordinator: answer, then log handoffs (and report through them)
        sent = next((r for r in own if r.status == ReferralStatus.SENT), None)
        accepted = next((r for r in own if r.status == ReferralStatus.ACCEPTED), None)
        if sent:
            return NextAction(_("依頼に応答する（受諾・辞退）"), url("referral-respond", referral_id=sent.pk))
        if accepted:
            return NextAction(_("引き渡しを記録する"), url("handoff-create", referral_id=accepted.pk))
        return None
    if not may_edit:
        return None
    sent = next((r for r in referrals if r.status == ReferralStatus.SENT), None)
    accepted = next((r for r in referrals if r.status == ReferralStatus.ACCEPTED), None)
    unread = next((h for h in handoffs if h.report_to_city and not h.report_read_at), None)
    if unread:
        return NextAction(
            _("団体からの報告を既読にする"),
            url("report-read", handoff_id=unread.pk),
            post=True,
            note=_("報告を読んだら既読にしてください。引き継ぎ簿の「未読の報告」から外れます。"),
        )
    if current == "plan":
        return NextAction(_("2. 支援方針を決める"), url("plan"))
    if current == "consent":
        return NextAction(
            _("3. 同意を記録する"), url("consent-create"), note=_("同意がなければ団体へ依頼できません。")
        )
    if current == "referral":
        return NextAction(_("4. 団体へ依頼する"), url("referral-create"))
    if current == "answer" and sent:
        return NextAction(
            _("電話で聞いた応答を記録する"),
            url("referral-respond-phone", referral_id=sent.pk),
            note=_("団体の応答を待っています。電話で応答を聞いたときは、団体に代わって記録できます。"),
        )
    if current in ("handoffs", "report") and accepted:
        return NextAction(
            _("電話で聞いた引き渡しを記録する"),
            url("handoff-phone", referral_id=accepted.pk),
            note=_("団体が引き渡しを記録します。電話で報告を受けたときは、団体に代わって記録できます。"),
        )
    return NextAction(_("支援を終了する"), url("close"))


FORM_STEPS = {
    "intake": "intake",
    "plan": "plan",
    "consent": "consent",
    "referral": "referral",
    "respond": "answer",
}


def form_steps(step: str) -> list[Step]:
    """The steps line on a form page: the form's own step is the current one."""
    current = FORM_STEPS.get(step, step)
    index = next((i for i, (code, _label) in enumerate(STEPS) if code == current), -1)
    return [
        Step(number=i + 1, code=code, label=label, done=i < index, current=code == current)
        for i, (code, label) in enumerate(STEPS)
    ]
