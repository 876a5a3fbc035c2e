from django.http import HttpRequest

from .permissions import Can


def platform_nav(request: HttpRequest) -> dict:
    """The current platform and rights (set by permissions.platform_view) for the nav.

    Templates ask `can.NAME` (a registered capability's constant name); `caps` stays for the few
    places that list codes.
    """
    caps: frozenset[str] = getattr(request, "capabilities", frozenset())
    return {
        "current_platform": getattr(request, "platform", None),
        "current_role": getattr(request, "role", None),
        "caps": caps,
        "can": Can(caps),
    }
