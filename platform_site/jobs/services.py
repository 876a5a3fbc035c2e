"""Writes of jobs: start, hand the result over once, purge (running one: tasks.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from platform_site.models import Job, JobStatus, Platform

from . import job_kind
from .tasks import run_job


def jobs_purge(*, now: dt.datetime | None = None) -> int:
    """Delete expired jobs with whatever they still hold (uploads, results). Returns how many."""
    deleted, _by_model = Job.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


@transaction.atomic
def job_start(
    *,
    platform: Platform,
    owner: Any,
    kind: str,
    params: dict[str, Any] | None = None,
    payload: bytes | None = None,
    payload_name: str = "",
    reuse: bool = False,
) -> Job:
    """Save the job and queue it, in one transaction: a job is queued exactly when it exists.
    The task's one argument is the job's id. With `reuse`, the same person's unfinished job of
    the same kind and options is returned instead (a double click starts one job, not two)."""
    job_kind(kind)  # an unknown kind fails here, not on the worker
    jobs_purge()
    if reuse:
        running = (
            Job.objects.defer("payload", "result")
            .filter(
                platform=platform, owner=owner, kind=kind, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
            )
            .order_by("-created_at")
        )
        for job in running:
            if job.params == (params or {}):
                return job
    job = Job.objects.create(
        platform=platform,
        owner=owner,
        kind=kind,
        params=params or {},
        payload=payload,
        payload_name=payload_name,
        expires_at=timezone.now() + dt.timedelta(seconds=settings.JOB_RESULT_SECONDS),
    )
    run_job.enqueue(str(job.pk))
    return job


@transaction.atomic
def job_take_result(*, job: Job) -> tuple[str, str, bytes] | None:
    """(file name, content type, bytes) of a finished job's result, deleted as it is handed
    over: a result is downloaded once. None when there is none (any more)."""
    row = Job.objects.select_for_update(no_key=True).filter(pk=job.pk, status=JobStatus.DONE).first()
    if row is None or row.result is None:
        return None
    content = bytes(row.result)
    Job.objects.filter(pk=job.pk).update(result=None)
    return row.result_name, row.result_type, content
