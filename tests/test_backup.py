"""`make backup` / `make restore` (pg_dump / pg_restore, custom format) as a round trip: after a
restore every table has the same rows as at the backup — counted, and compared by a checksum of
each table's whole content — even though the data was changed and deleted in between."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from cases.models import Case
from orgs.models import Organisation
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_dump/pg_restore back up PostgreSQL only (SQLite here)"
    ),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed"),
    pytest.mark.django_db(transaction=True),  # the dump runs in another process: data must be committed
]


def _url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def snapshot() -> dict[str, tuple[int, str]]:
    """table → (rows, md5 of all its rows' text in a fixed order), for every table."""
    with connection.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [name for (name,) in cur.fetchall()]
        out = {}
        for table in tables:
            cur.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '')) FROM \"{table}\" t"
            )
            out[table] = cur.fetchone()
    return out


def test_backup_then_restore_gives_back_every_table(
    frozen_now, platform_a, org_a, other_org_a, case_a, tmp_path
):
    f.make_org(platform_a, name="架空のこども食堂", name_kana="カクウノコドモショクドウ", activity="食支援")
    before = snapshot()
    assert before["orgs_organisation"][0] >= 3

    env = {"DATABASE_URL": _url(), "BACKUP_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    made = subprocess.run(
        [str(ROOT / "scripts/backup.sh")], env=env, capture_output=True, text=True, timeout=300, check=True
    )
    dump = Path(made.stdout.strip().splitlines()[-1])
    assert dump.is_file() and dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert oct(dump.stat().st_mode & 0o777) == "0o600"

    # change and lose things after the backup
    Organisation.objects.filter(pk=org_a.pk).update(name="書き換えた名前")
    Organisation.objects.filter(pk=f.make_org(platform_a).pk).delete()
    Case.objects.filter(pk=case_a.pk).update(situation="変更")
    assert snapshot() != before

    connection.close()  # pg_restore replaces the tables: let go of them
    subprocess.run(
        [str(ROOT / "scripts/restore.sh"), str(dump)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    after = snapshot()
    assert after == before
    assert Organisation.objects.get(pk=org_a.pk).name == org_a.name


def test_restore_refuses_without_a_file(tmp_path):
    result = subprocess.run(
        [str(ROOT / "scripts/restore.sh"), str(tmp_path / "none.dump")],
        env={"DATABASE_URL": _url(), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "usage" in result.stderr
