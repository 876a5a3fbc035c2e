from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from .extensions import home_panels
from .http import PlatformRequest
from .permissions import platform_view
from .selectors import platforms_for_user, public_platforms


def home(request: HttpRequest) -> HttpResponse:
    """Signed-in users go to their platform; others see the public directories and a login link."""
    if request.user.is_authenticated:
        roles = platforms_for_user(user=request.user)
        if len(roles) == 1:
            return redirect("platform-home", platform=roles[0].platform.slug)
        return render(request, "home.html", {"roles": roles})
    return render(request, "home.html", {"public_platforms": public_platforms()})


@platform_view()
def platform_home(request: PlatformRequest) -> HttpResponse:
    """The platform's home: a header, then the panels each app contributes for this person."""
    ctx = {"platform": request.platform, "role": request.role, "panels": home_panels(request)}
    return render(request, "platform_home.html", ctx)


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
