from django.http import HttpRequest


def platform_nav(request: HttpRequest) -> dict:
    """The current platform and capabilities (set by orgs.permissions.platform_view) for the nav."""
    return {
        "current_platform": getattr(request, "platform", None),
        "current_role": getattr(request, "role", None),
        "caps": getattr(request, "capabilities", frozenset()),
    }
