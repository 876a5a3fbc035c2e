"""A number too long to be a row id in a registry, team or directory URL is a 404, not a 500
(SQLite raised OverflowError on the lookup)."""

from __future__ import annotations

import pytest

HUGE = "9" * 25


@pytest.mark.parametrize(
    "path",
    [
        "orgs/{id}/",
        "orgs/{id}/edit/",
        "orgs/{id}/history/",
        "orgs/{id}/membership/",
        "team/{id}/",
    ],
)
def test_a_huge_id_is_404_for_staff(admin_a, platform_a, path):
    assert admin_a.get(f"/p/{platform_a.slug}/" + path.format(id=HUGE)).status_code == 404


def test_a_huge_id_is_404_in_the_public_directory(anon, platform_a):
    assert anon.get(f"/d/{platform_a.slug}/o/{HUGE}/").status_code == 404


def test_an_ordinary_id_still_resolves(admin_a, platform_a, org_a):
    assert admin_a.get(f"/p/{platform_a.slug}/orgs/{org_a.pk}/").status_code == 200
