"""Ledger access rules beyond the permission matrix (tests/test_permissions_matrix.py holds every
ledger URL × the six personas): the working-group member, a persona only the ledger knows; another
platform's slug; losing access; refused requests leave no trace."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import CaseEvent
from tests.test_permissions_matrix import served_urls


def _case_url(name: str, case, platform_slug: str) -> str:
    kwargs = {"platform": platform_slug, "pk": case.pk}
    if name in ("referral-respond", "handoff-create", "referral-respond-phone", "handoff-phone", "hand-on"):
        kwargs["referral_id"] = case.referrals.get().pk
    if name == "report-read":
        kwargs["handoff_id"] = 1  # refused before the handoff is looked up
    if name in ("consent-revoke", "consent-correct"):
        kwargs["consent_id"] = case.consents.get().pk
    if name == "working-group-remove":
        kwargs["member_id"] = case.working_group.get().pk
    return reverse(f"cases:{name}", kwargs=kwargs)


# A coordinator of a third organisation, added to case_a's working group: reads the case, changes
# nothing, and the referral (to org_a) is not theirs to answer. Every case URL has its status.
WORKING_GROUP_MEMBER = {
    "detail": 200,
    "edit": 403,
    "plan": 403,
    "consent-create": 403,
    "consent-revoke": 403,
    "consent-correct": 403,
    "referral-create": 403,
    "referral-respond": 404,
    "handoff-create": 404,
    "hand-on": 404,  # not their organisation's referral to hand on
    "referral-respond-phone": 403,
    "handoff-phone": 403,
    "report-read": 403,
    "print": 200,
    "close": 403,
    "working-group": 403,
    "working-group-remove": 403,
    "working-group-close": 403,
    "audit": 403,
}


def test_the_working_group_member_has_a_status_for_every_case_url():
    served = served_urls()
    case_urls = {
        n.removeprefix("cases:") for n, (_, kw) in served.items() if n.startswith("cases:") and "pk" in kw
    }
    assert set(WORKING_GROUP_MEMBER) == case_urls


@pytest.mark.parametrize(("name", "expected"), sorted(WORKING_GROUP_MEMBER.items()))
def test_a_working_group_member_reads_the_case_and_changes_nothing(wg_member_a, case_a, name, expected):
    url = _case_url(name, case_a, case_a.platform.slug)
    assert wg_member_a.get(url).status_code == expected
    if expected != 200:  # refused: a POST is refused alike and writes nothing
        before = CaseEvent.objects.count()
        assert wg_member_a.post(url).status_code == expected
        assert CaseEvent.objects.count() == before


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
