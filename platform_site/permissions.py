"""The capability registry and the lookup helpers every view goes through.

Rules (deny by default):
- no role in the platform, or the object belongs to another platform → 404 (no leak that it exists);
- a role in the platform but not the capability → 403.

Each app declares its own capabilities (`<app>/capabilities.py`) and registers them from its
`AppConfig.ready()`: a capability names the roles that carry it, or is *grantable* — carried by
no role, given to one named person through `PlatformRole.grants` (consent override, ledger
export). The core knows no app's capability names.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise

from .http import PlatformRequest
from .models import Platform, PlatformRole, Role


@dataclasses.dataclass(frozen=True)
class Capability:
    """One named right. `name` is the constant's name, used by templates (`can.CASES_EXPORT`)."""

    code: str
    name: str
    label: str | Promise
    roles: frozenset[str] = frozenset()
    grantable: bool = False
    #: The right shows personal data (names, contact details, a person's situation, raw
    #: responses). Whoever holds one must sign in with a second factor (platform_site.signin).
    personal_data: bool = False

    def __post_init__(self) -> None:
        if self.grantable and self.roles:
            raise ValueError(f"grantable capability {self.code} must not be carried by a role")


_REGISTRY: dict[str, Capability] = {}
_CODE_BY_NAME: dict[str, str] = {}  # what templates ask (`can.NAME`) → the code, one lookup


def register(*capabilities: Capability) -> None:
    for cap in capabilities:
        known = _REGISTRY.get(cap.code)
        if known is not None and known != cap:
            raise ValueError(f"capability {cap.code!r} is registered twice")
        if any(c.name == cap.name and c.code != cap.code for c in _REGISTRY.values()):
            raise ValueError(f"capability name {cap.name!r} is taken")
        _REGISTRY[cap.code] = cap
        _CODE_BY_NAME[cap.name] = cap.code


def all_capabilities() -> list[Capability]:
    return list(_REGISTRY.values())


def capability(code: str) -> Capability:
    return _REGISTRY[code]


def capability_label(code: str) -> str:
    cap = _REGISTRY.get(code)
    return str(cap.label) if cap else code


def grantable() -> frozenset[str]:
    return frozenset(c.code for c in _REGISTRY.values() if c.grantable)


def role_capabilities(role: str) -> frozenset[str]:
    return frozenset(c.code for c in _REGISTRY.values() if role in c.roles)


def personal_data_capabilities() -> frozenset[str]:
    return frozenset(c.code for c in _REGISTRY.values() if c.personal_data)


#: Roles that never carry a grant, whatever `PlatformRole.grants` holds: an individual expert sits
#: in the working groups that seat them and holds nothing else; a つながりサポーター sends reports and
#: signs in without a second factor, so no grant may add a right over personal data (docs/roles.md).
NO_GRANTS: frozenset[str] = frozenset({Role.EXPERT, Role.SUPPORTER})


def capabilities_of(role: PlatformRole | None) -> frozenset[str]:
    if role is None:
        return frozenset()
    if role.role in NO_GRANTS:
        return role_capabilities(role.role)
    return role_capabilities(role.role) | (frozenset(role.grants or ()) & grantable())


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


def user_can(user: Any, platform: Platform, code: str) -> bool:
    return code in capabilities_of(role_for(user, platform))


def get_platform_for_user(request: HttpRequest, slug: str) -> tuple[Platform, PlatformRole]:
    """The platform of the URL, or 404 when the user has no role in it (another tenant)."""
    platform = get_object_or_404(Platform, slug=slug)
    role = role_for(request.user, platform)
    if role is None:
        raise Http404
    return platform, role


def require(request: PlatformRequest, code: str) -> None:
    """403 when the user's role in request.platform lacks the capability."""
    if code not in request.capabilities:
        raise PermissionDenied


class UnknownCapability(Exception):
    """A template asked `can.NAME` for a name no app registered (a typo must not read as 'no')."""


class Can:
    """What templates ask: `{% if can.CASES_EXPORT %}`. Unknown names raise, never hide a link."""

    def __init__(self, capabilities: Iterable[str]) -> None:
        self._codes = frozenset(capabilities)

    def __getitem__(self, name: str) -> bool:
        code = _CODE_BY_NAME.get(name)
        if code is None:
            raise UnknownCapability(name)
        return code in self._codes

    def __contains__(self, code: str) -> bool:
        return code in self._codes


def platform_view(
    code: str | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorator for views under /p/<platform>/: login, tenant (404), then capability (403).

    Sets request.platform, request.role and request.capabilities (see `PlatformRequest`).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @functools.wraps(view)
        def wrapped(request: HttpRequest, platform: str, *args: Any, **kwargs: Any) -> HttpResponse:
            plat, role = get_platform_for_user(request, platform)
            preq = cast(PlatformRequest, request)
            preq.platform = plat
            preq.role = role
            preq.capabilities = capabilities_of(role)
            if code is not None:
                require(preq, code)
            return view(preq, *args, **kwargs)

        wrapped.required_capability = code  # type: ignore[attr-defined]  # a mark for the rights tests
        return wrapped

    return decorator
