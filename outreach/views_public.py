"""The public list of events (no login): only those the platform marked public."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from platform_site.models import Platform

from .selectors import public_events


@require_GET
def public_event_list(request: HttpRequest, platform: str) -> HttpResponse:
    plat = get_object_or_404(Platform, slug=platform, is_public=True)
    events = list(public_events(platform=plat)[:200])
    return render(request, "outreach/public_events.html", {"platform": plat, "events": events})
