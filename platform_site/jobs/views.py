"""The status page of a background job and its one-time download (the job's owner only)."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from platform_site.http import PlatformRequest
from platform_site.permissions import platform_view, require

from . import job_kind
from .selectors import has_result, job_for_owner
from .services import job_take_result

REFRESH_SECONDS = 2


@platform_view()
def job_status(request: PlatformRequest, job: uuid.UUID) -> HttpResponse:
    """Progress while it runs (the page reloads itself every few seconds, no script), then the
    message and the download button. Another person's job, or an expired one: 404."""
    found = job_for_owner(request, job)
    kind = job_kind(found.kind)
    require(request, kind.capability)
    ctx = {
        "job": found,
        "kind": kind,
        "back_url": kind.back_url(found) if kind.back_url else "",
        "downloadable": found.finished and bool(found.result_name) and has_result(found),
        "refresh": 0 if found.finished else REFRESH_SECONDS,
    }
    response = render(request, "jobs/status.html", ctx)
    response["Cache-Control"] = "no-store"
    return response


@platform_view()
@require_POST
def job_download(request: PlatformRequest, job: uuid.UUID) -> HttpResponse:
    """The result, once: it is deleted as it is sent. A second try goes back to the status page."""
    found = job_for_owner(request, job)
    require(request, job_kind(found.kind).capability)
    taken = job_take_result(job=found)
    if taken is None:
        if not found.finished:
            raise Http404
        return redirect("jobs:status", request.platform.slug, found.pk)
    name, content_type, content = taken
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
