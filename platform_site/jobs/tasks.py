"""The one task the worker runs: a job, by id (see platform_site.jobs)."""

from __future__ import annotations

from django.tasks import task


@task()
def run_job(job_id: str) -> None:
    from .services import job_run

    job_run(job_id=job_id)
