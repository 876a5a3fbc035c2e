"""Writes to the registry. Each service validates, saves, and records the change history
(OrgChange) in the same transaction, so no edit, import or pipeline move goes unrecorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_site.audit import audit_write
from platform_site.lib import japanese as jp
from platform_site.lib.forms import ConcurrentEdit
from platform_site.models import Platform

from . import events as ev
from . import pipeline
from .models import (
    ActivityField,
    ContactPerson,
    Language,
    Membership,
    MembershipPeriod,
    MembershipStatus,
    Organisation,
    OrgChange,
    Phone,
    RolePeriod,
    WorryCategory,
)
from .pipeline import Period, RoleSpan
from .searchtext import search_text_refresh

ORG_FIELDS = (
    "ref",
    "name",
    "name_en",
    "name_kana",
    "legal_form",
    "corporate_number",
    "website",
    "email",
    "postal_code",
    "address",
    "address_private",
    "hours",
    "activity",
    "activity_en",
    "what_to_expect",
    "lgbtq_support",
    "public_listing",
    "verified_on",
)
MEMBERSHIP_FIELDS = ("status", "is_core", "pf_role", "joined_on", "left_on", "source", "source_note", "note")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return sorted(str(v) for v in value)
    return value


def change_record(
    *,
    organisation: Organisation,
    platform: Platform | None,
    actor: Any,
    action: str,
    changes: dict[str, list[Any]],
    source: str = OrgChange.Source.WEB,
) -> OrgChange:
    return audit_write(
        OrgChange,
        organisation=organisation,
        organisation_name=organisation.name,
        platform=platform,
        action=action,
        source=source,
        changes=changes,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "username", "") or str(actor or ""),
    )


def _m2m_names(org: Organisation, platform: Platform) -> dict[str, list[str]]:
    return {
        "worry_categories": sorted(
            c.name for c in org.worry_categories.all() if c.platform_id == platform.pk
        ),
        "activity_fields": sorted(f.name for f in org.activity_fields.all() if f.platform_id == platform.pk),
        "languages": sorted(lang.code for lang in org.languages.all()),
    }


def _set_platform_m2m(org: Organisation, platform: Platform, data: dict[str, Any]) -> None:
    """Replace this platform's categories/fields; keep those another platform gave the org."""
    if "worry_categories" in data:
        keep = [c for c in org.worry_categories.all() if c.platform_id != platform.pk]
        org.worry_categories.set(keep + [c for c in data["worry_categories"] if c.platform_id == platform.pk])
    if "activity_fields" in data:
        keep_f = [f for f in org.activity_fields.all() if f.platform_id != platform.pk]
        org.activity_fields.set(keep_f + [f for f in data["activity_fields"] if f.platform_id == platform.pk])
    if "languages" in data:
        org.languages.set(data["languages"])


@transaction.atomic
def organisation_create(
    *,
    platform: Platform,
    actor: Any,
    data: dict[str, Any],
    membership: dict[str, Any] | None = None,
    source: str = OrgChange.Source.WEB,
) -> Organisation:
    org = Organisation(**{k: v for k, v in data.items() if k in ORG_FIELDS})
    org.sort_key = jp.kana_sort_key(org.name_kana)
    org.full_clean()
    org.save()
    _set_platform_m2m(org, platform, data)
    member_data = dict(membership or {})
    values, periods, roles = _plan_membership(
        old_status=MembershipStatus.CANDIDATE,
        old_periods=[],
        old_roles=[],
        current={f: getattr(Membership(), f) for f in MEMBERSHIP_FIELDS},  # the model's defaults
        data=member_data,
        today=timezone.localdate(),
    )
    member = Membership(platform=platform, organisation=org, **values)
    member.full_clean()
    member.save()
    write_periods(member, periods=periods, roles=roles)
    snapshot = {
        f: [None, _plain(getattr(org, f))] for f in ORG_FIELDS if getattr(org, f) not in ("", None, False)
    }
    snapshot |= {k: [None, v] for k, v in _m2m_names(org, platform).items() if v}
    snapshot |= {
        f"membership.{f}": [None, _plain(getattr(member, f))]
        for f in MEMBERSHIP_FIELDS
        if getattr(member, f) not in ("", None, False)
    }
    snapshot |= {k: [None, v] for k, (_old, v) in _period_changes([], periods, [], roles).items()}
    change_record(
        organisation=org,
        platform=platform,
        actor=actor,
        action=ev.ORG_CREATED,
        changes=snapshot,
        source=source,
    )
    search_text_refresh(ids=[org.pk])
    return org


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    platform: Platform,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    source: str = OrgChange.Source.WEB,
) -> dict[str, list[Any]]:
    """Update an entry; refuse (ConcurrentEdit) when someone saved since `expected_version`.

    Returns the field diff that was recorded ({} when nothing changed).
    """
    org = Organisation.objects.select_for_update(no_key=True).get(pk=organisation.pk)
    if expected_version is not None and org.version != expected_version:
        raise ConcurrentEdit(
            _(
                "この団体情報は、開いた後に他の人が更新しました。最新の内容を確認してから、もう一度編集してください。"
            )
        )
    before_m2m = _m2m_names(org, platform)
    changes: dict[str, list[Any]] = {}
    for field in ORG_FIELDS:
        if field in data and getattr(org, field) != data[field]:
            changes[field] = [_plain(getattr(org, field)), _plain(data[field])]
            setattr(org, field, data[field])
    org.sort_key = jp.kana_sort_key(org.name_kana)
    org.full_clean()
    _set_platform_m2m(org, platform, data)
    after_m2m = _m2m_names(org, platform)
    changes |= {k: [before_m2m[k], after_m2m[k]] for k in after_m2m if after_m2m[k] != before_m2m[k]}
    if changes:
        org.version = F("version") + 1
        org.save()
        org.refresh_from_db(fields=["version", "updated_at"])
        change_record(
            organisation=org,
            platform=platform,
            actor=actor,
            action=ev.ORG_UPDATED,
            changes=changes,
            source=source,
        )
        search_text_refresh(ids=[org.pk])
    organisation.version = org.version
    return changes


@transaction.atomic
def organisation_verify(*, organisation: Organisation, platform: Platform, actor: Any, on: dt.date) -> None:
    """Record that someone checked the entry is still true (separate from 'last updated')."""
    old = organisation.verified_on
    Organisation.objects.filter(pk=organisation.pk).update(verified_on=on, verified_by=actor)
    change_record(
        organisation=organisation,
        platform=platform,
        actor=actor,
        action=ev.ORG_VERIFIED,
        changes={"verified_on": [_plain(old), on.isoformat()]},
    )


@transaction.atomic
def phones_replace(
    *, organisation: Organisation, platform: Platform, actor: Any, phones: list[dict[str, str]]
) -> bool:
    """Replace the phone list; returns whether it changed (and then records it)."""
    before = [str(p) for p in organisation.phones.all()]
    items = [
        Phone(organisation=organisation, order=i, number=p["number"], note=p.get("note", ""))
        for i, p in enumerate(phones)
    ]
    for item in items:
        item.full_clean(exclude=["organisation"])
    organisation.phones.all().delete()
    Phone.objects.bulk_create(items)
    after = [str(p) for p in items]
    if before != after:
        change_record(
            organisation=organisation,
            platform=platform,
            actor=actor,
            action=ev.PHONES_UPDATED,
            changes={"phones": [before, after]},
        )
        search_text_refresh(ids=[organisation.pk])
    return before != after


@transaction.atomic
def contacts_replace(
    *, organisation: Organisation, platform: Platform, actor: Any, contacts: list[dict[str, str]]
) -> bool:
    """Contact persons (担当者). The history keeps that they changed, not their names.

    Returns whether the list changed; an unchanged list is left alone and not recorded.
    """
    keys = ("name", "title", "phone", "email")
    existing = list(organisation.contacts.all())
    items = [ContactPerson(organisation=organisation, order=i, **c) for i, c in enumerate(contacts)]
    for item in items:
        item.full_clean(exclude=["organisation"])
    if [[getattr(c, k) for k in keys] for c in existing] == [[getattr(c, k) for k in keys] for c in items]:
        return False
    organisation.contacts.all().delete()
    ContactPerson.objects.bulk_create(items)
    change_record(
        organisation=organisation,
        platform=platform,
        actor=actor,
        action=ev.CONTACTS_UPDATED,
        changes={"contacts_count": [len(existing), len(items)]},
    )
    return True


@transaction.atomic
def organisation_edit(
    *,
    organisation: Organisation,
    platform: Platform,
    actor: Any,
    data: dict[str, Any],
    phones: list[dict[str, str]],
    contacts: list[dict[str, str]],
    expected_version: int,
) -> bool:
    """The edit screen's save: entry, phones and contact persons together, or nothing.

    The version check covers all three: a save that changes only phones or contacts still
    bumps the version, so a second person editing from the same version gets ConcurrentEdit
    instead of silently overwriting the first (lost update). Returns whether anything changed.
    """
    changes = organisation_update(
        organisation=organisation,
        platform=platform,
        actor=actor,
        data=data,
        expected_version=expected_version,
    )
    phones_changed = phones_replace(organisation=organisation, platform=platform, actor=actor, phones=phones)
    contacts_changed = contacts_replace(
        organisation=organisation, platform=platform, actor=actor, contacts=contacts
    )
    if (phones_changed or contacts_changed) and not changes:
        Organisation.objects.filter(pk=organisation.pk).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        organisation.version = Organisation.objects.values_list("version", flat=True).get(pk=organisation.pk)
    return bool(changes) or phones_changed or contacts_changed


def periods_of(membership: Membership) -> list[Period]:
    return [
        Period(joined_on=p.joined_on, left_on=p.left_on, leave_reason=p.leave_reason)
        for p in membership.periods.order_by("joined_on")
    ]


def roles_of(membership: Membership) -> list[RoleSpan]:
    return [
        RoleSpan(pf_role=r.pf_role, is_core=r.is_core, started_on=r.started_on, ended_on=r.ended_on)
        for r in membership.role_periods.order_by("started_on")
    ]


def write_periods(
    membership: Membership, *, periods: list[Period] | None = None, roles: list[RoleSpan] | None = None
) -> None:
    """Replace the membership's periods (and/or role periods) with these, already checked."""
    if periods is not None:
        membership.periods.all().delete()
        MembershipPeriod.objects.bulk_create(
            MembershipPeriod(
                membership=membership, joined_on=p.joined_on, left_on=p.left_on, leave_reason=p.leave_reason
            )
            for p in periods
        )
    if roles is not None:
        membership.role_periods.all().delete()
        RolePeriod.objects.bulk_create(
            RolePeriod(
                membership=membership,
                pf_role=r.pf_role,
                is_core=r.is_core,
                started_on=r.started_on,
                ended_on=r.ended_on,
            )
            for r in roles
        )


def set_single_period(
    membership: Membership, *, leave_reason: str = "", roles: list[RoleSpan] | None = None
) -> dict[str, list[Any]]:
    """Give a membership written with one 参加日/退会日 (the demo loader; the data migration does
    the same in SQL terms) exactly that period, and its role and core status over the same days
    (or the ``roles`` given, already fitting the period). Idempotent: loading the demo again
    leaves the periods as they are. Returns what it changed, as the history records periods
    (``membership.periods``, ``membership.role_periods``; empty when nothing), for the caller's
    history row."""
    m = membership
    periods = (
        [Period(joined_on=m.joined_on, left_on=m.left_on, leave_reason=leave_reason)] if m.joined_on else []
    )
    if roles is None:
        roles = pipeline.fit_roles(
            [], periods, pf_role=m.pf_role, is_core=m.is_core, on=m.joined_on or dt.date.min
        )
    old_periods, old_roles = periods_of(m), roles_of(m)
    changes = _period_changes(old_periods, periods, old_roles, roles)
    if changes:
        write_periods(m, periods=periods, roles=roles)
    return changes


def _plan_membership(
    *,
    old_status: str,
    old_periods: list[Period],
    old_roles: list[RoleSpan],
    current: dict[str, Any],
    data: dict[str, Any],
    today: dt.date,
) -> tuple[dict[str, Any], list[Period], list[RoleSpan]]:
    """The pipeline's move as the screens make it (orgs.pipeline): the membership's new field
    values, periods and role periods; ValidationError with every problem when the rules say no."""
    new_status = data.get("status", old_status)
    if problem := pipeline.move_problem(old_status, new_status):
        raise ValidationError({"status": problem})
    periods = pipeline.move_periods(
        old_status,
        new_status,
        old_periods,
        joined_on=data.get("joined_on"),
        left_on=data.get("left_on"),
        leave_reason=data.get("leave_reason"),
        today=today,
    )
    if problems := pipeline.period_problems(new_status, periods, today=today):
        raise ValidationError(problems)
    values = {k: data.get(k, current.get(k)) for k in MEMBERSHIP_FIELDS}
    roles = pipeline.fit_roles(
        old_roles,
        periods,
        pf_role=str(values["pf_role"]),
        is_core=bool(values["is_core"]),
        on=data.get("role_changed_on") or today,
    )
    if periods:  # the membership row keeps the latest period's dates
        values["joined_on"], values["left_on"] = periods[-1].joined_on, periods[-1].left_on
    elif new_status == MembershipStatus.WITHDRAWN:  # declined before ever joining: when
        values["joined_on"] = None
        values["left_on"] = data.get("left_on") or current.get("left_on") or today
    else:
        values["joined_on"] = None
    return values, periods, roles


def _period_changes(
    old_periods: list[Period], periods: list[Period], old_roles: list[RoleSpan], roles: list[RoleSpan]
) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    if old_periods != periods:
        changes["membership.periods"] = [pipeline.texts(old_periods), pipeline.texts(periods)]
    if old_roles != roles:
        changes["membership.role_periods"] = [pipeline.texts(old_roles), pipeline.texts(roles)]
    return changes


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    actor: Any,
    data: dict[str, Any],
    today: dt.date | None = None,
    source: str = OrgChange.Source.WEB,
    expected_updated_at: str | None = None,
) -> dict[str, list[Any]]:
    """Move through the pipeline (candidate → contacted → member → withdrawn) and edit PF role.

    The rules are orgs.pipeline's: becoming a member starts a period on joined_on (today unless
    given), withdrawing ends it on left_on (today unless given) with ``leave_reason``; a change
    of PF role or core status starts a role period on ``role_changed_on`` (today unless given).
    Every period change goes into the same history row as the fields. With
    ``expected_updated_at`` (the form's copy of updated_at), refuse (ConcurrentEdit) when someone
    saved since: the form posts every field, so its stale values would undo their change.
    """
    today = today or timezone.localdate()
    m = Membership.objects.select_for_update(no_key=True).get(pk=membership.pk)
    if expected_updated_at and m.updated_at.isoformat() != expected_updated_at:
        raise ConcurrentEdit(
            _(
                "この参加状況は、開いた後に他の人が更新しました。最新の内容を確認してから、もう一度変更してください。"
            )
        )
    old_periods, old_roles = periods_of(m), roles_of(m)
    values, periods, roles = _plan_membership(
        old_status=m.status,
        old_periods=old_periods,
        old_roles=old_roles,
        current={f: getattr(m, f) for f in MEMBERSHIP_FIELDS},
        data=data,
        today=today,
    )
    changes: dict[str, list[Any]] = {}
    for field in MEMBERSHIP_FIELDS:
        if getattr(m, field) != values[field]:
            changes[f"membership.{field}"] = [_plain(getattr(m, field)), _plain(values[field])]
            setattr(m, field, values[field])
    changes |= _period_changes(old_periods, periods, old_roles, roles)
    m.full_clean()
    if changes:
        m.save()
        write_periods(
            m,
            periods=periods if old_periods != periods else None,
            roles=roles if old_roles != roles else None,
        )
        change_record(
            organisation=m.organisation,
            platform=m.platform,
            actor=actor,
            action=ev.MEMBERSHIP_UPDATED,
            changes=changes,
            source=source,
        )
    membership.__dict__.update({f: getattr(m, f) for f in MEMBERSHIP_FIELDS})
    membership.__dict__["updated_at"] = m.updated_at
    return changes


def category_choices(platform: Platform) -> dict[str, Any]:
    return {
        "worry_categories": WorryCategory.objects.filter(platform=platform),
        "activity_fields": ActivityField.objects.filter(platform=platform),
        "languages": Language.objects.all(),
    }


def registry_exported(
    *, platform: Platform, actor: Any, organisation_ids: Any, contacts: bool, file_format: str
) -> None:
    """An export that carries the contact persons (personal data) is logged in the registry's
    trail, with how many organisations it held (``organisation_ids``: the filter, None for all)."""
    if not contacts:
        return
    held = Membership.objects.filter(platform=platform)
    if organisation_ids is not None:
        held = held.filter(organisation_id__in=organisation_ids)
    organisations = held.count()
    audit_write(
        OrgChange,
        organisation=None,
        organisation_name="",
        platform=platform,
        action=ev.EXPORT_CONTACTS,
        source=OrgChange.Source.WEB,
        changes={"organisations": [None, organisations], "format": [None, file_format]},
        actor=actor,
        actor_label=getattr(actor, "username", ""),
    )
