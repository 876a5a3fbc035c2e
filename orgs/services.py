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
from .models import (
    ActivityField,
    ContactPerson,
    Language,
    Membership,
    MembershipStatus,
    Organisation,
    OrgChange,
    Phone,
    WorryCategory,
)

ORG_FIELDS = (
    "ref",
    "name",
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
    member = Membership(platform=platform, organisation=org, **(membership or {}))
    member.full_clean()
    member.save()
    snapshot = {
        f: [None, _plain(getattr(org, f))] for f in ORG_FIELDS if getattr(org, f) not in ("", None, False)
    }
    snapshot |= {k: [None, v] for k, v in _m2m_names(org, platform).items() if v}
    snapshot |= {
        f"membership.{f}": [None, _plain(getattr(member, f))]
        for f in MEMBERSHIP_FIELDS
        if getattr(member, f) not in ("", None, False)
    }
    change_record(
        organisation=org,
        platform=platform,
        actor=actor,
        action=ev.ORG_CREATED,
        changes=snapshot,
        source=source,
    )
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
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
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


PIPELINE_NEXT = {
    MembershipStatus.CANDIDATE: {
        MembershipStatus.CONTACTED,
        MembershipStatus.MEMBER,
        MembershipStatus.WITHDRAWN,
    },
    MembershipStatus.CONTACTED: {
        MembershipStatus.CANDIDATE,
        MembershipStatus.MEMBER,
        MembershipStatus.WITHDRAWN,
    },
    MembershipStatus.MEMBER: {MembershipStatus.WITHDRAWN},
    MembershipStatus.WITHDRAWN: {MembershipStatus.MEMBER, MembershipStatus.CANDIDATE},
}


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

    Becoming a member sets joined_on (today unless given); withdrawing sets left_on. With
    ``expected_updated_at`` (the form's copy of updated_at), refuse (ConcurrentEdit) when someone
    saved since: the form posts every field, so its stale values would undo their change.
    """
    today = today or timezone.localdate()
    m = Membership.objects.select_for_update().get(pk=membership.pk)
    if expected_updated_at and m.updated_at.isoformat() != expected_updated_at:
        raise ConcurrentEdit(
            _(
                "この参加状況は、開いた後に他の人が更新しました。最新の内容を確認してから、もう一度変更してください。"
            )
        )
    new_status = data.get("status", m.status)
    if new_status != m.status and new_status not in PIPELINE_NEXT[MembershipStatus(m.status)]:
        raise ValidationError(
            {
                "status": _("「%(old)s」から「%(new)s」には変更できません。")
                % {"old": MembershipStatus(m.status).label, "new": MembershipStatus(new_status).label}
            }
        )
    if new_status == MembershipStatus.MEMBER and m.status != MembershipStatus.MEMBER:
        data.setdefault("joined_on", None)
        data["joined_on"] = data["joined_on"] or m.joined_on or today
        if m.status == MembershipStatus.WITHDRAWN:
            data["left_on"] = None
    if new_status == MembershipStatus.WITHDRAWN and m.status != MembershipStatus.WITHDRAWN:
        data["left_on"] = data.get("left_on") or today
    changes: dict[str, list[Any]] = {}
    for field in MEMBERSHIP_FIELDS:
        if field in data and getattr(m, field) != data[field]:
            changes[f"membership.{field}"] = [_plain(getattr(m, field)), _plain(data[field])]
            setattr(m, field, data[field])
    m.full_clean()
    if changes:
        m.save()
        change_record(
            organisation=m.organisation,
            platform=m.platform,
            actor=actor,
            action=ev.MEMBERSHIP_UPDATED,
            changes=changes,
            source=source,
        )
    membership.__dict__.update({f: getattr(m, f) for f in MEMBERSHIP_FIELDS})
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
