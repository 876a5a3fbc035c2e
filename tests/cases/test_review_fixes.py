"""Findings of the ledger review, each pinned by a test that failed before its fix."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize("cursor", ["9" * 30 + ".1", "-" + "9" * 20 + ".1", "1." + "9" * 30, "1.-5", "x.y", "1.2.3"])
def test_a_hand_edited_page_cursor_shows_the_first_page_not_an_error(secretariat_a, admin_a, case_a, cursor):
    url = reverse("cases:list", kwargs={"platform": case_a.platform.slug})
    response = secretariat_a.get(url, {"after": cursor})
    assert response.status_code == 200 and f"/cases/{case_a.pk}/" in response.text
    url = reverse("cases:user-audit", kwargs={"platform": case_a.platform.slug, "user_id": secretariat_a.user.pk})
    assert admin_a.get(url, {"after": cursor}).status_code == 200
