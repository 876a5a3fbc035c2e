"""The Django admin is read-mostly: superusers see the registry, history cannot be changed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from orgs import services
from orgs.models import OrgChange
from tests import factories as f


@pytest.fixture
def superuser(db) -> Client:
    client = Client()
    f.login_verified(client, f.make_user("root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model",
    [
        "platform_site_platform",
        "platform_site_platformrole",
        "platform_site_rolechange",
        "orgs_worrycategory",
        "orgs_activityfield",
        "orgs_language",
        "orgs_organisation",
        "orgs_membership",
        "orgs_orgchange",
    ],
)
def test_it_lists_every_model(superuser, org_a, model):
    assert superuser.get(reverse(f"admin:{model}_changelist")).status_code == 200


def test_history_cannot_be_deleted_or_changed(superuser, platform_a, org_a):
    services.organisation_update(organisation=org_a, platform=platform_a, actor=None, data={"hours": "随時"})
    change = OrgChange.objects.get()
    assert superuser.get(reverse("admin:orgs_orgchange_change", args=[change.pk])).status_code == 200  # view
    assert (
        superuser.post(reverse("admin:orgs_orgchange_delete", args=[change.pk]), {"post": "yes"}).status_code
        == 403
    )
    superuser.post(
        reverse("admin:orgs_orgchange_changelist"),
        {"action": "delete_selected", "_selected_action": [change.pk], "post": "yes"},
    )
    assert OrgChange.objects.filter(pk=change.pk).exists()


def test_organisations_are_not_edited_through_the_admin(superuser, org_a):
    url = reverse("admin:orgs_organisation_change", args=[org_a.pk])
    assert superuser.get(url).status_code == 200
    superuser.post(url, {"name": "書き換え", "name_kana": "カキカエ"})
    org_a.refresh_from_db()
    assert org_a.name == "あおぞら相談室"
    assert superuser.get(reverse("admin:orgs_organisation_add")).status_code == 403


def test_staff_who_are_not_superusers_see_nothing(platform_a, org_a):
    client = Client()
    f.login_verified(client, f.make_user("staff", is_staff=True))
    assert client.get(reverse("admin:orgs_organisation_changelist")).status_code == 403
