"""Writes to events. Each service validates, saves and appends an EventChange in the same
transaction, so no creation, edit or import goes unrecorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from orgs.models import Membership, MembershipStatus, Organisation
from platform_site.audit import audit_write
from platform_site.lib import japanese as jp
from platform_site.lib.forms import ConcurrentEdit
from platform_site.models import Platform

from . import events as ev
from .models import (
    Contractor,
    Distribution,
    Event,
    EventChange,
    EventSession,
    EventType,
    Format,
    Kpi,
    MediaMetric,
    OrganiserKind,
)

EVENT_FIELDS = (
    "fiscal_year",
    "ref",
    "order",
    "name",
    "event_type",
    "is_trial",
    "status",
    "description",
    "purpose",
    "target_audience",
    "date_start",
    "date_end",
    "period_note",
    "venue",
    "format",
    "organiser_kind",
    "organiser",
    "organiser_note",
    "contractor",
    "contractor_note",
    "budget_yen",
    "budget_approx",
    "budget_note",
    "spent_yen",
    "spent_approx",
    "unit",
    "applicants",
    "attendees_in_person",
    "attendees_online",
    "attendance_note",
    "results",
    "feedback",
    "is_public",
)

# What the organiser's coordinator edits of its own event: the event as run and its results. The
# year, order and code, the organiser, the contractor and budget, the participants, whether it is
# a trial project and whether it is public stay with the secretariat.
ORGANISER_FIELDS = (
    "name",
    "event_type",
    "status",
    "description",
    "purpose",
    "target_audience",
    "date_start",
    "date_end",
    "period_note",
    "venue",
    "format",
    "unit",
    "applicants",
    "attendees_in_person",
    "attendees_online",
    "attendance_note",
    "results",
    "feedback",
)

# Child rows: model, the fields kept per row, and the key in `children`.
CHILDREN: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "sessions": (EventSession, ("date", "applicants", "attendees", "note")),
    "kpis": (Kpi, ("name", "unit", "target", "actual")),
    "media": (MediaMetric, ("medium", "impressions", "clicks", "conversions")),
    "distributions": (Distribution, ("item", "quantity", "unit")),
}


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    return value


def member_organisations(platform: Platform) -> Any:
    return Organisation.objects.filter(
        memberships__platform=platform, memberships__status=MembershipStatus.MEMBER
    ).order_by("sort_key", "id")


def validate_event(
    *, platform: Platform, data: dict[str, Any], participants: Iterable[Organisation] = ()
) -> None:
    """Every rule an event must satisfy, as one ValidationError keyed by field (Japanese messages)."""
    errors: dict[str, list[str]] = {}
    start, end, year = data.get("date_start"), data.get("date_end"), data.get("fiscal_year")
    if start and end and end < start:
        errors.setdefault("date_end", []).append(_("終了日は開始日より後にしてください。"))
    if start and year and jp.fiscal_year(start) != year:
        errors.setdefault("date_start", []).append(
            _("開始日が%(fy)sではありません。") % {"fy": jp.fiscal_year_label(year)}
        )
    event_type = data.get("event_type")
    if event_type is not None and event_type.platform_id not in (None, platform.pk):
        errors.setdefault("event_type", []).append(_("この種類は選べません。"))
    contractor = data.get("contractor")
    if contractor is not None and contractor.platform_id != platform.pk:
        errors.setdefault("contractor", []).append(_("この発注先は選べません。"))
    organiser = data.get("organiser")
    members = set(
        Membership.objects.filter(platform=platform, status=MembershipStatus.MEMBER).values_list(
            "organisation_id", flat=True
        )
    )
    if data.get("organiser_kind") == OrganiserKind.MEMBER and organiser is None:
        errors.setdefault("organiser", []).append(_("実施主体の参加団体を選んでください。"))
    if organiser is not None and organiser.pk not in members:
        errors.setdefault("organiser", []).append(
            _("実施主体はこのプラットフォームの参加団体から選んでください。")
        )
    if any(org.pk not in members for org in participants):
        errors.setdefault("participants", []).append(
            _("参加団体はこのプラットフォームの参加団体から選んでください。")
        )
    if data.get("format") == Format.IN_PERSON and data.get("attendees_online"):
        errors.setdefault("attendees_online", []).append(
            _("対面の事業にはオンラインの参加数を入れられません。")
        )
    if data.get("format") == Format.ONLINE and data.get("attendees_in_person"):
        errors.setdefault("attendees_in_person", []).append(
            _("オンラインの事業には対面の参加数を入れられません。")
        )
    if errors:
        raise ValidationError(errors)


def _replace_children(event: Event, children: Mapping[str, Sequence[dict[str, Any]]]) -> dict[str, list[Any]]:
    """Replace the given kinds of child rows; returns {kind: [old count, new count]} for what changed."""
    changed: dict[str, list[Any]] = {}
    for kind, rows in children.items():
        model, fields = CHILDREN[kind]
        manager = getattr(event, kind)
        old = [tuple(_plain(getattr(r, f)) for f in fields) for r in manager.all()]
        new = [tuple(_plain(row.get(f)) for f in fields) for row in rows]
        if old == new:
            continue
        manager.all().delete()
        objs = []
        for order, row in enumerate(rows):
            values = {f: row.get(f) for f in fields}
            if model is not EventSession:
                values["order"] = order
            objs.append(model(event=event, **values))
        model._default_manager.bulk_create(objs)
        changed[kind] = [len(old), len(new)]
    return changed


@transaction.atomic
def event_create(
    *,
    platform: Platform,
    actor: Any,
    data: dict[str, Any],
    participants: Iterable[Organisation] = (),
    children: Mapping[str, Sequence[dict[str, Any]]] | None = None,
    action: str = ev.EVENT_CREATED,
) -> Event:
    participants = list(participants)
    validate_event(platform=platform, data=data, participants=participants)
    fields = {k: v for k, v in data.items() if k in EVENT_FIELDS}
    if not fields.get("order"):
        last = Event.objects.filter(platform=platform, fiscal_year=fields.get("fiscal_year") or 0).aggregate(
            last=Max("order")
        )["last"]
        fields["order"] = (last or 0) + 1
    event = Event(platform=platform, **fields)
    event.full_clean(exclude=["platform", "participants"])
    event.save()
    event.participants.set(participants)
    _replace_children(event, children or {})
    audit_write(
        EventChange,
        action=action,
        actor=actor,
        platform=platform,
        event=event,
        event_name=event.name,
        changes={"name": [None, event.name]},
    )
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    actor: Any,
    data: dict[str, Any],
    version: int,
    participants: Iterable[Organisation] | None = None,
    children: Mapping[str, Sequence[dict[str, Any]]] | None = None,
    action: str = ev.EVENT_UPDATED,
) -> bool:
    """Save the changes; False when nothing changed. Raises ConcurrentEdit on a stale version."""
    locked = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    if locked.version != version:
        raise ConcurrentEdit(_("ほかの人がこの事業を先に保存しました。最新の内容を開き直してください。"))
    current = {f: getattr(locked, f) for f in EVENT_FIELDS}
    merged = current | {k: v for k, v in data.items() if k in EVENT_FIELDS}
    participants = list(participants) if participants is not None else None
    validate_event(platform=locked.platform, data=merged, participants=participants or ())
    changes = {
        f: [_plain(current[f]), _plain(merged[f])]
        for f in EVENT_FIELDS
        if _plain(current[f]) != _plain(merged[f])
    }
    for field, value in merged.items():
        setattr(locked, field, value)
    locked.full_clean(exclude=["platform", "participants"])
    if participants is not None:
        old_ids = sorted(locked.participants.values_list("pk", flat=True))
        new_ids = sorted(o.pk for o in participants)
        if old_ids != new_ids:
            locked.participants.set(participants)
            changes["participants"] = [old_ids, new_ids]
    changes |= _replace_children(locked, children or {})
    if not changes:
        return False
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db(fields=["version"])
    audit_write(
        EventChange,
        action=action,
        actor=actor,
        platform=locked.platform,
        event=locked,
        event_name=locked.name,
        changes=changes,
    )
    event.version = locked.version
    return True


@transaction.atomic
def event_update_by_organiser(
    *,
    event: Event,
    actor: Any,
    organisation_id: int,
    data: dict[str, Any],
    version: int,
    children: Mapping[str, Sequence[dict[str, Any]]] | None = None,
) -> bool:
    """The organiser's coordinator saves its event and results (ORGANISER_FIELDS and the child
    rows only); recorded as the organiser's edit, with the person who made it."""
    if event.organiser_id is None or event.organiser_id != organisation_id:
        raise PermissionDenied(_("この事業を編集できるのは実施主体の団体と事務局です。"))
    refused = sorted(set(data) - set(ORGANISER_FIELDS))
    if refused:
        raise ValueError(f"fields the organiser does not edit: {refused}")
    return event_update(
        event=event,
        actor=actor,
        data=data,
        version=version,
        children=children,
        action=ev.EVENT_UPDATED_BY_ORGANISER,
    )


@transaction.atomic
def event_type_create(*, platform: Platform, actor: Any, name: str) -> EventType:
    """A platform's own event type (the built-in ones come with the product)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("種類の名称を入力してください。")]})
    existing = EventType.objects.filter(platform__in=[platform], name=name) | EventType.objects.filter(
        platform__isnull=True, name=name
    )
    if existing.exists():
        raise ValidationError({"name": [_("同じ名称の種類があります。")]})
    base = slugify(name, allow_unicode=False) or "custom"
    code, n = base, 1
    while EventType.objects.filter(platform=platform, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    event_type = EventType.objects.create(platform=platform, code=code, name=name)
    audit_write(
        EventChange,
        action=ev.TYPE_CREATED,
        actor=actor,
        platform=platform,
        event_name="",
        changes={"event_type": [None, name]},
    )
    return event_type


def contractor_for(*, platform: Platform, name: str, legal_form: str = "") -> Contractor:
    """The platform's 発注先 of that name, created when new (call inside the caller's transaction)."""
    contractor, _created = Contractor.objects.get_or_create(
        platform=platform, name=name.strip(), defaults={"legal_form": legal_form}
    )
    return contractor
