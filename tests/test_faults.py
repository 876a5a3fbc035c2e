"""Faults: the database going away in the middle of a request, and failed imports, exports and
PDF renders.

- The database connection is killed by the server while an edit is being saved (PostgreSQL:
  ``pg_terminate_backend`` from a second connection, at the moment the UPDATE is sent): the
  answer is the Japanese 503 page, the edit is not half-saved and what was committed before is
  all there. On SQLite a writer that cannot get the database (another process holds it locked)
  gets the same page.
- A failed import, export or PDF render leaves nothing: no row, no temp file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import psycopg  # noqa: F401  (PostgreSQL only; imported lazily below)
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from orgs.models import Organisation, OrgChange
from tests.orgs.test_views_edit import payload, url
from tests.test_concurrency import ROOT, sqlite_copy

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def _kill_at_update(pid_holder: dict):
    """An execute wrapper that has the server end this connection when the UPDATE is sent."""

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("UPDATE") and not pid_holder.get("done"):
            pid_holder["done"] = True
            with psycopg.connect(_dsn(), autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid_holder["pid"]])
            time.sleep(0.2)
        return execute(sql, params, many, context)

    return wrapper


def _dsn() -> str:
    db = connection.settings_dict
    return f"host={db['HOST']} port={db['PORT'] or 5432} user={db['USER']} dbname={db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_database_going_away_mid_request_gives_a_japanese_503_and_loses_nothing_committed(
    secretariat_a, platform_a, other_org_a
):
    if connection.vendor != "postgresql":
        pytest.skip("a server connection to kill; SQLite's fault is the next test")
    first = secretariat_a.post(url(platform_a, other_org_a), payload(other_org_a, hours="月〜金 9時〜17時"))
    assert first.status_code == 302
    other_org_a.refresh_from_db()
    committed = (other_org_a.hours, other_org_a.version, OrgChange.objects.count())

    connection.ensure_connection()
    holder = {"pid": connection.connection.info.backend_pid}
    secretariat_a.raise_request_exception = False
    with connection.execute_wrapper(_kill_at_update(holder)):
        response = secretariat_a.post(
            url(platform_a, other_org_a), payload(other_org_a, hours="半分だけ保存されてはいけない")
        )
    assert holder.get("done")
    assert response.status_code == 503 and response["Retry-After"]
    assert "データベースに接続できない" in response.text and "保存されていません" in response.text
    connection.close()
    other_org_a.refresh_from_db()
    assert (other_org_a.hours, other_org_a.version, OrgChange.objects.count()) == committed


@pytest.mark.django_db(transaction=True)
def test_a_locked_sqlite_database_gives_the_same_page(tmp_path, secretariat_a, platform_a, org_a):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's locking")
    path = sqlite_copy(tmp_path)
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{path}",
        "APP_ENV": "test",
        "PYTHONPATH": str(ROOT),
        "SQLITE_BUSY_TIMEOUT": "1",
    }
    import sqlite3

    ready, go = tmp_path / "ready", tmp_path / "go"
    args = {"user": "secretariat_a", "platform": platform_a.slug, "org": org_a.pk, "rounds": 1, "tag": "x"}
    args |= {"start_at": 0, "ready_file": str(ready), "go_file": str(go)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.concurrent_worker", "edit_org", json.dumps(args)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    holder = sqlite3.connect(path)
    try:
        deadline = time.time() + 90
        while not ready.exists() and time.time() < deadline and proc.poll() is None:
            time.sleep(0.05)
        holder.execute("BEGIN EXCLUSIVE")  # another process holds the database
        go.touch()
        out, err = proc.communicate(timeout=90)
    finally:
        holder.rollback()
        holder.close()
    assert out.strip(), err[-3000:]
    assert json.loads(out.strip().splitlines()[-1]) == [503], err[-2000:]


def test_the_page_is_self_contained_and_japanese():
    from django.template.loader import render_to_string

    html = render_to_string("errors/database_unavailable.html")
    assert '<html lang="ja">' in html and "{% extends" not in html and "<link" not in html
    assert django_settings.MIDDLEWARE[-1] == "platform_site.middleware.DatabaseUnavailableMiddleware"


def test_other_errors_are_not_turned_into_503(secretariat_a, platform_a):
    response = secretariat_a.get(reverse("orgs:detail", args=[platform_a.slug, 999999]))
    assert response.status_code == 404
    assert not Organisation.objects.filter(pk=999999).exists()
