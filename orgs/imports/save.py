"""The import's save step: every new and changed organisation in a few bulk statements.

The Resource hands over the organisations its rows built (``create_instances`` /
``update_instances``, with ``import_lists`` and ``import_changes`` on each) once every row is
checked. New ones go in as multi-row INSERTs (COPY on PostgreSQL) with their membership,
its periods and role periods, phones and lists; changed ones get an UPDATE of the changed columns only, and their changed
lists replaced. Nothing here calls `save()` or sends signals, so the history (`OrgChange`,
source "import") is written here, one row per organisation with its field diff.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from platform_site.audit import chain_entries
from platform_site.lib import japanese as jp
from platform_site.lib.bulk import chunks, insert_objects, insert_rows, update_objects
from platform_site.models import Platform

from ..events import ORG_CREATED, ORG_UPDATED
from ..models import Membership, MembershipPeriod, Organisation, OrgChange, Phone, RolePeriod
from .match import PLATFORM_SCOPED, THROUGH_COLUMN

MEMBERSHIP_COLUMNS = {f.name for f in Membership._meta.concrete_fields}


def _add_lists(orgs: list[Organisation], *, only_changed: bool) -> None:
    """Phones and list links of the organisations (for updates: only the lists that changed)."""

    def wanted(org: Organisation, key: str) -> bool:
        return key in org.import_lists and (not only_changed or key in org.import_changes)

    insert_rows(
        Phone,
        ["organisation_id", "number", "note", "order"],
        [
            (org.pk, number, note, i)
            for org in orgs
            if wanted(org, "phones")
            for i, (number, note) in enumerate(org.import_lists["phones"])
        ],
    )
    for key, column in THROUGH_COLUMN.items():
        insert_rows(
            getattr(Organisation, key).through,
            ["organisation_id", column],
            [(org.pk, item.pk) for org in orgs if wanted(org, key) for item in org.import_lists[key]],
        )


def _add_periods(orgs: list[Organisation], *, only_changed: bool) -> None:
    """The membership periods and role periods the rows made (for updates: those that changed)."""

    def wanted(org: Organisation, key: str) -> bool:
        return not only_changed or f"membership.{key}" in org.import_changes

    insert_rows(
        MembershipPeriod,
        ["membership_id", "joined_on", "left_on", "leave_reason"],
        [
            (org.membership.pk, p.joined_on, p.left_on, p.leave_reason)
            for org in orgs
            if wanted(org, "periods")
            for p in org.import_periods[1]
        ],
    )
    insert_rows(
        RolePeriod,
        ["membership_id", "pf_role", "is_core", "started_on", "ended_on"],
        [
            (org.membership.pk, r.pf_role, r.is_core, r.started_on, r.ended_on)
            for org in orgs
            if wanted(org, "role_periods")
            for r in org.import_periods[3]
        ],
    )


def save_creates(orgs: list[Organisation], *, now: dt.datetime) -> None:
    for org in orgs:
        org.sort_key = jp.kana_sort_key(org.name_kana)
    insert_objects(orgs, now=now, returning=True)
    members = []
    for org in orgs:
        org.membership.organisation = org
        members.append(org.membership)
    insert_objects(members, now=now, returning=True)
    _add_lists(orgs, only_changed=False)
    _add_periods(orgs, only_changed=False)


def save_updates(orgs: list[Organisation], *, platform: Platform, now: dt.datetime) -> None:
    """Changed columns only; version + 1 is safe here because the rows are locked (select_for_update)."""
    org_items: list[tuple[Any, list[str]]] = []
    member_items: list[tuple[Any, list[str]]] = []
    for org in orgs:
        changes = org.import_changes
        fields = [k for k in changes if "." not in k and k not in org.import_lists]
        if any("." not in k for k in changes):  # the entry itself, its phones or lists
            org.sort_key, org.version, org.updated_at = jp.kana_sort_key(org.name_kana), org.version + 1, now
            org_items.append((org, [*fields, "sort_key", "version", "updated_at"]))
        member_fields = [k.removeprefix("membership.") for k in changes if k.startswith("membership.")]
        member_fields = [k for k in member_fields if k in MEMBERSHIP_COLUMNS]
        if member_fields or "membership.periods" in changes or "membership.role_periods" in changes:
            org.membership.updated_at = now
            member_items.append((org.membership, [*member_fields, "updated_at"]))
    update_objects(org_items)
    update_objects(member_items)
    for key in ("phones", *THROUGH_COLUMN):
        ids = [org.pk for org in orgs if key in org.import_changes]
        for chunk in chunks(ids):
            if key == "phones":
                Phone.objects.filter(organisation_id__in=chunk).delete()
                continue
            links = getattr(Organisation, key).through.objects.filter(organisation_id__in=chunk)
            links.filter(**{PLATFORM_SCOPED[key]: platform} if key in PLATFORM_SCOPED else {}).delete()
    _add_lists(orgs, only_changed=True)
    for model, key in ((MembershipPeriod, "membership.periods"), (RolePeriod, "membership.role_periods")):
        for chunk in chunks([org.membership.pk for org in orgs if key in org.import_changes]):
            model.objects.filter(membership_id__in=chunk).delete()
    _add_periods(orgs, only_changed=True)


def save_history(
    orgs: list[Organisation],
    *,
    created: bool,
    platform: Platform,
    actor: Any,
    actor_label: str,
    now: dt.datetime,
) -> None:
    user = actor if getattr(actor, "pk", None) else None
    label = actor_label or getattr(actor, "username", "")
    history = [
        OrgChange(
            organisation=org,
            organisation_name=org.name,
            platform=platform,
            actor=user,
            actor_label=label,
            action=ORG_CREATED if created else ORG_UPDATED,
            source=OrgChange.Source.IMPORT,
            changes=org.import_changes,
            at=now,
        )
        for org in orgs
    ]
    chain_entries(history)  # the fast writer skips save(): the rows join the chain here
    insert_objects(history, now=now)
