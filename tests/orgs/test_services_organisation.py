"""organisation_edit / contacts_replace / phones_replace: all-or-nothing, versioned, recorded."""

from __future__ import annotations

import pytest

from orgs import services
from orgs.models import ContactPerson, OrgChange


def edit(org, platform, **kw):
    args = {"data": {}, "phones": [], "contacts": [], "expected_version": org.version} | kw
    return services.organisation_edit(organisation=org, platform=platform, actor=None, **args)


def test_an_unchanged_save_records_nothing(platform_a, org_a):
    assert edit(org_a, platform_a, data={"hours": ""}) is False
    org_a.refresh_from_db()
    assert org_a.version == 1
    assert not OrgChange.objects.exists()


def test_unchanged_contacts_are_not_rewritten(platform_a, org_a):
    kept = ContactPerson.objects.create(organisation=org_a, name="担当", email="a@example.jp")
    assert (
        services.contacts_replace(
            organisation=org_a,
            platform=platform_a,
            actor=None,
            contacts=[{"name": "担当", "title": "", "phone": "", "email": "a@example.jp"}],
        )
        is False
    )
    assert list(org_a.contacts.all()) == [kept]
    assert not OrgChange.objects.exists()


def test_a_contacts_only_change_bumps_the_version(platform_a, org_a):
    assert edit(org_a, platform_a, contacts=[{"name": "新しい担当"}]) is True
    org_a.refresh_from_db()
    assert org_a.version == 2
    assert OrgChange.objects.get().changes == {"contacts_count": [0, 1]}


def test_a_stale_version_changes_nothing(platform_a, org_a):
    edit(org_a, platform_a, data={"hours": "随時"})
    with pytest.raises(services.ConcurrentEdit):
        edit(
            org_a,
            platform_a,
            data={"hours": "平日"},
            phones=[{"number": "096-000-0000", "note": ""}],
            expected_version=1,
        )
    org_a.refresh_from_db()
    assert (org_a.hours, org_a.phones.count(), OrgChange.objects.count()) == ("随時", 0, 1)


def test_an_invalid_phone_rolls_back_the_entry(platform_a, org_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        edit(org_a, platform_a, data={"hours": "随時"}, phones=[{"number": "電話", "note": ""}])
    org_a.refresh_from_db()
    assert (org_a.hours, org_a.version, OrgChange.objects.count()) == ("", 1, 0)


def test_the_search_text_follows_every_save(platform_a, org_a, anon):
    """An edit of the entry or only of its phones is found at once by the directory's search."""
    from django.urls import reverse
    from django.utils import translation

    edit(org_a, platform_a, data={"name_en": "Blue Sky Room", "activity_en": "We listen by phone."})
    org_a.refresh_from_db()
    assert "blue sky room" in org_a.search_text
    edit(org_a, platform_a, phones=[{"number": "096-000-0000", "note": "ＬＩＮＥ相談も可"}])
    org_a.refresh_from_db()
    assert "0960000000" in org_a.search_text and "line相談モ可" in org_a.search_text
    with translation.override("en"):
        url = reverse("directory:index", args=[platform_a.slug])
    body = anon.get(url, {"q": "line"}).content.decode()
    assert "Blue Sky Room" in body and "1 result" in body
