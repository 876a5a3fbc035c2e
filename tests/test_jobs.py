"""Background jobs: the leaflet, a large registry export and a large import run on the worker.

The request only queues the job (the task's one argument is the job's id); the worker's loop
runs here in-process (tests/jobs.py) on the same database backend as production. The person who
started a job follows it on its status page and downloads the result once; nobody else sees it.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from orgs import jobs as org_jobs
from orgs.models import Organisation
from platform_site.jobs.services import jobs_purge
from platform_site.models import Job, JobStatus
from tests.directory.registry import SECRET_WORDS, build
from tests.jobs import run_worker
from tests.orgs.files.builders import csv_bytes, make_lists, row


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def registry(platform_a, org_a, other_org_a, org_b):
    return build(platform_a, org_a, other_org_a)


def leaflet_url(platform) -> str:
    return reverse("orgs:leaflet", args=[platform.slug])


def status_url(job: Job) -> str:
    return reverse("jobs:status", args=[job.platform.slug, job.pk])


def download_url(job: Job) -> str:
    return reverse("jobs:download", args=[job.platform.slug, job.pk])


def test_the_leaflet_is_typeset_on_the_worker_not_in_the_request(secretariat_a, platform_a, registry):
    response = secretariat_a.get(leaflet_url(platform_a))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == status_url(job)
    assert (job.status, job.owner, job.kind) == (JobStatus.QUEUED, secretariat_a.user, org_jobs.LEAFLET)
    # the queued task carries the job's id and nothing else
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [str(job.pk)], "kwargs": {}}
    assert task.task_path == "platform_site.jobs.tasks.run_job"

    page = secretariat_a.get(status_url(job))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "順番を待っています" in page.text and '<meta http-equiv="refresh" content="2">' in page.text
    # a second click (or a reload) while it waits starts no second job
    assert secretariat_a.get(leaflet_url(platform_a))["Location"] == status_url(job)
    assert Job.objects.count() == 1

    assert run_worker() == 1
    page = secretariat_a.get(status_url(job))
    assert "できあがりました" in page.text and "http-equiv" not in page.text
    assert f"{platform_a.slug}-leaflet.pdf をダウンロード" in page.text

    pdf = secretariat_a.post(download_url(job))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"] == f'attachment; filename="{platform_a.slug}-leaflet.pdf"'
    assert "no-store" in pdf["Cache-Control"]
    # once: the result is gone from the server
    job.refresh_from_db()
    assert job.result is None
    again = secretariat_a.post(download_url(job))
    assert again.status_code == 302 and again["Location"] == status_url(job)
    assert "ダウンロード済み" in secretariat_a.get(status_url(job)).text
    # the same registry state is now answered at once, from the cache
    direct = secretariat_a.get(leaflet_url(platform_a))
    assert direct.status_code == 200 and direct.content == pdf.content


def test_a_job_is_its_owners_only(secretariat_a, admin_a, coordinator_a, secretariat_b, platform_a, registry):
    secretariat_a.get(leaflet_url(platform_a))
    job = Job.objects.get()
    run_worker()
    for other in (admin_a, coordinator_a, secretariat_b):
        assert other.get(status_url(job)).status_code == 404
        assert other.post(download_url(job)).status_code == 404
    job.refresh_from_db()
    assert job.result is not None  # nobody else took it


def test_an_expired_job_is_gone(frozen_now, secretariat_a, platform_a, registry):
    secretariat_a.get(leaflet_url(platform_a))
    job = Job.objects.get()
    run_worker()
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert secretariat_a.get(status_url(job)).status_code == 404
    assert secretariat_a.post(download_url(job)).status_code == 404
    out = io.StringIO()
    call_command("purge_jobs", stdout=out)  # daily, from cron (docs/deployment.md)
    assert "1 件を削除しました" in out.getvalue()
    assert not Job.objects.exists() and jobs_purge() == 0


def test_a_failing_render_is_reported_without_its_text(
    secretariat_a, platform_a, registry, monkeypatch, caplog
):
    def broken(**kwargs):
        raise RuntimeError("あおぞら相談室 山田花子")

    monkeypatch.setattr(org_jobs, "render_leaflet_pdf", broken)
    secretariat_a.get(leaflet_url(platform_a))
    job = Job.objects.get()
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.result is None
    page = secretariat_a.get(status_url(job))
    assert "できませんでした" in page.text and "もう一度お試しください" in page.text
    assert "山田花子" not in page.text
    # neither the log nor the queue's record keeps the error's text
    assert "山田花子" not in caplog.text
    assert all("山田花子" not in t.traceback for t in DBTaskResult.objects.all())


def test_a_large_export_is_written_on_the_worker(secretariat_a, platform_a, registry, settings):
    settings.JOB_INLINE_ROWS = 2  # the registry has more rows than that
    response = secretariat_a.get(reverse("orgs:export", args=[platform_a.slug]), {"format": "xlsx"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == status_url(job)
    assert job.params == {"format": "xlsx", "contacts": False, "query": ""}
    run_worker()
    download = secretariat_a.post(download_url(job))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    names = {c.value for c in sheet["B"]}
    assert registry.listed.name in names


def test_a_small_export_is_still_immediate(secretariat_a, platform_a, registry):
    response = secretariat_a.get(reverse("orgs:export", args=[platform_a.slug]), {"format": "csv"})
    assert response.status_code == 200 and not Job.objects.exists()


def _preview(client, platform, data: bytes) -> str:
    response = client.post(
        reverse("orgs:import", args=[platform.slug]), {"file": SimpleUploadedFile("meibo.csv", data)}
    )
    assert response.status_code == 200
    return response.context["token"]


def test_a_large_import_is_saved_on_the_worker(secretariat_a, platform_a, settings):
    make_lists(platform_a)
    settings.JOB_INLINE_ROWS = 1
    data = csv_bytes([row(), row(**{"団体コード": "T-02", "団体名": "二", "名称カナ": "ニ", "法人番号": ""})])
    token = _preview(secretariat_a, platform_a, data)
    response = secretariat_a.post(reverse("orgs:import-confirm", args=[platform_a.slug]), {"token": token})
    job = Job.objects.get()
    assert response["Location"] == status_url(job)
    assert job.payload is not None and bytes(job.payload) == data and job.params == {}
    assert not Organisation.objects.filter(ref__in=["T-01", "T-02"]).exists()  # not in the request
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.payload is None  # the upload is not kept
    assert Organisation.objects.filter(ref__in=["T-01", "T-02"]).count() == 2
    page = secretariat_a.get(status_url(job))
    assert "取り込みました: 登録 2 件、更新 0 件、変更なし 0 件。" in page.text
    assert "ダウンロード" not in page.text


def test_a_large_import_that_fails_on_the_worker_saves_nothing(
    secretariat_a, platform_a, platform_b, settings
):
    """Someone took the 団体コード between preview and confirm: the worker saves nothing."""
    from tests import factories as f

    make_lists(platform_a)
    settings.JOB_INLINE_ROWS = 0
    token = _preview(secretariat_a, platform_a, csv_bytes([row()]))
    f.make_org(platform_b, ref="T-01", name="先に登録", name_kana="サキ")
    before = Organisation.objects.count()
    secretariat_a.post(reverse("orgs:import-confirm", args=[platform_a.slug]), {"token": token})
    run_worker()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and job.payload is None
    assert Organisation.objects.count() == before
    page = secretariat_a.get(status_url(job)).text
    assert "何も保存していません" in page and "団体コード「T-01」は別の団体がすでに使っています。" in page


def test_nothing_personal_is_in_the_queue(secretariat_a, platform_a, registry, settings):
    settings.JOB_INLINE_ROWS = 0
    secretariat_a.get(leaflet_url(platform_a))
    secretariat_a.get(reverse("orgs:export", args=[platform_a.slug]), {"format": "csv"})
    queued = " ".join(str(t.args_kwargs) for t in DBTaskResult.objects.all())
    assert all(word not in queued for word in SECRET_WORDS)
    assert {len(t.args_kwargs["args"]) for t in DBTaskResult.objects.all()} == {1}
