"""A number too long to be a row id in a ledger URL is a 404 (the <id:…> converter), never a 500."""

import pytest

HUGE = "9" * 25


@pytest.mark.parametrize(
    "path",
    [
        "cases/{id}/",
        "cases/{id}/edit/",
        "cases/{id}/log/",
        "cases/{id}/referrals/{id}/handoff/",
        "cases/log/user/{id}/",
    ],
)
def test_a_huge_id_is_404_in_the_ledger(admin_a, platform_a, path):
    assert admin_a.get(f"/p/{platform_a.slug}/" + path.format(id=HUGE)).status_code == 404
