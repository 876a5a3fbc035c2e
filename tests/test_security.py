"""Security properties docs/security.md points at that no other test covers: response headers on
a page with personal data, and CSRF on a write."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import CaseEvent
from tests.factories import login_verified

pytestmark = pytest.mark.usefixtures("frozen_now")


def test_a_case_page_carries_the_security_headers(secretariat_a, case_a):
    response = secretariat_a.get(
        reverse("cases:detail", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk})
    )
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_a_write_without_the_csrf_token_is_refused_and_saves_nothing(secretariat_a, case_a):
    client = login_verified(Client(enforce_csrf_checks=True), secretariat_a.user)
    consent = case_a.consents.get()
    url = reverse(
        "cases:consent-revoke",
        kwargs={"platform": case_a.platform.slug, "pk": case_a.pk, "consent_id": consent.pk},
    )
    assert client.post(url, {"revoked_on": "2026-05-20"}).status_code == 403
    consent.refresh_from_db()
    assert consent.revoked_on is None
    assert not CaseEvent.objects.filter(action="cases.consent.revoked").exists()
