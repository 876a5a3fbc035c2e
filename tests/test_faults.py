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
    # innermost but for django-axes (which asks to be last and handles no exception): it sees
    # every database error a view raises
    assert django_settings.MIDDLEWARE[-2:] == [
        "platform_site.middleware.ServiceUnavailableMiddleware",
        "axes.middleware.AxesMiddleware",
    ]


def test_other_errors_are_not_turned_into_503(secretariat_a, platform_a):
    response = secretariat_a.get(reverse("orgs:detail", args=[platform_a.slug, 999999]))
    assert response.status_code == 404
    assert not Organisation.objects.filter(pk=999999).exists()


@pytest.fixture
def no_fonts(tmp_path, monkeypatch):
    """A fontconfig that knows no font, as on a server whose fonts are missing."""
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig></fontconfig>')
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    monkeypatch.delenv("FONTCONFIG_PATH", raising=False)


def test_without_fonts_the_leaflet_gives_a_japanese_error_and_renders_nothing(
    secretariat_a, platform_a, org_a, no_fonts, temp_watch
):
    from django.core.management import CommandError, call_command

    from orgs.pdf import render_leaflet_pdf
    from platform_site.lib.pdf import FontsMissing

    with pytest.raises(FontsMissing):
        render_leaflet_pdf(platform=platform_a)
    response = secretariat_a.get(reverse("orgs:leaflet", args=[platform_a.slug]))
    assert response.status_code == 503 and "日本語のフォントが入っていない" in response.text
    with pytest.raises(CommandError, match="日本語のフォントが入っていません"):
        call_command("leaflet", "--platform", platform_a.slug, "--output", "-")
    assert temp_watch.opened == [] and temp_watch.files() == []


def test_a_failed_import_leaves_no_row_and_no_temp_file(secretariat_a, platform_a, temp_watch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.orgs.files.builders import counts, csv_bytes, make_lists, row

    make_lists(platform_a)
    before = counts()
    bad = csv_bytes([row(), row(**{"団体コード": "T-02", "法人番号": "123"})])
    response = secretariat_a.post(
        reverse("orgs:import", args=[platform_a.slug]), {"file": SimpleUploadedFile("m.csv", bad)}
    )
    assert response.status_code == 200 and response.context["problems"]
    assert counts() == before
    assert temp_watch.opened == [] and temp_watch.files() == []


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_database_goes_away_while_saving_keeps_nothing(secretariat_a, platform_a, temp_watch):
    """The connection is killed as the save step begins (the new organisations' ids are drawn,
    their COPY follows): the confirm answers 503, no organisation of the file is kept, no temp
    file is left."""
    if connection.vendor != "postgresql":
        pytest.skip("a server connection to kill")
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.orgs.files.builders import counts, csv_bytes, make_lists, row

    make_lists(platform_a)
    rows = [row(**{"団体コード": f"K-{i}", "団体名": f"団体{i}", "法人番号": ""}) for i in range(20)]
    response = secretariat_a.post(
        reverse("orgs:import", args=[platform_a.slug]), {"file": SimpleUploadedFile("m.csv", csv_bytes(rows))}
    )
    before = counts()
    connection.ensure_connection()
    holder = {"pid": connection.connection.info.backend_pid}

    def kill_at_copy(execute, sql, params, many, context):
        if "nextval" in sql and not holder.get("done"):
            holder["done"] = True
            with psycopg.connect(_dsn(), autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [holder["pid"]])
            time.sleep(0.2)
        return execute(sql, params, many, context)

    secretariat_a.raise_request_exception = False
    with connection.execute_wrapper(kill_at_copy):
        confirm = secretariat_a.post(
            reverse("orgs:import-confirm", args=[platform_a.slug]), {"token": response.context["token"]}
        )
    assert holder.get("done") and confirm.status_code == 503
    connection.close()
    assert counts() == before
    assert temp_watch.files() == []


@pytest.mark.django_db(transaction=True)
def test_an_export_whose_database_goes_away_leaves_no_temp_file(secretariat_a, platform_a, org_a, temp_watch):
    if connection.vendor != "postgresql":
        pytest.skip("a server connection to kill")
    connection.ensure_connection()
    holder = {"pid": connection.connection.info.backend_pid, "selects": 0}

    def kill_mid_export(execute, sql, params, many, context):
        if "orgs_phone" in sql and not holder.get("done"):
            holder["done"] = True
            with psycopg.connect(_dsn(), autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [holder["pid"]])
            time.sleep(0.2)
        return execute(sql, params, many, context)

    secretariat_a.raise_request_exception = False
    for file_format in ("xlsx", "csv"):
        holder.pop("done", None)
        connection.ensure_connection()
        holder["pid"] = connection.connection.info.backend_pid
        with connection.execute_wrapper(kill_mid_export):
            response = secretariat_a.get(
                reverse("orgs:export", args=[platform_a.slug]), {"format": file_format}
            )
        assert holder.get("done") and response.status_code == 503
        connection.close()
    assert temp_watch.opened == [] and temp_watch.files() == []
