"""The audit trail screen (administrators): every audit table of the platform, with filters."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from ..capabilities import AUDIT_TRAIL
from ..http import PlatformRequest
from ..permissions import platform_view
from . import services
from .forms import TrailFilterForm
from .selectors import TrailFilter, subject_label, trail_page


def _before(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None


@platform_view(AUDIT_TRAIL)
def trail(request: PlatformRequest) -> HttpResponse:
    form = TrailFilterForm(request.GET or None, platform=request.platform)
    flt = form.to_filter() if form.is_bound and form.is_valid() else TrailFilter()
    before = _before(request.GET.get("before"))
    page = trail_page(platform=request.platform, flt=flt, before=before)
    services.trail_viewed(platform=request.platform, actor=request.user, filters=flt.as_log(), before=before)
    query = request.GET.copy()
    query.pop("before", None)
    rows = [{"entry": e, "subject": subject_label(e), "table": e._meta.verbose_name} for e in page.rows]
    return render(
        request,
        "trail/list.html",
        {"form": form, "rows": rows, "page": page, "query": query.urlencode()},
    )
