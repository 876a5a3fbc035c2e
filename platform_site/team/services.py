"""Writes of the team screen: every role change leaves a RoleChange in the same transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..audit import audit_write
from ..models import Platform, PlatformRole, RoleChange
from ..permissions import NO_GRANTS, capabilities_of, grantable
from ..signin.services import sessions_end

User = get_user_model()

ROLE_ADDED = "platform.role.added"
ROLE_CHANGED = "platform.role.changed"
ROLE_REMOVED = "platform.role.removed"


def _snapshot(role: PlatformRole | None) -> dict[str, Any]:
    if role is None:
        return {}
    return {"role": role.role, "organisation": role.organisation_id, "grants": sorted(role.grants or [])}


@transaction.atomic
def role_set(
    *, platform: Platform, actor: Any, user: Any, role: str, organisation: Any, grants: list[str]
) -> PlatformRole:
    existing = (
        PlatformRole.objects.select_for_update(no_key=True).filter(platform=platform, user=user).first()
    )
    before = _snapshot(existing)
    rights_before = capabilities_of(existing)
    obj = existing or PlatformRole(platform=platform, user=user)
    obj.role, obj.organisation = role, organisation
    obj.grants = [] if role in NO_GRANTS else sorted(set(grants) & grantable())
    obj.full_clean()
    obj.save()
    after = _snapshot(obj)
    if before != after:
        audit_write(
            RoleChange,
            platform=platform,
            actor=actor,
            target=user,
            action=ROLE_CHANGED if existing else ROLE_ADDED,
            changes={k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]},
        )
    if rights_before - capabilities_of(obj) and user.pk != getattr(actor, "pk", None):
        sessions_end(user=user)  # a right taken away: every open session of theirs ends now
    return obj


@transaction.atomic
def user_create_with_role(
    *,
    platform: Platform,
    actor: Any,
    username: str,
    full_name: str,
    email: str,
    password: str,
    role: str,
    organisation: Any,
    grants: list[str],
) -> PlatformRole:
    user = User.objects.create_user(username=username, email=email, password=password, last_name=full_name)
    return role_set(
        platform=platform, actor=actor, user=user, role=role, organisation=organisation, grants=grants
    )


@transaction.atomic
def role_remove(*, platform: Platform, actor: Any, role: PlatformRole) -> None:
    if role.user_id == actor.pk:
        raise ValidationError(_("自分自身の役割は外せません。別の管理者に依頼してください。"))
    audit_write(
        RoleChange,
        platform=platform,
        actor=actor,
        target=role.user,
        action=ROLE_REMOVED,
        changes={"role": [role.role, None]},
    )
    role.delete()
    sessions_end(user=role.user)  # every open session of theirs ends now, in every browser
