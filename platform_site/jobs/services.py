"""Writes of jobs: start, run (on the worker), hand the result over once, purge."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_site.models import Job, JobStatus, Platform

from . import JobFailed, job_kind
from .tasks import run_job

logger = logging.getLogger(__name__)


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


def _progress(job: Job) -> Any:
    def progress(done: int, total: int, stage: str) -> None:
        Job.objects.filter(pk=job.pk).update(done=done, total=total, message=stage)

    return progress


def job_run(*, job_id: str) -> None:
    """Run one job on the worker. A job runs once: a second delivery finds it no longer queued.
    Failures are recorded for the owner; the log gets the job's id and the error's class only
    (an error's text could quote a cell of an uploaded file)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=uuid.UUID(job_id), status=JobStatus.QUEUED).first()
        if job is None:
            return
        job.status = JobStatus.RUNNING
        job.save(update_fields=["status"])
    kind = job_kind(job.kind)
    try:
        output = kind.run(job, _progress(job))
    except JobFailed as failed:
        _finish(job, status=JobStatus.FAILED, message=failed.message)
        return
    except Exception as error:  # noqa: BLE001  (recorded, and the worker goes on)
        logger.error("job %s (%s) failed: %s", job.pk, job.kind, type(error).__name__)
        _finish(job, status=JobStatus.FAILED, message=_("処理中に問題が起きました。もう一度お試しください。"))
        return
    _finish(
        job,
        status=JobStatus.DONE,
        message=output.message,
        result=output.content,
        result_name=output.name,
        result_type=output.content_type,
    )


def _finish(job: Job, *, status: str, message: str, **result: Any) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, message=message, payload=None, finished_at=timezone.now(), **result
    )


@transaction.atomic
def job_take_result(*, job: Job) -> tuple[str, str, bytes] | None:
    """(file name, content type, bytes) of a finished job's result, deleted as it is handed
    over: a result is downloaded once. None when there is none (any more)."""
    row = Job.objects.select_for_update().filter(pk=job.pk, status=JobStatus.DONE).first()
    if row is None or row.result is None:
        return None
    content = bytes(row.result)
    Job.objects.filter(pk=job.pk).update(result=None)
    return row.result_name, row.result_type, content
