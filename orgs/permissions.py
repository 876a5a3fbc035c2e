"""The one permission map of the product, and the lookup helpers every view goes through.

Rules (deny by default):
- no role in the platform, or the object belongs to another platform → 404 (no leak that it exists);
- a role in the platform but not the capability → 403.
Capabilities are named constants; a role grants a fixed set, and `PlatformRole.grants` may add
the grantable ones (consent override, ledger export) to one person.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from .models import Platform, PlatformRole, Role

# Registry
ORGS_VIEW = "orgs.view"  # members' entries, including contact persons
ORGS_EDIT_ANY = "orgs.edit_any"  # edit any organisation of the platform
ORGS_EDIT_OWN = "orgs.edit_own"  # a coordinator edits their own organisation's entry
MEMBERSHIP_MANAGE = "orgs.membership_manage"  # pipeline, core, joined/left
ORGS_IMPORT = "orgs.import"
ORGS_EXPORT = "orgs.export"
CATEGORIES_MANAGE = "orgs.categories_manage"
USERS_MANAGE = "platform.users_manage"
LEAFLET_MAKE = "orgs.leaflet_make"
# Ledger
CASES_VIEW_ALL = "cases.view_all"  # every case of the platform (the secretariat)
CASES_EDIT = "cases.edit"  # create cases, consent, referrals, close
CASES_RESPOND = "cases.respond"  # a coordinator's inbox: accept/decline, log handoffs
CASES_EXPORT = "cases.export"  # the 引き継ぎ簿 XLSX (grantable only)
CASES_CONSENT_OVERRIDE = "cases.consent_override"  # refer without covering consent (grantable only)
CASES_WORKING_GROUPS = "cases.working_groups"
CASES_STATS = "cases.stats"  # figures without names
AUDIT_VIEW = "audit.view"  # read the access log

CAPABILITY_LABELS: dict[str, Any] = {
    ORGS_VIEW: _("参加団体の情報と担当者を見る"),
    ORGS_EDIT_ANY: _("すべての団体の情報を編集する"),
    ORGS_EDIT_OWN: _("自団体の情報を編集する"),
    MEMBERSHIP_MANAGE: _("参加状況（候補→参加→退会、コア）を管理する"),
    ORGS_IMPORT: _("名簿を取り込む（Excel/CSV）"),
    ORGS_EXPORT: _("名簿を書き出す（Excel/CSV）"),
    CATEGORIES_MANAGE: _("悩みのカテゴリと活動分野を管理する"),
    USERS_MANAGE: _("利用者と役割を管理する"),
    LEAFLET_MAKE: _("相談先一覧リーフレットを作る"),
    CASES_VIEW_ALL: _("プラットフォームのすべてのケースを見る"),
    CASES_EDIT: _("ケースの登録・同意・紹介・終結"),
    CASES_RESPOND: _("自団体への紹介に応答し、引き継ぎを記録する"),
    CASES_EXPORT: _("引き継ぎ簿を書き出す（個人情報を含む。記録されます）"),
    CASES_CONSENT_OVERRIDE: _("同意の範囲外でも理由を書いて紹介する（記録され、表示されます）"),
    CASES_WORKING_GROUPS: _("作業部会のメンバーを追加・削除する"),
    CASES_STATS: _("名前のない集計を見る"),
    AUDIT_VIEW: _("アクセス記録を見る"),
}

_SECRETARIAT = frozenset({
    ORGS_VIEW, ORGS_EDIT_ANY, MEMBERSHIP_MANAGE, ORGS_IMPORT, ORGS_EXPORT, CATEGORIES_MANAGE,
    LEAFLET_MAKE, CASES_VIEW_ALL, CASES_EDIT, CASES_WORKING_GROUPS, CASES_STATS,
})

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.SECRETARIAT: _SECRETARIAT,
    Role.ADMIN: _SECRETARIAT | {USERS_MANAGE, AUDIT_VIEW},
    Role.COORDINATOR: frozenset({ORGS_VIEW, ORGS_EDIT_OWN, CASES_RESPOND}),
}

# Rights that no role carries by itself: given to a named person, and shown in docs/roles.md.
GRANTABLE: frozenset[str] = frozenset({CASES_EXPORT, CASES_CONSENT_OVERRIDE})


def capabilities_of(role: PlatformRole | None) -> frozenset[str]:
    if role is None:
        return frozenset()
    return ROLE_CAPABILITIES.get(role.role, frozenset()) | (frozenset(role.grants or ()) & GRANTABLE)


def role_for(user: Any, platform: Platform) -> PlatformRole | None:
    """The user's role in the platform, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache: dict[int, PlatformRole | None] = user.__dict__.setdefault("_platform_roles", {})
    if platform.pk not in cache:
        cache[platform.pk] = (
            PlatformRole.objects.select_related("organisation").filter(user=user, platform=platform).first()
        )
    return cache[platform.pk]


def user_can(user: Any, platform: Platform, capability: str) -> bool:
    return capability in capabilities_of(role_for(user, platform))


def get_platform_for_user(request: HttpRequest, slug: str) -> tuple[Platform, PlatformRole]:
    """The platform of the URL, or 404 when the user has no role in it (another tenant)."""
    platform = get_object_or_404(Platform, slug=slug)
    role = role_for(request.user, platform)
    if role is None:
        raise Http404
    return platform, role


def require(request: HttpRequest, capability: str) -> None:
    """403 when the user's role in request.platform lacks the capability."""
    if capability not in request.capabilities:  # type: ignore[attr-defined]
        raise PermissionDenied


def platform_view(capability: str | None = None) -> Callable:
    """Decorator for views under /p/<platform>/: login, tenant (404), then capability (403).

    Sets request.platform, request.role and request.capabilities.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @functools.wraps(view)
        def wrapped(request: HttpRequest, platform: str, *args: Any, **kwargs: Any) -> HttpResponse:
            plat, role = get_platform_for_user(request, platform)
            request.platform = plat  # type: ignore[attr-defined]
            request.role = role  # type: ignore[attr-defined]
            request.capabilities = capabilities_of(role)  # type: ignore[attr-defined]
            if capability is not None:
                require(request, capability)
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator
