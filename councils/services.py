"""Writes of the duty-bound body. Each one writes its CouncilChange in the same transaction.

Rules:
- a body under 孤独・孤立対策推進法 has the date of its public announcement;
- changing the text of the duty means a new version (the acknowledgements name the version);
- a person is seated once at a time: as one of a current member body's people, or as an
  individual expert (role `expert`, no organisation);
- ending a seat (the person leaves, or their member body does) ends their access to every
  working group at once (signals.seat_ended: the ledger closes their memberships).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.models import Organisation
from platform_site.audit import audit_write
from platform_site.models import Platform, PlatformRole, Role

from . import events as ev
from .models import Council, CouncilChange, CouncilLaw, DutyAcknowledgement, Meeting, MemberBody, SeatKind
from .signals import seat_ended

COUNCIL_FIELDS = (
    "name",
    "kind",
    "law",
    "parent_body",
    "established_on",
    "announced_on",
    "secretariat",
    "duty_version",
    "duty_text",
    "groups_end_on_decision",
)


def _log(council: Council, *, actor: Any, action: str, data: dict[str, Any]) -> CouncilChange:
    return audit_write(
        CouncilChange, platform=council.platform, council=council, actor=actor, action=action, data=data
    )


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _check_council(data: dict[str, Any], previous: Council | None) -> None:
    errors: dict[str, str] = {}
    if CouncilLaw.needs_announcement(data.get("law", "")) and not data.get("announced_on"):
        errors["announced_on"] = _("孤独・孤立対策推進法の地域協議会は、公表日を入力してください。")
    established, announced = data.get("established_on"), data.get("announced_on")
    if established and announced and announced < established:
        errors["announced_on"] = _("公表日は設置日より後にしてください。")
    if (
        previous is not None
        and (data.get("duty_text") or "").strip() != previous.duty_text.strip()
        and data.get("duty_version") == previous.duty_version
    ):
        errors["duty_version"] = _("守秘義務の説明文を変えたときは、版も変えてください。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def council_save(*, platform: Platform, actor: Any, data: dict[str, Any]) -> Council:
    """Create the platform's body, or change it (only the fields that changed are logged, as names)."""
    council = Council.objects.select_for_update(no_key=True).filter(platform=platform).first()
    _check_council(data, council)
    if council is None:
        council = Council.objects.create(
            platform=platform, **{k: data[k] for k in COUNCIL_FIELDS if k in data}
        )
        _log(council, actor=actor, action=ev.COUNCIL_CREATED, data={"kind": council.kind, "law": council.law})
        return council
    changed = [k for k in COUNCIL_FIELDS if k in data and getattr(council, k) != data[k]]
    if not changed:
        return council
    for key in changed:
        setattr(council, key, data[key])
    council.save()
    logged = {k: _json(data[k]) for k in changed if k in ("kind", "law", "established_on", "announced_on")}
    _log(council, actor=actor, action=ev.COUNCIL_UPDATED, data={"fields": changed, **logged})
    return council


@transaction.atomic
def body_add(
    *,
    council: Council,
    actor: Any,
    organisation: Organisation | None = None,
    department: str = "",
    is_coordinating: bool = False,
    joined_on: dt.date,
) -> MemberBody:
    department = (department or "").strip()
    if bool(organisation) == bool(department):
        raise ValidationError(_("団体か市の部署のどちらか一方を選んでください。"))
    current = council.bodies.filter(left_on__isnull=True)
    if organisation is not None and current.filter(organisation=organisation).exists():
        raise ValidationError(_("この団体はすでに構成機関です。"))
    if department and current.filter(department=department).exists():
        raise ValidationError(_("この部署はすでに構成機関です。"))
    body = MemberBody.objects.create(
        council=council,
        organisation=organisation,
        department=department,
        is_coordinating=is_coordinating,
        joined_on=joined_on,
    )
    _log(
        council,
        actor=actor,
        action=ev.BODY_ADDED,
        data={
            "body": body.pk,
            "organisation": body.organisation_id,
            "coordinating": is_coordinating,
            "joined_on": joined_on.isoformat(),
        },
    )
    return body


@transaction.atomic
def body_end(*, body: MemberBody, actor: Any, left_on: dt.date) -> MemberBody:
    """The body leaves: its people's seats end with it (and their working groups at once)."""
    body = (
        MemberBody.objects.select_for_update(no_key=True).select_related("council__platform").get(pk=body.pk)
    )
    if body.left_on:
        raise ValidationError(_("この構成機関はすでに外れています。"))
    if left_on < body.joined_on:
        raise ValidationError({"left_on": _("脱退日は参加日より後にしてください。")})
    body.left_on = left_on
    body.save(update_fields=["left_on"])
    seats = list(body.seats.filter(ended_at__isnull=True).select_related("council__platform", "user"))
    _log(
        body.council,
        actor=actor,
        action=ev.BODY_ENDED,
        data={"body": body.pk, "left_on": left_on.isoformat(), "seats_ended": [s.pk for s in seats]},
    )
    for seat in seats:
        _end_seat(seat, actor=actor, ended_on=left_on)
    return body


@transaction.atomic
def meeting_record(*, council: Council, actor: Any, data: dict[str, Any]) -> Meeting:
    meeting = Meeting.objects.create(
        council=council,
        held_on=data["held_on"],
        title=data["title"],
        agenda=data["agenda"],
        minutes=data.get("minutes", ""),
        recorded_by=actor,
    )
    _log(
        council,
        actor=actor,
        action=ev.MEETING_RECORDED,
        data={"meeting": meeting.pk, "held_on": meeting.held_on.isoformat()},
    )
    return meeting


@transaction.atomic
def duty_acknowledge(
    *,
    council: Council,
    actor: Any,
    user: Any,
    acknowledged_on: dt.date,
    body: MemberBody | None = None,
    expertise: str = "",
) -> DutyAcknowledgement:
    """Record that `user` acknowledged the duty (the current text version) on `acknowledged_on`.

    With `body`: one of that current member body's people (a coordinator only for their own
    organisation; the secretariat's people for the body they work for — a city department, or a
    core member that is the PF's secretariat). Without: an individual expert, who must hold the
    `expert` role."""
    role = PlatformRole.objects.filter(platform=council.platform, user=user).first()
    if role is None:
        raise ValidationError(_("このプラットフォームに役割のある利用者だけを記録できます。"))
    if DutyAcknowledgement.objects.filter(council=council, user=user, ended_at__isnull=True).exists():
        raise ValidationError(_("この利用者の守秘義務の確認はすでに記録されています。"))
    if body is None:
        if role.role != Role.EXPERT:
            raise ValidationError(
                _(
                    "構成機関を選んでください。個人の専門家として記録できるのは「専門家」の役割の利用者だけです。"
                )
            )
        kind = SeatKind.EXPERT
    else:
        if body.council_id != council.pk or not body.is_current:
            raise ValidationError({"body": _("現在の構成機関を選んでください。")})
        if role.role == Role.EXPERT:
            raise ValidationError({"body": _("専門家は構成機関を選ばず、個人として記録します。")})
        if role.role == Role.COORDINATOR and body.organisation_id != role.organisation_id:
            raise ValidationError({"body": _("団体コーディネーターは、自分の団体の構成機関にだけ属せます。")})
        kind = SeatKind.BODY
    if acknowledged_on > timezone.localdate():
        raise ValidationError({"acknowledged_on": _("確認日に未来の日付は入力できません。")})
    seat = DutyAcknowledgement.objects.create(
        council=council,
        user=user,
        kind=kind,
        body=body,
        expertise=(expertise or "").strip() if kind == SeatKind.EXPERT else "",
        acknowledged_on=acknowledged_on,
        text_version=council.duty_version,
        recorded_by=actor,
    )
    _log(
        council,
        actor=actor,
        action=ev.DUTY_ACKNOWLEDGED,
        data={
            "seat": seat.pk,
            "user": user.pk,
            "kind": kind,
            "body": body.pk if body else None,
            "version": seat.text_version,
            "acknowledged_on": acknowledged_on.isoformat(),
        },
    )
    return seat


def _end_seat(seat: DutyAcknowledgement, *, actor: Any, ended_on: dt.date) -> None:
    seat.ended_on, seat.ended_at, seat.ended_by = ended_on, timezone.now(), actor
    seat.save(update_fields=["ended_on", "ended_at", "ended_by"])
    _log(
        seat.council,
        actor=actor,
        action=ev.DUTY_ENDED,
        data={"seat": seat.pk, "user": seat.user_id, "ended_on": ended_on.isoformat()},
    )
    seat_ended.send(sender=DutyAcknowledgement, seat=seat, actor=actor)


@transaction.atomic
def duty_end(
    *, seat: DutyAcknowledgement, actor: Any, ended_on: dt.date | None = None
) -> DutyAcknowledgement:
    """The person stops working in the body: their working groups end now; the record stays."""
    seat = (
        DutyAcknowledgement.objects.select_for_update(no_key=True)
        .select_related("council__platform")
        .get(pk=seat.pk)
    )
    if seat.ended_at:
        raise ValidationError(_("この参加はすでに終わっています。"))
    ended_on = ended_on or timezone.localdate()
    if ended_on < seat.acknowledged_on:
        raise ValidationError({"ended_on": _("参加をやめた日は確認日より後にしてください。")})
    _end_seat(seat, actor=actor, ended_on=ended_on)
    return seat
