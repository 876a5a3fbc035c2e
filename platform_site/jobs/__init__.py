"""Background jobs: work a person starts and collects later (django.tasks on a worker).

A feature app registers each kind of job from its `AppConfig.ready()`:
`register_job_kind(JobKind(code, label, capability, run))`. Starting one (`services.job_start`)
saves a `Job` row and queues the one task `tasks.run_job` with that row's id — the only task
argument, so no name, file or option reaches the queue or its logs. The worker
(`python manage.py db_worker`, django-tasks-db) calls the kind's `run(job, progress)`, a plain
function that returns a `JobOutput` (a file to download once, and/or a message) or raises
`JobFailed` with a Japanese reason. The person who started it follows it on its status page
(`/p/<platform>/jobs/<id>/`, refreshing itself until it ends) and downloads the result once;
then, or when it expires (JOB_RESULT_SECONDS), the result is deleted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from platform_site.models import Job

Progress = Callable[[int, int, str], None]  # (steps done, steps in all, what is happening now)


@dataclasses.dataclass(frozen=True)
class JobOutput:
    message: str = ""
    name: str = ""  # the download's file name ("" = nothing to download)
    content_type: str = ""
    content: bytes | None = None


class JobFailed(Exception):
    """The job cannot be done for a reason the person can act on (Japanese, shown as is)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclasses.dataclass(frozen=True)
class JobKind:
    code: str
    label: str | Promise  # what the status page calls it: 「リーフレット（PDF）」
    capability: str  # needed to start it, follow it and download its result
    run: Callable[[Job, Progress], JobOutput]
    back_url: Callable[[Job], str] | None = None  # the page the status page links back to


_KINDS: dict[str, JobKind] = {}


def register_job_kind(kind: JobKind) -> None:
    existing = _KINDS.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"job kind {kind.code!r} registered twice")
    _KINDS[kind.code] = kind


def job_kind(code: str) -> JobKind:
    return _KINDS[code]
