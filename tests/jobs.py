"""Run the background worker's loop in the test process, as `manage.py db_worker --batch` would.

The suite queues tasks on the real database backend (django-tasks-db, as in production) inside
the test's transaction; `run_worker()` takes every queued task and runs it for real, then returns.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_worker() -> int:
    """Run every queued task; returns how many ran."""
    before = DBTaskResult.objects.finished().count()
    # The worker closes stale connections between tasks, as Django does between requests; the
    # test client's requests skip that inside the test's transaction, and so does the worker here.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
        _worker().run()
    return DBTaskResult.objects.finished().count() - before


def _worker() -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def follow_leaflet(client: Any, url: str, data: dict | None = None, **extra: Any) -> Any:
    """GET the leaflet; when it is handed to the worker, run the worker and GET it again (now
    typeset and cached), as the person does after the status page says it is ready."""
    response = client.get(url, data or {}, **extra)
    if response.status_code == 302 and "/jobs/" in response["Location"]:
        run_worker()
        response = client.get(url, data or {}, **extra)
    return response
