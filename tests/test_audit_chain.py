"""The tamper-evident trail: every audit row is chained to the previous one of its platform, and
`manage.py verify_audit` finds a row changed or deleted behind the app's back (plain SQL)."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from cases import services as case_services
from cases.models import CaseEvent
from orgs import services as org_services
from orgs.models import Organisation, OrgChange
from platform_site.audit import (
    AuditChainHead,
    audit_models,
    audit_write,
    chain_unchained,
    entry_digest,
    verify_all,
)
from platform_site.models import PlatformChange, Role, RoleChange
from platform_site.team import services as team_services
from tests import factories as f
from tests.ledger import intake_data, make_case
from tests.orgs.files.builders import csv_bytes, make_lists, row

pytestmark = pytest.mark.usefixtures("frozen_now")


def _verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def trail(platform_a, org_a, secretariat_a):
    """Entries in several audit tables of platform A, written through the services."""
    staff = secretariat_a.user
    org_services.organisation_update(
        organisation=org_a, platform=platform_a, actor=staff, data={"hours": "随時"}
    )
    team_services.role_set(
        platform=platform_a,
        actor=staff,
        user=f.make_user("newcomer"),
        role=Role.SECRETARIAT,
        organisation=None,
        grants=[],
    )
    case = make_case(platform_a, staff, org=org_a)
    case_services.case_viewed(case=case, actor=staff, level="secretariat")
    return case


def _sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _tables() -> list[Any]:
    return list(audit_models())


def test_every_entry_has_its_place_and_the_chains_verify(trail, platform_a):
    rows: list[Any] = [e for model in _tables() for e in model.objects.filter(platform=platform_a)]
    assert {type(e) for e in rows} >= {OrgChange, RoleChange, CaseEvent}
    places = sorted(e.chain_seq for e in rows)
    assert places == list(range(1, len(rows) + 1))  # one chain across the tables, no gap
    head = AuditChainHead.objects.get(chain=platform_a.pk)
    assert head.seq == len(rows)
    last = max(rows, key=lambda e: e.chain_seq)
    assert head.head_hash == last.chain_hash and len(last.chain_hash) == 64
    code, out = _verify()
    assert code == 0, out
    assert f"OK chain {platform_a.pk}" in out and f"{len(rows)} entries" in out


def test_each_hash_covers_the_previous_one(trail, platform_a):
    events: list[Any] = list(CaseEvent.objects.filter(platform=platform_a).order_by("chain_seq"))
    first, second = events[0], events[1]
    assert second.chain_hash == entry_digest(second, seq=second.chain_seq, previous=_previous(second))
    assert entry_digest(second, seq=second.chain_seq, previous="0" * 64) != second.chain_hash
    assert first.chain_hash != second.chain_hash


def _previous(entry) -> str:
    for model in _tables():
        prior = model.objects.filter(platform_id=entry.platform_id, chain_seq=entry.chain_seq - 1).first()
        if prior:
            return prior.chain_hash
    return ""


def test_a_row_altered_with_sql_is_named(trail, platform_a):
    event = CaseEvent.objects.filter(case=trail, action="cases.referral.sent").get()
    _sql(f"UPDATE {CaseEvent._meta.db_table} SET action = %s WHERE id = %s", "cases.case.viewed", event.pk)
    code, out = _verify()
    assert code == 1
    assert f"BROKEN chain {platform_a.pk}" in out
    assert f"cases.CaseEvent#{event.pk}" in out and "changed" in out


def test_a_date_or_actor_altered_with_sql_is_named_too(trail, platform_a):
    change = RoleChange.objects.get(platform=platform_a)
    _sql(f"UPDATE {RoleChange._meta.db_table} SET actor_id = NULL WHERE id = %s", change.pk)
    code, out = _verify()
    assert code == 1 and f"platform_site.RoleChange#{change.pk}" in out


def test_a_row_deleted_with_sql_is_found_at_the_next_entry(trail, platform_a):
    events: list[Any] = list(CaseEvent.objects.filter(platform=platform_a).order_by("chain_seq"))
    gone, after = events[1], events[2]
    assert after.chain_seq == gone.chain_seq + 1
    _sql(f"DELETE FROM {CaseEvent._meta.db_table} WHERE id = %s", gone.pk)
    code, out = _verify()
    assert code == 1
    assert f"cases.CaseEvent#{after.pk}" in out and "missing" in out


def test_deleting_the_last_rows_is_found_through_the_head(trail, platform_a):
    last: Any = CaseEvent.objects.filter(platform=platform_a).order_by("-chain_seq").first()
    _sql(f"DELETE FROM {CaseEvent._meta.db_table} WHERE id = %s", last.pk)
    code, out = _verify()
    assert code == 1 and "missing" in out and f"place {last.chain_seq}" in out


def test_a_row_written_around_the_mechanism_is_found(trail, platform_a):
    _sql(
        f"INSERT INTO {PlatformChange._meta.db_table} (at, action, platform_id, changes, chain_hash)"
        " VALUES (%s, %s, %s, %s, %s)",
        "2026-05-20 00:00:00",
        "platform.settings.updated",
        platform_a.pk,
        "{}",
        "",
    )
    code, out = _verify()
    assert code == 1 and "not in the chain" in out


def test_another_platforms_chain_is_unaffected(trail, platform_a, platform_b, secretariat_b):
    case_services.case_create(platform=platform_b, actor=secretariat_b.user, data=intake_data())
    event: Any = CaseEvent.objects.filter(platform=platform_a).first()
    _sql(f"UPDATE {CaseEvent._meta.db_table} SET data = %s WHERE id = %s", '{"level": "x"}', event.pk)
    results = verify_all()
    assert results[platform_a.pk] is not None
    assert results[platform_b.pk] is None


def test_deleting_an_organisation_keeps_its_history_verifiable(platform_a, secretariat_a):
    """The one change a history row ever sees (its link set to NULL) is outside the hash."""
    org = f.make_org(platform_a, name="架空の解散した団体")
    org_services.organisation_update(
        organisation=org, platform=platform_a, actor=secretariat_a.user, data={"hours": "平日"}
    )
    Organisation.objects.filter(pk=org.pk).delete()
    assert OrgChange.objects.filter(
        organisation__isnull=True, organisation_name="架空の解散した団体"
    ).exists()
    assert _verify()[0] == 0


def test_bulk_writes_are_chained(platform_a, secretariat_a, org_a, tmp_path):
    """The ledger export's one entry per case (bulk_create) and the registry import's history
    (the fast bulk writer) join the chain like single entries."""
    for _ in range(3):
        make_case(platform_a, secretariat_a.user, org=org_a)
    from cases.exporters import ledger_xlsx

    ledger_xlsx(platform=platform_a, actor=secretariat_a.user, organisation_id=None)
    make_lists(platform_a)
    path = tmp_path / "m.csv"
    path.write_bytes(csv_bytes([row(), row(**{"団体コード": "T-02", "団体名": "架空の二番目"})]))
    call_command("import_orgs", str(path), "--platform", platform_a.slug, stdout=io.StringIO())
    assert CaseEvent.objects.filter(action="cases.export").count() == 3
    assert OrgChange.objects.filter(source="import").count() == 2
    assert not any(m.objects.filter(chain_seq__isnull=True).exists() for m in audit_models())
    assert _verify()[0] == 0


def test_rows_from_before_chaining_are_chained_by_the_migration_step(trail, platform_a):
    """The data migration's function: rows with no place (as every row was before) get one,
    oldest first, and the chains then verify."""
    for model in audit_models():
        model._base_manager.update(chain_seq=None, chain_hash="")
    AuditChainHead.objects.all().delete()
    assert _verify()[0] == 1
    done = chain_unchained(audit_models(), AuditChainHead)
    assert done == sum(m.objects.count() for m in audit_models())
    assert _verify()[0] == 0
    # and the chain goes on from there
    case_services.case_viewed(case=trail, actor=None, level="secretariat")
    assert _verify()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_queue_on_the_head_instead_of_forking_the_chain(platform_a, secretariat_a):
    """Eight threads appending at once: every place is taken once, the chain verifies."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers itself)")
    case = case_services.case_create(platform=platform_a, actor=secretariat_a.user, data=intake_data())
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def write() -> None:
        try:
            barrier.wait(5)
            for _ in range(5):
                case_services.case_viewed(case=case, actor=secretariat_a.user, level="secretariat")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    places = list(CaseEvent.objects.filter(platform=platform_a).values_list("chain_seq", flat=True))
    assert len(places) == 41 and len(set(places)) == 41
    assert verify_all()[platform_a.pk] is None


def test_audit_write_still_refuses_unregistered_codes(platform_a):
    with pytest.raises(ValueError):
        audit_write(PlatformChange, action="platform.nope", platform=platform_a)
    assert not AuditChainHead.objects.filter(chain=platform_a.pk, seq__gt=0).exists()
