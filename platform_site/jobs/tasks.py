"""The one task the worker runs: a job, by id (see platform_site.jobs), and how it is run."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_site.models import Job, JobStatus

from . import JobFailed, Progress, job_kind

logger = logging.getLogger(__name__)


@task()
def run_job(job_id: str) -> None:
    job_run(job_id=job_id)


def _progress(job: Job) -> Progress:
    def progress(done: int, total: int, stage: str) -> None:
        Job.objects.filter(pk=job.pk).update(done=done, total=total, message=stage)

    return progress


def job_run(*, job_id: str) -> None:
    """Run one job on the worker. A job runs once: a second delivery finds it no longer queued.
    Failures are recorded for the owner; the log gets the job's id and the error's class only
    (an error's text could quote a cell of an uploaded file)."""
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(no_key=True)
            .filter(pk=uuid.UUID(job_id), status=JobStatus.QUEUED)
            .first()
        )
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
