"""Concurrent writers wait instead of failing.

SQLite (the embedded default) runs in WAL mode with IMMEDIATE transactions and a busy timeout
(settings.py): two people saving the same organisation, or confirming two imports, at the same
moment — here two real processes on a file database, as two gunicorn workers — get their
answers (a save, or the 409 of a stale form), never a 500 「database is locked」.
On PostgreSQL two imports confirmed at once cannot both create the same new organisation: the
second waits for the first (the platform row is locked) and then finds what it saved.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from orgs.imports import import_apply
from orgs.models import Organisation
from tests.orgs.files.builders import csv_bytes, make_lists, row

ROOT = Path(__file__).resolve().parent.parent
NEW_ROWS = [
    row(
        **{
            "団体コード": f"N-{i}",
            "団体名": f"新しい団体{i}",
            "名称カナ": "アタラシイダンタイ",
            "法人番号": "",
        }
    )
    for i in range(30)
]


def sqlite_copy(tmp_path: Path) -> Path:
    """The test database (in memory) copied to a file that other processes can open."""
    path = tmp_path / "concurrent.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    # WAL mode is kept in the file, as `migrate` leaves a real database before any worker starts.
    # Two processes switching a fresh copy to WAL at the same instant would both hold a shared
    # lock and want an exclusive one; SQLite answers one of them "database is locked" at once,
    # without waiting (no busy handler can break that deadlock).
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    return path


def run_workers(path: Path, jobs: list[tuple[str, dict]]) -> list[list[int]]:
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{path}",
        "APP_ENV": "test",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "platform_site.settings_test",
    }
    start_at = time.time() + 6  # both have started Django by then
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.concurrent_worker", job, json.dumps(args | {"start_at": start_at})],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for job, args in jobs
    ]
    answers = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-3000:]
        answers.append(json.loads(out.strip().splitlines()[-1]))
    return answers


sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the SQLite settings")


@pytest.mark.django_db(transaction=True)
def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path, platform_a):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_organisation_at_once_on_sqlite(tmp_path, secretariat_a, admin_a, org_a):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's locking; PostgreSQL has row locks (tests/orgs/test_views_edit.py)")
    path = sqlite_copy(tmp_path)
    common = {"platform": org_a.memberships.get().platform.slug, "org": org_a.pk, "rounds": 15}
    answers = run_workers(
        path,
        [
            ("edit_org", common | {"user": "secretariat_a", "tag": "事務局"}),
            ("edit_org", common | {"user": "admin_a", "tag": "管理者"}),
        ],
    )
    flat = [code for worker in answers for code in worker]
    assert 500 not in flat and set(flat) <= {302, 409}, answers
    assert flat.count(302) >= 15  # each round, at least one of the two saves goes through


@pytest.mark.django_db(transaction=True)
def test_two_import_confirms_at_once_on_sqlite(tmp_path, secretariat_a, admin_a, platform_a):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's locking")
    make_lists(platform_a)
    path = sqlite_copy(tmp_path)
    data = csv_bytes(NEW_ROWS).hex()
    common = {"platform": platform_a.slug, "data": data}
    answers = run_workers(
        path, [("import", common | {"user": "secretariat_a"}), ("import", common | {"user": "admin_a"})]
    )
    assert answers == [[200, 302], [200, 302]], answers

    with sqlite3.connect(path) as db:
        (created,) = db.execute("SELECT count(*) FROM orgs_organisation WHERE ref LIKE 'N-%'").fetchone()
    assert created == 30


@pytest.mark.parametrize("with_refs", [True, False], ids=["by 団体コード", "by 団体名"])
@pytest.mark.django_db(transaction=True)
def test_two_imports_confirmed_at_once_on_postgresql_create_each_organisation_once(
    secretariat_a, admin_a, platform_a, with_refs
):
    """The first import's transaction is still open when the second starts: the second waits on
    the platform's lock, then finds the 30 new organisations and leaves them as they are. The file
    imports again afterwards (nothing duplicated, no 「複数あります」)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers (tests above)")
    make_lists(platform_a)
    data = csv_bytes(NEW_ROWS if with_refs else [r | {"団体コード": ""} for r in NEW_ROWS])
    outcome: dict[str, object] = {}
    first_done = threading.Event()

    def second() -> None:
        try:
            first_done.wait(10)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '10s'")
                result = import_apply(platform=platform_a, actor=None, data=data, filename="m.csv")
            outcome["second"] = (len(result.creates), len(result.unchanged))
        except Exception as exc:  # noqa: BLE001 - the test reports whatever happened
            outcome["second"] = exc
        finally:
            connections.close_all()

    worker = threading.Thread(target=second)
    worker.start()
    with transaction.atomic():
        first = import_apply(platform=platform_a, actor=None, data=data, filename="m.csv")
        first_done.set()
        time.sleep(1.0)  # the second import is waiting on the lock meanwhile
    worker.join(30)
    assert len(first.creates) == 30
    assert outcome["second"] == (0, 30), outcome
    assert Organisation.objects.filter(name__startswith="新しい団体").count() == 30
    again = import_apply(platform=platform_a, actor=None, data=data, filename="m.csv")
    assert len(again.unchanged) == 30


@pytest.mark.django_db(transaction=True)
def test_a_handoff_and_a_view_of_the_same_case_at_once_do_not_deadlock_on_postgresql(
    frozen_now, case_a, referral_a, secretariat_a, coordinator_a
):
    """Found under load (`make load`): the secretariat opening a case while its organisation logs
    a handoff. The view appends to the platform's audit chain (its head locked) and, at COMMIT,
    PostgreSQL checks the new entry's key to the case (a KEY SHARE lock on the case's row); the
    handoff had locked that row and then waited for the chain's head. With FOR UPDATE the two
    wait for each other ("deadlock detected", a 503); the services lock rows FOR NO KEY UPDATE,
    which serialises writers as before but lets a reference to the row be checked."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers")
    from cases import services as case_services

    case_services.referral_respond(referral=referral_a, actor=coordinator_a.user, accept=True)
    referral_a.refresh_from_db()
    viewed = threading.Event()
    outcome: dict[str, object] = {}

    def view() -> None:
        try:
            with transaction.atomic():
                case_services.case_viewed(case=case_a, actor=secretariat_a.user, level="secretariat")
                viewed.set()
                time.sleep(1.5)  # the handoff locks the case meanwhile, then waits for the chain
            outcome["view"] = "ok"
        except Exception as exc:  # noqa: BLE001 - the test reports whatever happened
            outcome["view"] = exc
        finally:
            viewed.set()
            connections.close_all()

    viewer = threading.Thread(target=view)
    viewer.start()
    assert viewed.wait(10)
    try:
        with transaction.atomic():
            case_services.handoff_record(
                referral=referral_a,
                actor=coordinator_a.user,
                data={"date": referral_a.sent_at.date(), "given": "米5kg"},
            )
        outcome["handoff"] = "ok"
    except Exception as exc:  # noqa: BLE001
        outcome["handoff"] = exc
    viewer.join(30)
    assert outcome == {"view": "ok", "handoff": "ok"}, outcome


def test_every_row_lock_leaves_references_to_the_row_free():
    """Every `select_for_update` of the apps takes FOR NO KEY UPDATE (the test above shows why)."""
    offending = []
    for path in ROOT.glob("*/**/*.py"):
        if path.parts[len(ROOT.parts)] in {"tests", ".venv", "bench"}:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "select_for_update(" in line and "no_key=True" not in line:
                offending.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offending, offending
