"""Writes of the settings screen: one transaction, version-checked, recorded as PlatformChange."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ..audit import audit_write
from ..lib.forms import ConcurrentEdit
from ..models import MembershipTarget, Platform, PlatformChange

# What the settings screen edits (the rest of Platform is set up once, by a superuser).
SETTINGS_FIELDS = (
    "name",
    "secretariat",
    "secretariat_phone",
    "site_url",
    "leaflet_title",
    "leaflet_header",
    "leaflet_message",
    "leaflet_contact",
    "leaflet_issued_label",
    "leaflet_phone_lines",
    "reminder_unanswered_days",
    "reminder_consent_days",
    "entry_check_days",
    "reminder_intro",
    "entry_check_message",
    "applications_decided_by",
    "urgent_request_without_consent",
)
SETTINGS_UPDATED = "platform.settings.updated"
TARGET_SET = "platform.target.set"
TARGET_KEY = "target."  # a target's change is recorded as {"target.<年度>": [old, new]}


def _apply_fields(platform: Platform, data: dict[str, Any]) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for field in SETTINGS_FIELDS:
        if field in data and getattr(platform, field) != data[field]:
            changes[field] = [getattr(platform, field), data[field]]
            setattr(platform, field, data[field])
    if changes:
        platform.full_clean()
        platform.save(update_fields=list(changes))
    return changes


def _apply_targets(platform: Platform, targets: dict[int, int]) -> dict[str, list[Any]]:
    """Make the platform's targets exactly `targets` ({年度: 団体数}); returns the diff."""
    existing = {t.fiscal_year: t for t in MembershipTarget.objects.filter(platform=platform)}
    changes: dict[str, list[Any]] = {}
    for year in sorted(existing.keys() - targets.keys()):
        changes[f"{TARGET_KEY}{year}"] = [existing[year].target, None]
        existing[year].delete()
    for year, target in sorted(targets.items()):
        row = existing.get(year) or MembershipTarget(platform=platform, fiscal_year=year)
        if row.pk is not None and row.target == target:
            continue
        changes[f"{TARGET_KEY}{year}"] = [row.target if row.pk else None, target]
        row.target = target
        row.full_clean()
        row.save()
    return changes


@transaction.atomic
def platform_settings_update(
    *,
    platform: Platform,
    actor: Any,
    data: dict[str, Any],
    targets: dict[int, int] | None = None,
    expected_version: int,
) -> dict[str, list[Any]]:
    """Save the settings and (when given) the targets, or nothing.

    Refuses (ConcurrentEdit) when someone saved since `expected_version`: the form posts every
    field, so its stale values would silently undo the other administrator's change (lost
    update). The row lock makes the check and the bump one step. Returns the recorded diff.
    """
    locked = Platform.objects.select_for_update(no_key=True).get(pk=platform.pk)
    if locked.version != expected_version:
        raise ConcurrentEdit(
            _(
                "この設定は、開いた後に他の管理者が変更しました。最新の内容を確認してから、もう一度保存してください。"
            )
        )
    changes = _apply_fields(locked, data)
    target_changes = _apply_targets(locked, targets) if targets is not None else {}
    if changes:
        audit_write(PlatformChange, platform=locked, actor=actor, action=SETTINGS_UPDATED, changes=changes)
    if target_changes:
        audit_write(PlatformChange, platform=locked, actor=actor, action=TARGET_SET, changes=target_changes)
    if changes or target_changes:
        Platform.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        locked.refresh_from_db(fields=["version"])
    platform.__dict__.update({f: getattr(locked, f) for f in (*SETTINGS_FIELDS, "version")})
    return changes | target_changes
