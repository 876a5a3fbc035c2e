from django.http import HttpRequest

from .models import Role
from .permissions import Can


def platform_nav(request: HttpRequest) -> dict:
    """The current platform and rights (set by permissions.platform_view) for the nav.

    Templates ask `can.NAME` (a registered capability's constant name); `caps` stays for the few
    places that list codes.
    """
    caps: frozenset[str] = getattr(request, "capabilities", frozenset())
    role = getattr(request, "role", None)
    return {
        # Coordinators and supporters work on phones and residents look for help on theirs:
        # their pages (and every page outside a platform) get 44 px targets (static/css/app.css).
        "large_targets": role is None or role.role in (Role.COORDINATOR, Role.SUPPORTER),
        "current_platform": getattr(request, "platform", None),
        "current_role": getattr(request, "role", None),
        "caps": caps,
        "can": Can(caps),
    }
