"""Every write to the ledger. Each service is keyword-only and atomic, and writes its access-log
entry in the same transaction; email goes out on commit and carries only a link.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import selectors as council_selectors
from orgs.models import Membership, MembershipStatus, Organisation
from platform_site.models import Platform, PlatformRole, Role
from platform_site.selectors import public_site_url

from . import events as ev
from .models import (
    ANONYMISED_WORD,
    Case,
    CaseEvent,
    CaseStatus,
    CaseWorkingGroupMember,
    Consent,
    ConsentCorrection,
    DisclosureBasis,
    Handoff,
    IntakeRequest,
    IntakeRequestStatus,
    Referral,
    ReferralSource,
    ReferralStatus,
    Supporter,
    SupporterReport,
    SupporterReportStatus,
    Urgency,
    WorkingGroupClosure,
    WorkingGroupEnd,
)

logger = logging.getLogger(__name__)

INTAKE_FIELDS = (
    "intake_date",
    "person_name",
    "contact",
    "age",
    "sex",
    "household",
    "source",
    "situation",
    "hardship_reason",
    "willingness_reason",
)
PLAN_FIELDS = ("support_type", "city_support", "npo_support", "frequency_per_month", "plan_review_on")
# Fields whose values may appear in the log (codes and dates, nothing personal).
_LOGGABLE_VALUES = frozenset(
    {"source", "support_type", "frequency_per_month", "plan_review_on", "status", "intake_date"}
)


class EditConflict(ValidationError):
    """Someone else saved the case after this form was opened (optimistic locking)."""


def _conflict() -> EditConflict:
    return EditConflict(
        _(
            "このケースは、あなたが画面を開いた後に他の人が更新しました。上書きを防ぐため保存していません。画面を開き直して、内容を確かめてから入力し直してください。"
        )
    )


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _notify(*, platform: Platform, users: Iterable[Any], subject: str, path: str) -> None:
    """Email a link (never personal data) after the transaction commits."""
    recipients = sorted({u.email for u in users if u.email})
    if not recipients:
        return
    body = _(
        "つなぐで新しいお知らせがあります。内容は次のリンクからログインして確かめてください。\n\n{url}\n"
    ).format(
        url=public_site_url(platform) + path,  # the platform's own address
    )
    transaction.on_commit(lambda: _send(subject, body, recipients))


def _send(subject: str, body: str, recipients: list[str]) -> None:
    """A failed notification must not undo the ledger write; log it without addresses."""
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # noqa: BLE001 - any transport error
        logger.warning("cases: notification email could not be sent (%d recipients)", len(recipients))


def _coordinators_of(*, platform: Platform, organisation_ids: Iterable[int]) -> list[Any]:
    roles = PlatformRole.objects.filter(
        platform=platform, role=Role.COORDINATOR, organisation_id__in=list(organisation_ids)
    )
    return [r.user for r in roles.select_related("user")]


def _require_member(*, platform: Platform, organisations: Iterable[Organisation]) -> None:
    """Consent and referrals name member organisations of the case's own platform only."""
    ids = {o.pk for o in organisations}
    members = set(
        Membership.objects.filter(
            platform=platform, organisation_id__in=ids, status=MembershipStatus.MEMBER
        ).values_list("organisation_id", flat=True)
    )
    if ids - members:
        raise ValidationError(_("このプラットフォームの参加団体だけを選べます。"))


def _case_path(case: Case) -> str:
    return reverse("cases:detail", kwargs={"platform": case.platform.slug, "pk": case.pk})


@transaction.atomic
def case_create(*, platform: Platform, actor: Any, data: dict[str, Any]) -> Case:
    case = Case(platform=platform, created_by=actor, **{k: data[k] for k in INTAKE_FIELDS if k in data})
    case.full_clean()
    case.save()
    ev.event_log(
        platform=platform, actor=actor, action=ev.CASE_CREATED, case=case, data={"fields": sorted(data)}
    )
    return case


@transaction.atomic
def case_update(*, case: Case, actor: Any, data: dict[str, Any], version: int) -> Case:
    """Save the intake or plan fields in `data`, only if nobody saved the case since `version`.

    A single conditional UPDATE (… WHERE version = ?) so two editors cannot both win; the
    denormalised fields maintained by other services are not touched.
    """
    allowed = set(INTAKE_FIELDS) | set(PLAN_FIELDS)
    old_interval = case.handoff_interval_days
    changes = {k: v for k, v in data.items() if k in allowed and getattr(case, k) != v}
    diff = {
        k: {"old": _json(getattr(case, k)), "new": _json(v)}
        for k, v in changes.items()
        if k in _LOGGABLE_VALUES
    }
    for key, value in changes.items():
        setattr(case, key, value)
    case.full_clean(exclude=["platform", "referred_to", "created_by"])
    extra: dict[str, Any] = {}
    if any(k in PLAN_FIELDS for k in data) and case.status == CaseStatus.INTAKE:
        extra["status"] = case.status = CaseStatus.PLANNED
    if "frequency_per_month" in changes:
        extra.update(_due_for_new_frequency(case=case, old_interval=old_interval))
    updated = Case.objects.filter(pk=case.pk, version=version).update(
        **changes,
        **extra,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise _conflict()
    case.version = version + 1
    if "status" in extra:
        diff["status"] = {"old": CaseStatus.INTAKE, "new": extra["status"]}
    ev.event_log(
        platform=case.platform,
        actor=actor,
        action=ev.CASE_UPDATED,
        case=case,
        data={"fields": sorted(changes), "values": diff},
    )
    return case


def _due_for_new_frequency(*, case: Case, old_interval: int) -> dict[str, dt.date]:
    """A new agreed frequency moves the next-handoff deadline of an active case, so stale work
    surfaces at the new interval. The row is locked: a handoff logged meanwhile is counted.
    """
    fresh = (
        Case.objects.select_for_update(no_key=True)
        .only("status", "last_handoff_on", "next_handoff_due")
        .get(pk=case.pk)
    )
    if fresh.status != CaseStatus.ACTIVE or fresh.next_handoff_due is None:
        return {}
    base = fresh.last_handoff_on or fresh.next_handoff_due - dt.timedelta(days=old_interval)
    case.next_handoff_due = base + dt.timedelta(days=case.handoff_interval_days)
    return {"next_handoff_due": case.next_handoff_due}


def _touch(case: Case, **fields: Any) -> None:
    """Update denormalised fields and updated_at without bumping the edit version."""
    for key, value in fields.items():
        setattr(case, key, value)
    Case.objects.filter(pk=case.pk).update(**fields, updated_at=timezone.now())


def _lock_open_case(case: Case, message: str) -> None:
    """Lock the case row and re-read its status: the page may have been opened before someone
    ended support. Without this, a consent or a referral could land on a closed case (and the
    referred organisation would see the person's data again)."""
    case.status = Case.objects.select_for_update(no_key=True).values_list("status", flat=True).get(pk=case.pk)
    if case.is_closed:
        raise ValidationError(message)


@transaction.atomic
def consent_record(
    *, case: Case, actor: Any, data: dict[str, Any], organisations: Iterable[Organisation]
) -> Consent:
    _lock_open_case(case, _("終了したケースには同意を記録できません。"))
    consent = Consent(case=case, recorded_by=actor, **data)
    consent.full_clean()
    consent.save()
    orgs = list(organisations)
    if not orgs:
        raise ValidationError(_("共有先の団体を1つ以上選んでください。"))
    _require_member(platform=case.platform, organisations=orgs)
    consent.organisations.set(orgs)
    if case.status in (CaseStatus.INTAKE, CaseStatus.PLANNED):
        _touch(case, status=CaseStatus.CONSENTED)
    ev.event_log(
        platform=case.platform,
        actor=actor,
        action=ev.CONSENT_RECORDED,
        case=case,
        data={
            "consent": consent.pk,
            "method": consent.method,
            "organisations": [o.pk for o in orgs],
            "items": sorted(consent.items),
            "expires_on": _json(consent.expires_on),
        },
    )
    return consent


def withdrawal_date_errors(*, consent: Consent, revoked_on: dt.date) -> list[str]:
    """A withdrawal happened on a real day: not after today, not before the consent was given.

    (A date in the future would leave the organisations seeing the data until then; a date
    before the consent would make the consent never have counted.)"""
    errors = []
    if revoked_on > timezone.localdate():
        errors.append(str(_("撤回日に未来の日付は指定できません。")))
    if revoked_on < consent.given_on:
        errors.append(
            str(
                _("撤回日が同意日（%(day)s）より前になっています。")
                % {"day": consent.given_on.strftime("%Y/%m/%d")}
            )
        )
    return errors


def _open_referral_orgs(case: Case, consent: Consent) -> list[int]:
    return sorted(
        set(
            case.referrals.filter(
                organisation__in=consent.organisations.all(),
                status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED],
            ).values_list("organisation_id", flat=True)
        )
    )


@transaction.atomic
def consent_revoke(*, consent: Consent, actor: Any, revoked_on: dt.date, note: str = "") -> Consent:
    # The case row first (as referral_send): a revocation and a referral cannot interleave.
    list(Case.objects.select_for_update(no_key=True).filter(pk=consent.case_id).values_list("pk", flat=True))
    consent.refresh_from_db(fields=["revoked_on", "revoked_note", "given_on"])
    if consent.revoked_on:
        raise ValidationError(_("この同意はすでに撤回されています。"))
    errors = withdrawal_date_errors(consent=consent, revoked_on=revoked_on)
    if errors:
        raise ValidationError(errors)
    consent.revoked_on, consent.revoked_note = revoked_on, note
    consent.save(update_fields=["revoked_on", "revoked_note"])
    case = consent.case
    # Organisations working on the case under this consent are told (a link only): from the
    # revocation date they no longer see the items it covered, and may need to ask the city why.
    # Their inbox card and case page say so too, so an organisation without email still knows.
    told = _open_referral_orgs(case, consent)
    ev.event_log(
        platform=case.platform,
        actor=actor,
        action=ev.CONSENT_REVOKED,
        case=case,
        data={"consent": consent.pk, "revoked_on": _json(revoked_on), "organisations_told": told},
    )
    _notify(
        platform=case.platform,
        users=_coordinators_of(platform=case.platform, organisation_ids=told),
        subject=_("[つなぐ] 同意の撤回のお知らせ"),
        path=_case_path(case),
    )
    return consent


@transaction.atomic
def consent_revocation_correct(
    *, consent: Consent, actor: Any, revoked_on: dt.date | None, reason: str
) -> ConsentCorrection:
    """Correct a mistaken withdrawal (wrong day, or none at all) with a reason.

    The original date and note stay in a ConsentCorrection row next to the correction, and the
    log has both dates: nothing recorded is erased. `revoked_on=None` means the person never
    withdrew: the consent counts again from its own date.
    """
    list(Case.objects.select_for_update(no_key=True).filter(pk=consent.case_id).values_list("pk", flat=True))
    consent.refresh_from_db(fields=["revoked_on", "revoked_note", "given_on"])
    case = consent.case
    if case.is_closed:
        raise ValidationError(_("終了したケースの同意は訂正できません。"))
    if not consent.revoked_on:
        raise ValidationError(_("この同意は撤回されていないため、訂正するものがありません。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("訂正の理由を書いてください。"))
    if revoked_on is not None:
        errors = withdrawal_date_errors(consent=consent, revoked_on=revoked_on)
        if errors:
            raise ValidationError(errors)
        if revoked_on == consent.revoked_on:
            raise ValidationError(_("訂正後の撤回日が今の撤回日と同じです。"))
    correction = ConsentCorrection.objects.create(
        consent=consent,
        previous_revoked_on=consent.revoked_on,
        previous_note=consent.revoked_note,
        revoked_on=revoked_on,
        reason=reason,
        corrected_by=actor,
    )
    previous = consent.revoked_on
    consent.revoked_on = revoked_on
    consent.save(update_fields=["revoked_on"])
    told = _open_referral_orgs(case, consent)
    ev.event_log(
        platform=case.platform,
        actor=actor,
        action=ev.CONSENT_REVOCATION_CORRECTED,
        case=case,
        data={
            "consent": consent.pk,
            "correction": correction.pk,
            "from": _json(previous),
            "to": _json(revoked_on),
            "organisations_told": told,
        },
    )
    _notify(
        platform=case.platform,
        users=_coordinators_of(platform=case.platform, organisation_ids=told),
        subject=_("[つなぐ] 同意の撤回の記録が訂正されました"),
        path=_case_path(case),
    )
    return correction


def covering_consent(*, case: Case, organisation: Organisation, day: dt.date) -> Consent | None:
    """A valid consent of the case that names the organisation and allows sharing (point 1)."""
    for consent in case.consents.filter(organisations=organisation, ack_share=True).order_by(
        "-given_on", "-id"
    ):
        if consent.is_valid_on(day):
            return consent
    return None


@transaction.atomic
def referral_send(
    *,
    case: Case,
    actor: Any,
    organisation: Organisation,
    data: dict[str, Any],
    override_reason: str = "",
    may_override: bool = False,
    from_organisation: Organisation | None = None,
) -> Referral:
    """Step 4. Refused unless a valid consent covers the organisation (Primero's rule), except for a
    holder of CASES_CONSENT_OVERRIDE who writes a reason; the override is logged and shown.

    from_organisation: a member hands the person on to another member (NPO → NPO, through
    referral_hand_on): the same gate, never an override.
    """
    _lock_open_case(case, _("終了したケースからは依頼できません。"))
    _require_member(platform=case.platform, organisations=[organisation])
    # A double-clicked "save" must not send the organisation the same request twice (two emails,
    # two inbox entries, and the yearly figures counting one referral as two). The case lock
    # above makes two simultaneous submissions wait for each other.
    if case.referrals.filter(
        organisation=organisation, status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED]
    ).exists():
        raise ValidationError(_("この団体への依頼は、すでに応答待ちか受諾中です。"))
    consent = covering_consent(case=case, organisation=organisation, day=timezone.localdate())
    override_reason = (override_reason or "").strip()
    if consent is None:
        if not may_override:
            raise ValidationError(
                _("この団体への共有について有効な同意がありません。先に同意を記録してください。")
            )
        if not override_reason:
            raise ValidationError(_("同意がない団体へ依頼するには、その理由を書いてください。"))
    else:
        override_reason = ""
    referral = Referral(
        case=case,
        platform=case.platform,
        organisation=organisation,
        consent=consent,
        override_reason=override_reason,
        from_organisation=from_organisation,
        sent_by=actor,
        sent_at=timezone.now(),
        **data,
    )
    referral.full_clean()
    referral.save()
    _touch(
        case,
        status=CaseStatus.REFERRED if case.status != CaseStatus.ACTIVE else case.status,
        referred_to=organisation,
    )
    action = ev.REFERRAL_OVERRIDE if consent is None else ev.REFERRAL_SENT
    if from_organisation is not None:
        action = ev.REFERRAL_HANDED_ON
    ev.event_log(
        platform=case.platform,
        actor=actor,
        action=action,
        case=case,
        data={
            "referral": referral.pk,
            "organisation": organisation.pk,
            "from_organisation": from_organisation.pk if from_organisation else None,
            "consent": consent.pk if consent else None,
            "support_type": referral.support_type,
            "urgency": referral.urgency,
        },
    )
    _notify(
        platform=case.platform,
        users=_coordinators_of(platform=case.platform, organisation_ids=[organisation.pk]),
        subject=_("[つなぐ] 新しい依頼が届きました"),
        path=reverse("cases:list", kwargs={"platform": case.platform.slug}),
    )
    return referral


@transaction.atomic
def referral_hand_on(
    *, case: Case, actor: Any, from_referral: Referral, organisation: Organisation, data: dict[str, Any]
) -> Referral:
    """A member hands the person on to another member (NPO → NPO, 北九州's 「団体間でつなぐ」).

    Only from a referral the organisation has accepted, and only to a member a valid consent of
    the case covers (the same gate as the city's referrals; no override: a coordinator holds no
    right to share beyond the person's consent). The receiving organisation then sees the case
    as any referred organisation does; the handing organisation keeps its own referral.
    """
    _lock_open_case(case, _("終了したケースからは引き継げません。"))
    status = Referral.objects.filter(pk=from_referral.pk).values_list("status", flat=True).first()
    if status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("受諾中の依頼からだけ、ほかの団体へ引き継げます。"))
    if organisation.pk == from_referral.organisation_id:
        raise ValidationError(_("自団体へは引き継げません。ほかの参加団体を選んでください。"))
    if covering_consent(case=case, organisation=organisation, day=timezone.localdate()) is None:
        raise ValidationError(
            _(
                "本人の同意がこの団体への共有を含んでいないため、引き継げません。市（事務局）に同意の確認を依頼してください。"
            )
        )
    referral = referral_send(
        case=case,
        actor=actor,
        organisation=organisation,
        data=data,
        from_organisation=from_referral.organisation,
    )
    _notify(  # the city holds the case: it is told too (a link only)
        platform=case.platform,
        users=_staff_of(platform=case.platform),
        subject=_("[つなぐ] 団体がほかの参加団体へ引き継ぎました"),
        path=_case_path(case),
    )
    return referral


@transaction.atomic
def referral_respond(
    *,
    referral: Referral,
    actor: Any,
    accept: bool,
    reason: str = "",
    note: str = "",
    on_behalf: bool = False,
) -> Referral:
    """Locks the case row first, then the referral: the order case_close and handoff_record use,
    so an answer racing the end of support waits instead of deadlocking.

    on_behalf: the organisation answered by phone and the secretariat (actor) records it; the case
    and the log say so."""
    case = Case.objects.select_for_update(no_key=True).select_related("platform").get(pk=referral.case_id)
    referral = Referral.objects.select_for_update(no_key=True).select_related("sent_by").get(pk=referral.pk)
    referral.case = case
    if referral.status != ReferralStatus.SENT:
        raise ValidationError(_("この依頼にはすでに応答済みです。"))
    if not accept and not reason:
        raise ValidationError(_("辞退の理由を選んでください。"))
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.responded_by, referral.responded_at = actor, timezone.now()
    referral.decline_reason, referral.decline_note = ("", "") if accept else (reason, note)
    referral.responded_on_behalf = on_behalf
    referral.full_clean()
    referral.save()
    case = referral.case
    if accept:
        _touch(
            case,
            status=CaseStatus.ACTIVE,
            next_handoff_due=timezone.localdate() + dt.timedelta(days=case.handoff_interval_days),
        )
    else:
        # The ledger's 依頼先 column names an organisation still holding the case, not the one that declined.
        still_open = (
            case.referrals.filter(status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED])
            .order_by("-sent_at", "-id")
            .first()
        )
        if still_open is None:
            _touch(case, status=CaseStatus.CONSENTED, referred_to=None)
        else:
            _touch(case, referred_to_id=still_open.organisation_id)
    ev.event_log(
        platform=case.platform,
        actor=actor,
        action=ev.REFERRAL_ACCEPTED if accept else ev.REFERRAL_DECLINED,
        case=case,
        data={"referral": referral.pk, "reason": referral.decline_reason, "on_behalf": on_behalf},
    )
    if accept:
        _close_on_decision(case, actor=actor)
    if not on_behalf:  # recorded by the secretariat itself: nobody there needs telling
        _notify(
            platform=case.platform,
            users=[referral.sent_by],
            subject=_("[つなぐ] 依頼への応答がありました"),
            path=_case_path(case),
        )
    return referral


@transaction.atomic
def handoff_record(
    *, referral: Referral, actor: Any, data: dict[str, Any], on_behalf: bool = False
) -> Handoff:
    """A handoff logged by the organisation, or (on_behalf) reported by phone and recorded by the
    secretariat: it is the organisation's handoff either way, marked as recorded for it."""
    case = Case.objects.select_for_update(no_key=True).select_related("platform").get(pk=referral.case_id)
    if referral.status != ReferralStatus.ACCEPTED or case.is_closed:
        raise ValidationError(_("受諾中の依頼にだけ引き渡しを記録できます。"))
    handoff = Handoff(
        case=case,
        referral=referral,
        organisation_id=referral.organisation_id,
        recorded_by=actor,
        on_behalf=on_behalf,
        **data,
    )
    if on_behalf and handoff.report_to_city:  # the secretariat heard the report itself
        handoff.report_read_at, handoff.report_read_by = timezone.now(), actor
    handoff.full_clean()
    handoff.save()
    last = max(filter(None, [case.last_handoff_on, handoff.date]))
    _touch(
        case,
        last_handoff_on=last,
        handoff_count=case.handoff_count + 1,
        next_handoff_due=last + dt.timedelta(days=case.handoff_interval_days),
    )
    ev.event_log(
        platform=case.platform,
        actor=actor,
        action=ev.HANDOFF_RECORDED,
        case=case,
        data={
            "handoff": handoff.pk,
            "referral": referral.pk,
            "date": _json(handoff.date),
            "report_to_city": handoff.report_to_city,
            "on_behalf": on_behalf,
        },
    )
    if handoff.report_to_city and not on_behalf:
        _notify(
            platform=case.platform,
            users=[referral.sent_by],
            subject=_("[つなぐ] 団体から報告があります"),
            path=_case_path(case),
        )
    return handoff


@transaction.atomic
def report_mark_read(*, handoff: Handoff, actor: Any) -> bool:
    """The secretariat has read an organisation's report to the city; True if it was new."""
    updated = Handoff.objects.filter(pk=handoff.pk, report_to_city=True, report_read_at__isnull=True).update(
        report_read_at=timezone.now(), report_read_by=actor
    )
    if updated:
        ev.event_log(
            platform=handoff.case.platform,
            actor=actor,
            action=ev.REPORT_READ,
            case=handoff.case,
            data={"handoff": handoff.pk},
        )
    return bool(updated)


def case_printed(*, case: Case, actor: Any, level: str, basis: str = "") -> None:
    """Printing a case summary puts the person's data on paper: logged like a view, as its own action."""
    data = {"level": level, **({"basis": basis} if basis else {})}
    ev.event_log(platform=case.platform, actor=actor, action=ev.CASE_PRINTED, case=case, data=data)


@transaction.atomic
def case_close(*, case: Case, actor: Any, reason: str, note: str, closed_on: dt.date, version: int) -> Case:
    """End support (the city decides); open referrals close too and their organisations are told."""
    if case.is_closed:
        raise ValidationError(_("このケースはすでに終了しています。"))
    if not reason:
        raise ValidationError(_("終了の理由を選んでください。"))
    if closed_on > timezone.localdate():
        raise ValidationError(_("終了日に未来の日付は指定できません。"))
    if closed_on < case.intake_date:
        raise ValidationError(
            _("終了日が受付日（%(day)s）より前になっています。") % {"day": case.intake_date.isoformat()}
        )
    updated = Case.objects.filter(pk=case.pk, version=version).update(
        status=CaseStatus.CLOSED,
        close_reason=reason,
        close_note=note,
        closed_on=closed_on,
        next_handoff_due=None,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise _conflict()
    open_referrals = case.referrals.filter(status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED])
    org_ids = list(open_referrals.values_list("organisation_id", flat=True))
    open_referrals.update(status=ReferralStatus.CLOSED)
    case.status, case.close_reason, case.close_note, case.closed_on, case.version = (
        CaseStatus.CLOSED,
        reason,
        note,
        closed_on,
        version + 1,
    )
    ev.event_log(
        platform=case.platform,
        actor=actor,
        action=ev.CASE_CLOSED,
        case=case,
        data={"reason": reason, "closed_on": _json(closed_on), "organisations_told": sorted(set(org_ids))},
    )
    _notify(
        platform=case.platform,
        users=_coordinators_of(platform=case.platform, organisation_ids=org_ids),
        subject=_("[つなぐ] 支援終了のお知らせ"),
        path=_case_path(case),
    )
    return case


@transaction.atomic
def working_group_add(
    *, case: Case, actor: Any, user: Any, override_reason: str = "", may_override: bool = False
) -> CaseWorkingGroupMember:
    """Add a member: only a person bound by the platform's body's confidentiality duty (a current
    acknowledgement: councils.selectors.current_seat), while the working group is open.

    The disclosure's legal basis is recorded on the row and in the log: by default the person's
    consent (the member sees the items a valid consent shares with their organisation); with
    CASES_WG_CONSENT_OVERRIDE and a written reason, the body's work under the duty (everything,
    logged as its own action)."""
    role = PlatformRole.objects.filter(platform=case.platform, user=user).first()
    if role is None:
        raise ValidationError(_("このプラットフォームに役割のある利用者だけを作業部会に加えられます。"))
    if WorkingGroupClosure.objects.filter(case=case).exists():
        raise ValidationError(_("このケースの作業部会は、支援先が決まったため閉じています。"))
    seat = council_selectors.current_seat(platform=case.platform, user=user)
    if seat is None:
        raise ValidationError(
            _(
                "守秘義務の確認が記録されていない人は作業部会に加えられません。"
                "会議体の「守秘義務の確認」で、構成機関の一員か個人の専門家として記録してください。"
            )
        )
    if case.working_group.filter(user=user, removed_at__isnull=True).exists():
        raise ValidationError(_("この利用者はすでに作業部会のメンバーです。"))
    override_reason = (override_reason or "").strip()
    if override_reason and not may_override:
        raise ValidationError(_("同意の範囲外の項目を見せる権限がありません。"))
    basis = DisclosureBasis.DUTY if override_reason else DisclosureBasis.CONSENT
    organisation_id = seat.body.organisation_id if seat.body else None
    member = CaseWorkingGroupMember.objects.create(
        case=case,
        user=user,
        organisation_id=organisation_id or role.organisation_id,
        added_by=actor,
        override_reason=override_reason,
        legal_basis=basis,
        duty=seat,
    )
    ev.event_log(
        platform=case.platform,
        actor=actor,
        action=ev.WG_CONSENT_OVERRIDE if override_reason else ev.WG_ADDED,
        case=case,
        data={
            "member": member.pk,
            "user": user.pk,
            "organisation": member.organisation_id,
            "basis": basis,
            "duty": seat.pk,
            "seat_kind": seat.kind,
        },
    )
    _notify(
        platform=case.platform,
        users=[user],
        subject=_("[つなぐ] 作業部会に追加されました"),
        path=_case_path(case),
    )
    return member


def _end_membership(member: CaseWorkingGroupMember, *, actor: Any, reason: str) -> None:
    member.removed_at, member.removed_by, member.end_reason = timezone.now(), actor, reason
    member.save(update_fields=["removed_at", "removed_by", "end_reason"])


@transaction.atomic
def working_group_remove(*, member: CaseWorkingGroupMember, actor: Any) -> CaseWorkingGroupMember:
    if member.removed_at:
        raise ValidationError(_("このメンバーはすでに外れています。"))
    _end_membership(member, actor=actor, reason=WorkingGroupEnd.REMOVED)
    ev.event_log(
        platform=member.case.platform,
        actor=actor,
        action=ev.WG_REMOVED,
        case=member.case,
        data={"member": member.pk, "user": member.user_id},
    )
    return member


@transaction.atomic
def working_group_close(*, case: Case, actor: Any) -> WorkingGroupClosure:
    """The support provider is decided (an organisation accepted the referral): the working group
    closes and every member loses access at once; the case stays with the secretariat and that
    organisation (through its referral)."""
    case = Case.objects.select_for_update(no_key=True).select_related("platform").get(pk=case.pk)
    if WorkingGroupClosure.objects.filter(case=case).exists():
        raise ValidationError(_("この作業部会はすでに閉じています。"))
    decided = case.referrals.filter(status=ReferralStatus.ACCEPTED).order_by("-responded_at", "-id").first()
    if decided is None:
        raise ValidationError(_("支援先がまだ決まっていません（依頼を受諾した団体がありません）。"))
    closure = WorkingGroupClosure.objects.create(
        case=case, provider_id=decided.organisation_id, closed_by=actor
    )
    members = list(case.working_group.filter(removed_at__isnull=True))
    for member in members:
        _end_membership(member, actor=actor, reason=WorkingGroupEnd.CLOSED)
    ev.event_log(
        platform=case.platform,
        actor=actor,
        action=ev.WG_CLOSED,
        case=case,
        data={"organisation": decided.organisation_id, "members_ended": [m.pk for m in members]},
    )
    return closure


def _close_on_decision(case: Case, *, actor: Any) -> None:
    """After an acceptance: close the working group when the platform's body says working groups
    last 「支援先決定まで」 and there is an open one."""
    council = council_selectors.council_for(platform=case.platform)
    if council is None or not council.groups_end_on_decision:
        return
    if WorkingGroupClosure.objects.filter(case=case).exists():
        return
    if case.working_group.filter(removed_at__isnull=True).exists():
        working_group_close(case=case, actor=actor)


@transaction.atomic
def working_group_duty_ended(*, seat: Any, actor: Any) -> list[CaseWorkingGroupMember]:
    """The person stopped working in the body (councils.signals.seat_ended): they leave every
    working group of the platform now; the rows stay."""
    members = list(
        CaseWorkingGroupMember.objects.filter(
            user_id=seat.user_id, case__platform_id=seat.council.platform_id, removed_at__isnull=True
        ).select_related("case__platform")
    )
    for member in members:
        _end_membership(member, actor=actor, reason=WorkingGroupEnd.DUTY_ENDED)
        ev.event_log(
            platform=member.case.platform,
            actor=actor,
            action=ev.WG_DUTY_ENDED,
            case=member.case,
            data={"member": member.pk, "user": member.user_id, "duty": seat.pk},
        )
    return members


def case_viewed(*, case: Case, actor: Any, level: str, page: str = "detail", basis: str = "") -> CaseEvent:
    """Reading personal data is logged too (no values, just who, when, which case and which screen;
    for a working-group member, the legal basis they see it on)."""
    data = {"level": level, "page": page}
    if basis:
        data["basis"] = basis
    return ev.event_log(
        platform=case.platform,
        actor=actor,
        action=ev.CASE_VIEWED,
        case=case,
        data=data,
    )


ANONYMISED_TEXT = ANONYMISED_WORD

# Personal fields blanked by retention; dates, organisations and counts stay for the figures.
_ANONYMISED_CASE = {
    "person_name": "",
    "contact": "",
    "age": "",
    "sex": "",
    "household": "",
    "situation": "",
    "hardship_reason": "",
    "willingness_reason": "",
    "city_support": "",
    "npo_support": "",
    "close_note": "",
}

_ANONYMISED_REQUEST = {
    "person_name": "",
    "contact": "",
    "age": "",
    "household": "",
    "situation": ANONYMISED_TEXT,
    "ask": "",
    "consent_given_by": "",
    "answer": "",
}


def _anonymise_without_case(*, before: dt.date) -> None:
    """Members' requests answered without a case, and supporters' reports handled without one,
    before the date: the same retention as a closed case (their counts stay for the figures)."""
    limit = dt.datetime.combine(before, dt.time.min, tzinfo=timezone.get_current_timezone())
    requests = IntakeRequest.objects.filter(
        case__isnull=True,
        status=IntakeRequestStatus.ANSWERED,
        answered_at__lt=limit,
        anonymised_at__isnull=True,
    )
    requests.exclude(without_consent_reason="").update(without_consent_reason=ANONYMISED_TEXT)
    requests.update(**_ANONYMISED_REQUEST, anonymised_at=timezone.now())
    SupporterReport.objects.filter(
        case__isnull=True, status=SupporterReportStatus.HANDLED, handled_at__lt=limit
    ).exclude(body=ANONYMISED_TEXT).update(body=ANONYMISED_TEXT)


@transaction.atomic
def cases_anonymise(*, closed_before: dt.date, actor: Any = None) -> int:
    """Strip personal data from cases closed before the date (retention); keep what the yearly
    figures count. Each case gets a `cases.case.anonymised` event with no actor (the system).
    """
    qs = Case.objects.filter(
        status=CaseStatus.CLOSED, closed_on__lt=closed_before, anonymised_at__isnull=True
    )
    cases = list(qs.select_related("platform").only("id", "platform"))
    _anonymise_without_case(before=closed_before)
    if not cases:
        return 0
    ids = [c.pk for c in cases]
    now = timezone.now()
    Case.objects.filter(pk__in=ids).update(**_ANONYMISED_CASE, anonymised_at=now, updated_at=now)
    Handoff.objects.filter(case_id__in=ids).update(given="", noticed="", quantity="")
    Referral.objects.filter(case_id__in=ids).update(allergy_detail="", note="", decline_note="")
    # An override reason is free text about the person ("入院中で…"); the row must keep a non-empty
    # reason (referral_consent_or_override), so it keeps only the fact that there was one.
    Referral.objects.filter(case_id__in=ids).exclude(override_reason="").update(
        override_reason=ANONYMISED_TEXT
    )
    Consent.objects.filter(case_id__in=ids).update(given_by="", revoked_note="")
    ConsentCorrection.objects.filter(consent__case_id__in=ids).anonymise()
    IntakeRequest.objects.filter(case_id__in=ids).update(**_ANONYMISED_REQUEST, anonymised_at=now)
    IntakeRequest.objects.filter(case_id__in=ids).exclude(without_consent_reason="").update(
        without_consent_reason=ANONYMISED_TEXT
    )
    SupporterReport.objects.filter(case_id__in=ids).update(body=ANONYMISED_TEXT)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=c,
                platform=c.platform,
                actor=actor_obj,
                action=ev.CASE_ANONYMISED,
                data={"closed_before": closed_before.isoformat()},
            )
            for c in cases
        ],
        batch_size=1000,
    )
    return len(cases)


# --- the two-way flow: a member's request to the city (NPO → 行政) ---------------------------------

REQUEST_FIELDS = (
    "urgency",
    "person_name",
    "contact",
    "age",
    "household",
    "situation",
    "ask",
    "consent_method",
    "consent_given_by",
    "consent_given_on",
    "without_consent_reason",
)


def _staff_of(*, platform: Platform) -> list[Any]:
    roles = PlatformRole.objects.filter(platform=platform, role=Role.SECRETARIAT).select_related("user")
    return [r.user for r in roles]


def _request_path(intake_request: IntakeRequest) -> str:
    return reverse(
        "cases:request-detail",
        kwargs={"platform": intake_request.platform.slug, "request_id": intake_request.pk},
    )


@transaction.atomic
def intake_request_send(
    *, platform: Platform, actor: Any, organisation: Organisation, data: dict[str, Any]
) -> IntakeRequest:
    """A member organisation asks the city to take on a person or household it met.

    With the person's consent recorded (how, by whom, when), or — only where the platform's
    setting allows it, only when urgent and with a written reason — without it; that is logged
    as its own action. The request lands in the secretariat's intake (a link by email).
    """
    _require_member(platform=platform, organisations=[organisation])
    values = {k: data[k] for k in REQUEST_FIELDS if k in data}
    reason = (values.get("without_consent_reason") or "").strip()
    if values.get("consent_given_on") is None:
        if not platform.urgent_request_without_consent:
            raise ValidationError(
                _("本人の同意を記録してください。このプラットフォームでは、同意のない依頼は送れません。")
            )
        if values.get("urgency") != Urgency.URGENT:
            raise ValidationError(_("本人の同意なしで依頼できるのは、緊急（当日中）のときだけです。"))
        if not reason:
            raise ValidationError(_("本人の同意なしで依頼する理由を書いてください。"))
        values.update(consent_method="", consent_given_by="")
    else:
        if not values.get("consent_method") or not (values.get("consent_given_by") or "").strip():
            raise ValidationError(_("同意の方法と、同意した人を記入してください。"))
        if values["consent_given_on"] > timezone.localdate():
            raise ValidationError(_("同意日に未来の日付は入力できません。"))
        reason = ""
    values["without_consent_reason"] = reason
    intake_request = IntakeRequest(
        platform=platform, organisation=organisation, sent_by=actor, sent_at=timezone.now(), **values
    )
    intake_request.full_clean()
    intake_request.save()
    ev.event_log(
        platform=platform,
        actor=actor,
        action=ev.REQUEST_WITHOUT_CONSENT if intake_request.without_consent else ev.REQUEST_SENT,
        data={
            "request": intake_request.pk,
            "organisation": organisation.pk,
            "urgency": intake_request.urgency,
            "consent_method": intake_request.consent_method,
        },
    )
    _notify(
        platform=platform,
        users=_staff_of(platform=platform),
        subject=_("[つなぐ] 団体から対応の依頼が届きました"),
        path=_request_path(intake_request),
    )
    return intake_request


def intake_request_viewed(*, intake_request: IntakeRequest, actor: Any) -> CaseEvent:
    """Reading a request shows the person's data: logged like a case view."""
    return ev.event_log(
        platform=intake_request.platform,
        actor=actor,
        action=ev.REQUEST_VIEWED,
        case=intake_request.case,
        data={"request": intake_request.pk},
    )


def _lock_sent_request(intake_request: IntakeRequest) -> IntakeRequest:
    fresh = (
        IntakeRequest.objects.select_for_update(no_key=True)
        .select_related("platform")
        .get(pk=intake_request.pk)
    )
    if fresh.status != IntakeRequestStatus.SENT:
        raise ValidationError(_("この依頼にはすでに回答しています。"))
    return fresh


@transaction.atomic
def intake_request_accept(
    *, intake_request: IntakeRequest, actor: Any, data: dict[str, Any], answer: str = ""
) -> Case:
    """The secretariat takes the request into a case: step 1 of the ledger, the organisation as its
    source. The organisation is told (a link to its request); it sees the case only if referred."""
    intake_request = _lock_sent_request(intake_request)
    platform = intake_request.platform
    case = case_create(platform=platform, actor=actor, data={**data, "source": ReferralSource.MEMBER})
    Case.objects.filter(pk=case.pk).update(source_organisation=intake_request.organisation)
    case.source_organisation = intake_request.organisation
    intake_request.status = IntakeRequestStatus.ACCEPTED
    intake_request.case = case
    intake_request.answer = (answer or "").strip() or _("ケースとして受け付けました。")
    intake_request.answered_by, intake_request.answered_at = actor, timezone.now()
    intake_request.save(update_fields=["status", "case", "answer", "answered_by", "answered_at"])
    ev.event_log(
        platform=platform,
        actor=actor,
        action=ev.REQUEST_ACCEPTED,
        case=case,
        data={"request": intake_request.pk, "organisation": intake_request.organisation_id},
    )
    _notify(
        platform=platform,
        users=[intake_request.sent_by],
        subject=_("[つなぐ] 市への依頼に回答がありました"),
        path=_request_path(intake_request),
    )
    return case


@transaction.atomic
def intake_request_answer(*, intake_request: IntakeRequest, actor: Any, answer: str) -> IntakeRequest:
    """The secretariat answers without opening a case (already known, another window...)."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(_("団体への回答を書いてください。"))
    intake_request = _lock_sent_request(intake_request)
    intake_request.status = IntakeRequestStatus.ANSWERED
    intake_request.answer = answer
    intake_request.answered_by, intake_request.answered_at = actor, timezone.now()
    intake_request.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    ev.event_log(
        platform=intake_request.platform,
        actor=actor,
        action=ev.REQUEST_ANSWERED,
        data={"request": intake_request.pk, "organisation": intake_request.organisation_id},
    )
    _notify(
        platform=intake_request.platform,
        users=[intake_request.sent_by],
        subject=_("[つなぐ] 市への依頼に回答がありました"),
        path=_request_path(intake_request),
    )
    return intake_request


# --- つながりサポーター ------------------------------------------------------------------------------


@transaction.atomic
def supporter_record(*, platform: Platform, actor: Any, user: Any, data: dict[str, Any]) -> Supporter:
    """Record (or update) a supporter's training: the user must hold the supporter role here."""
    if not PlatformRole.objects.filter(platform=platform, user=user, role=Role.SUPPORTER).exists():
        raise ValidationError(
            _("このプラットフォームで「つながりサポーター」の役割を持つ利用者だけを登録できます。")
        )
    trained_on, renewal = data["trained_on"], data.get("renewal_due_on")
    if renewal and renewal < trained_on:
        raise ValidationError(_("更新研修の期限は、修了日より後にしてください。"))
    supporter, _created = Supporter.objects.update_or_create(
        platform=platform,
        user=user,
        defaults={
            "trained_on": trained_on,
            "renewal_due_on": renewal,
            "badge_number": data.get("badge_number", ""),
            "area": data.get("area", ""),
        },
    )
    supporter.full_clean()
    ev.event_log(
        platform=platform,
        actor=actor,
        action=ev.SUPPORTER_RECORDED,
        data={
            "supporter": supporter.pk,
            "user": user.pk,
            "trained_on": _json(trained_on),
            "renewal_due_on": _json(renewal),
        },
    )
    return supporter


def supporter_intake_users(*, platform: Platform) -> list[Any]:
    """Whom the platform names to receive supporters' reports (the grant CASES_SUPPORTER_INTAKE)."""
    from .capabilities import CASES_SUPPORTER_INTAKE

    roles = PlatformRole.objects.filter(platform=platform).select_related("user")
    return [r.user for r in roles if CASES_SUPPORTER_INTAKE in (r.grants or ())]


@transaction.atomic
def supporter_report_send(*, platform: Platform, actor: Any, data: dict[str, Any]) -> SupporterReport:
    """A supporter's short report reaches the person the platform named; nobody named, not sent
    (deny by default: a report must not sit where nobody is bound to read it)."""
    intake = supporter_intake_users(platform=platform)
    if not intake:
        raise ValidationError(
            _("受付担当者がまだ決まっていないため、送れません。事務局へ電話でお知らせください。")
        )
    body = (data.get("body") or "").strip()
    if not body:
        raise ValidationError(_("気になったことを書いてください。"))
    area = (data.get("area") or "").strip()
    if not area:
        profile = Supporter.objects.filter(platform=platform, user=actor).only("area").first()
        area = profile.area if profile else ""
    report = SupporterReport(platform=platform, supporter=actor, area=area, body=body, sent_at=timezone.now())
    report.full_clean()
    report.save()
    ev.event_log(platform=platform, actor=actor, action=ev.SUPPORTER_REPORT_SENT, data={"report": report.pk})
    _notify(
        platform=platform,
        users=intake,
        subject=_("[つなぐ] つながりサポーターから報告が届きました"),
        path=reverse("cases:supporter-report", kwargs={"platform": platform.slug, "report_id": report.pk}),
    )
    return report


def supporter_report_viewed(*, report: SupporterReport, actor: Any) -> CaseEvent:
    return ev.event_log(
        platform=report.platform,
        actor=actor,
        action=ev.SUPPORTER_REPORT_VIEWED,
        case=report.case,
        data={"report": report.pk},
    )


def _lock_received_report(report: SupporterReport) -> SupporterReport:
    fresh = (
        SupporterReport.objects.select_for_update(no_key=True).select_related("platform").get(pk=report.pk)
    )
    if fresh.status != SupporterReportStatus.RECEIVED:
        raise ValidationError(_("この報告はすでに対応済みです。"))
    return fresh


@transaction.atomic
def supporter_report_handle(*, report: SupporterReport, actor: Any) -> SupporterReport:
    report = _lock_received_report(report)
    report.status, report.handled_by, report.handled_at = SupporterReportStatus.HANDLED, actor, timezone.now()
    report.save(update_fields=["status", "handled_by", "handled_at"])
    ev.event_log(
        platform=report.platform, actor=actor, action=ev.SUPPORTER_REPORT_HANDLED, data={"report": report.pk}
    )
    return report


@transaction.atomic
def supporter_report_open_case(*, report: SupporterReport, actor: Any, data: dict[str, Any]) -> Case:
    """The intake turns a report into a case (step 1), after speaking with the person."""
    report = _lock_received_report(report)
    case = case_create(
        platform=report.platform, actor=actor, data={**data, "source": ReferralSource.SUPPORTER}
    )
    report.status, report.handled_by, report.handled_at = SupporterReportStatus.HANDLED, actor, timezone.now()
    report.case = case
    report.save(update_fields=["status", "handled_by", "handled_at", "case"])
    ev.event_log(
        platform=report.platform,
        actor=actor,
        action=ev.SUPPORTER_REPORT_CASE,
        case=case,
        data={"report": report.pk},
    )
    return case
