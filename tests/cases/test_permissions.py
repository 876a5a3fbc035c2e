"""Every ledger URL × every persona: the expected status (pretix's permission-matrix idea).

Rules under test: anonymous → login redirect; other platform → 404; a coordinator whose
organisation got no referral → 404 (the case's existence is not disclosed); a missing right on a
case the user may know → 403; POST-only views answer GET with 405 once access is granted.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.models import CaseEvent

PERSONAS = [
    "anon",
    "secretariat_a",
    "admin_a",
    "coordinator_a",
    "other_coordinator_a",
    "wg_member_a",
    "secretariat_b",
]

# url name → expected status per persona, in PERSONAS order.
CASE_MATRIX: dict[str, tuple[int, ...]] = {
    #                        anon sec  adm  coord other wg  secB
    "detail": (302, 200, 200, 200, 404, 200, 404),
    "edit": (302, 200, 200, 403, 404, 403, 404),
    "plan": (302, 200, 200, 403, 404, 403, 404),
    "consent-create": (302, 200, 200, 403, 404, 403, 404),
    "referral-create": (302, 200, 200, 403, 404, 403, 404),
    "close": (302, 200, 200, 403, 404, 403, 404),
    "working-group": (302, 200, 200, 403, 404, 403, 404),
    "audit": (302, 403, 200, 403, 404, 403, 404),
    # The referral belongs to org_a: only its coordinator may answer it or log handoffs.
    "referral-respond": (302, 403, 403, 200, 404, 404, 404),
    "handoff-create": (302, 403, 403, 200, 404, 404, 404),
    # POST-only: GET is refused with 405 after the access checks.
    "consent-revoke": (302, 405, 405, 403, 404, 403, 404),
    "working-group-remove": (302, 405, 405, 403, 404, 403, 404),
}

PLATFORM_MATRIX: dict[str, tuple[int, ...]] = {
    "list": (302, 200, 200, 200, 200, 200, 404),
    "create": (302, 200, 200, 403, 403, 403, 404),
    "export": (302, 403, 403, 403, 403, 403, 404),  # a grant, not a role right
    "stats": (302, 200, 200, 403, 403, 403, 404),
    "user-audit": (302, 403, 200, 403, 403, 403, 404),
    "user-audit-index": (302, 403, 200, 403, 403, 403, 404),
}


def _case_url(name: str, case, platform_slug: str) -> str:
    kwargs = {"platform": platform_slug, "pk": case.pk}
    if name in ("referral-respond", "handoff-create"):
        kwargs["referral_id"] = case.referrals.get().pk
    if name == "consent-revoke":
        kwargs["consent_id"] = case.consents.get().pk
    if name == "working-group-remove":
        kwargs["member_id"] = case.working_group.get().pk
    return reverse(f"cases:{name}", kwargs=kwargs)


@pytest.mark.parametrize("name", sorted(CASE_MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_case_urls(request, case_a, platform_a, name, persona):
    client = request.getfixturevalue(persona)
    response = client.get(_case_url(name, case_a, platform_a.slug))
    expected = CASE_MATRIX[name][PERSONAS.index(persona)]
    assert response.status_code == expected, (name, persona)
    if expected == 302:
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", sorted(PLATFORM_MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_platform_urls(request, case_a, platform_a, name, persona):
    client = request.getfixturevalue(persona)
    kwargs = {"platform": platform_a.slug}
    if name == "user-audit":
        kwargs["user_id"] = case_a.created_by_id
    response = client.get(reverse(f"cases:{name}", kwargs=kwargs))
    assert response.status_code == PLATFORM_MATRIX[name][PERSONAS.index(persona)], (name, persona)


@pytest.mark.parametrize("name", ["detail", "edit", "referral-respond", "audit"])
def test_other_platform_gets_404_through_its_own_platform_too(secretariat_b, case_a, platform_b, name):
    """B's secretariat, using B's own slug with A's case id, still learns nothing."""
    assert secretariat_b.get(_case_url(name, case_a, platform_b.slug)).status_code == 404


def test_a_removed_working_group_member_loses_access(secretariat_a, wg_member_a, case_a, platform_a):
    url = _case_url("detail", case_a, platform_a.slug)
    assert wg_member_a.get(url).status_code == 200
    member = case_a.working_group.get()
    secretariat_a.post(_case_url("working-group-remove", case_a, platform_a.slug))
    member.refresh_from_db()
    assert member.removed_at is not None
    assert wg_member_a.get(url).status_code == 404


def test_refused_requests_write_no_view_event(other_coordinator_a, secretariat_b, case_a, platform_a):
    before = CaseEvent.objects.filter(action="cases.case.viewed").count()
    other_coordinator_a.get(_case_url("detail", case_a, platform_a.slug))
    secretariat_b.get(_case_url("detail", case_a, platform_a.slug))
    assert CaseEvent.objects.filter(action="cases.case.viewed").count() == before


def _names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _names(p.url_patterns, prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield p.name


def test_every_cases_url_is_in_the_matrix():
    resolver = get_resolver().namespace_dict["cases"][1]
    names = set(_names(resolver.url_patterns))
    assert names == set(CASE_MATRIX) | set(PLATFORM_MATRIX)
