"""Reads of jobs: a job is visible to the person who started it, in its platform, only."""

from __future__ import annotations

import uuid

from django.http import Http404
from django.utils import timezone

from platform_site.http import PlatformRequest
from platform_site.models import Job


def job_for_owner(request: PlatformRequest, job_id: uuid.UUID) -> Job:
    """The request's own unexpired job in this platform; anyone else's → 404 (no hint it exists)."""
    job = (
        Job.objects.defer("payload", "result")
        .filter(pk=job_id, platform=request.platform, owner=request.user, expires_at__gt=timezone.now())
        .first()
    )
    if job is None:
        raise Http404
    return job


def has_result(job: Job) -> bool:
    """Whether the result is still there to download (one query, without reading it)."""
    return Job.objects.filter(pk=job.pk, result__isnull=False).exists()
