from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from .capabilities import DASHBOARD_VIEW
from .extensions import dashboard_panels, home_panels
from .http import PlatformRequest
from .lib import japanese as jp
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


@platform_view(DASHBOARD_VIEW)
def platform_dashboard(request: PlatformRequest) -> HttpResponse:
    """The secretariat's dashboard of one 年度, composed of the panels the apps contribute."""
    raw = request.GET.get("year", "")
    current = jp.fiscal_year(timezone.localdate())
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else current
    years = [(y, jp.fiscal_year_label(y)) for y in range(current, current - 6, -1)]
    if year not in dict(years):
        years.append((year, jp.fiscal_year_label(year)))
    ctx = {
        "platform": request.platform,
        "year": year,
        "year_label": jp.fiscal_year_label(year),
        "years": years,
        "panels": dashboard_panels(request, year),
    }
    return render(request, "platform_dashboard.html", ctx)


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
