"""The one audit mechanism: every audit table shares the append-only base and the label registry."""

from __future__ import annotations

import pytest

from cases import services as case_services
from cases.models import CaseEvent
from orgs import services as org_services
from orgs.models import Organisation, OrgChange
from platform_site.audit import AuditEntry, AuditEntryImmutable, action_label, audit_write
from platform_site.models import PlatformChange, Role, RoleChange
from platform_site.platform_settings import services as settings_services
from platform_site.team import services as team_services
from tests import factories as f


@pytest.fixture
def entries(platform_a, org_a):
    """One real entry in each audit table, written by the services users go through."""
    staff = f.make_user("staff")
    f.make_role(staff, platform_a, Role.ADMIN)
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
    case_services.case_create(platform=platform_a, actor=staff, data=_case_data())
    settings_services.platform_settings_update(
        platform=platform_a, actor=staff, data={"leaflet_message": "架空の文言"}, expected_version=1
    )
    return [
        OrgChange.objects.get(),
        RoleChange.objects.get(),
        CaseEvent.objects.get(),
        PlatformChange.objects.get(),
    ]


def _case_data() -> dict:
    from django.utils import timezone

    return {
        "intake_date": timezone.localdate(),
        "person_name": "架空 太郎",
        "situation": "架空の相談",
        "hardship_reason": "架空の理由",
        "willingness_reason": "架空の理由",
        "support_type": "food",
        "frequency_per_month": 2,
    }


def test_every_audit_table_derives_from_the_base():
    for model in (OrgChange, RoleChange, CaseEvent, PlatformChange):
        assert issubclass(model, AuditEntry)


def test_an_entry_cannot_be_changed_or_deleted(entries):
    for entry in entries:
        model = type(entry)
        before = model.objects.filter(pk=entry.pk).values("action", "at").get()
        entry.action = "changed"
        with pytest.raises(AuditEntryImmutable):
            entry.save()
        with pytest.raises(AuditEntryImmutable):
            entry.delete()
        with pytest.raises(AuditEntryImmutable):
            model.objects.filter(pk=entry.pk).update(action="changed")
        with pytest.raises(AuditEntryImmutable):
            model.objects.filter(pk=entry.pk).delete()
        assert model.objects.filter(pk=entry.pk).values("action", "at").get() == before


def test_each_entry_reads_as_a_registered_label(entries):
    labels = {type(e).__name__: e.label for e in entries}
    assert labels == {
        "OrgChange": "団体情報の編集",
        "RoleChange": "役割を追加",
        "CaseEvent": "ケースを登録した",
        "PlatformChange": "プラットフォームの設定を変更",
    }


def test_an_unregistered_action_is_refused(platform_a):
    with pytest.raises(ValueError, match="unregistered"):
        audit_write(CaseEvent, platform=platform_a, action="cases.case.vewed", actor=None)
    assert not CaseEvent.objects.exists()
    assert action_label("no.such.code") == "no.such.code"


def test_deleting_an_organisation_leaves_its_history(platform_a, org_a, secretariat_a):
    org_services.organisation_update(
        organisation=org_a, platform=platform_a, actor=secretariat_a.user, data={"hours": "平日"}
    )
    pk, name = org_a.pk, org_a.name
    Organisation.objects.get(pk=pk).delete()
    history = list(OrgChange.objects.filter(organisation_name=name))
    assert [h.action for h in history] == ["orgs.organisation.updated"]
    assert history[0].organisation_id is None and history[0].changes["hours"] == ["", "平日"]
