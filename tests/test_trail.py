"""The audit trail screen: administrators read every audit table of their platform, filtered by
who, what, when, case or organisation, newest first in pages; reading it is itself logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from cases import services as case_services
from cases.models import CaseEvent
from orgs import services as org_services
from platform_site.models import PlatformChange
from platform_site.trail.selectors import PAGE_SIZE
from tests.conftest import TOKYO
from tests.factories import login_verified
from tests.ledger import make_case

pytestmark = pytest.mark.usefixtures("frozen_now")


def _trail(client, platform, **params):
    return client.get(reverse("trail:list", kwargs={"platform": platform.slug}), params)


@pytest.fixture
def history(platform_a, org_a, secretariat_a, coordinator_a):
    org_services.organisation_update(
        organisation=org_a, platform=platform_a, actor=coordinator_a.user, data={"hours": "随時"}
    )
    case = make_case(platform_a, secretariat_a.user, org=org_a)
    return case


def _codes(response) -> list[str]:
    return [row["entry"].action for row in response.context["rows"]]


def test_the_trail_shows_every_table_newest_first(admin_a, platform_a, history):
    response = _trail(admin_a, platform_a)
    assert response.status_code == 200
    rows = [r["entry"] for r in response.context["rows"]]
    assert {type(e).__name__ for e in rows} >= {"OrgChange", "CaseEvent"}
    places = [e.chain_seq for e in rows]
    assert places == sorted(places, reverse=True)
    assert "団体へ依頼した" in response.text and f"ケース #{history.pk}" in response.text


def test_reading_the_trail_is_logged_with_its_filters(admin_a, platform_a, history, secretariat_a):
    _trail(admin_a, platform_a, actor=secretariat_a.user.pk, case=history.pk)
    entry = PlatformChange.objects.get(action="platform.audit_trail.viewed")
    assert entry.actor == admin_a.user
    assert entry.changes["filters"] == {"actor_id": secretariat_a.user.pk, "case_id": history.pk}
    # and it is in the trail itself, not in the settings screen's history
    assert "platform.audit_trail.viewed" in _codes(_trail(admin_a, platform_a))


def test_filter_by_who(admin_a, platform_a, history, coordinator_a):
    rows = _trail(admin_a, platform_a, actor=coordinator_a.user.pk).context["rows"]
    assert rows and all(r["entry"].actor_id == coordinator_a.user.pk for r in rows)


def test_filter_by_what(admin_a, platform_a, history):
    codes = _codes(_trail(admin_a, platform_a, action="cases.consent.recorded"))
    assert codes == ["cases.consent.recorded"]
    tables = {
        type(r["entry"]).__name__ for r in _trail(admin_a, platform_a, table="orgs.orgchange").context["rows"]
    }
    assert tables == {"OrgChange"}


def test_filter_by_case(admin_a, platform_a, secretariat_a, org_a, history):
    other = make_case(platform_a, secretariat_a.user, org=org_a)
    rows = _trail(admin_a, platform_a, case=history.pk).context["rows"]
    assert rows and {r["entry"].case_id for r in rows} == {history.pk}
    assert other.pk != history.pk


def test_filter_by_organisation(admin_a, platform_a, history, org_a):
    rows = [r["entry"] for r in _trail(admin_a, platform_a, organisation=org_a.pk).context["rows"]]
    kinds = {(type(e).__name__, e.action) for e in rows}
    assert any(k[0] == "OrgChange" for k in kinds)
    assert ("CaseEvent", "cases.referral.sent") in kinds
    assert all(
        getattr(e, "organisation_id", None) == org_a.pk
        or e.data.get("organisation") == org_a.pk
        or org_a.pk in e.data.get("organisations", [])
        for e in rows
    )


def test_filter_by_organisation_misses_nothing_about_it(
    admin_a, platform_a, secretariat_a, coordinator_a, org_a, other_org_a, third_org_a
):
    """Every entry naming the organisation is found: a consent sharing with it (among others),
    a referral to it and its answer, a hand-on from it, a withdrawal it was told of; entries
    naming only other organisations are not."""
    from cases.models import CloseReason
    from tests.ledger import REFERRAL_DATA, consent_data

    staff, coordinator = secretariat_a.user, coordinator_a.user
    # a consent naming it and another member; a referral to it, accepted, then handed on from it
    handed = make_case(platform_a, staff, refer=False)
    case_services.consent_record(
        case=handed, actor=staff, data=consent_data(), organisations=[org_a, other_org_a]
    )
    referral = case_services.referral_send(
        case=handed, actor=staff, organisation=org_a, data=dict(REFERRAL_DATA)
    )
    case_services.referral_respond(referral=referral, actor=coordinator, accept=True)
    case_services.referral_hand_on(
        case=handed,
        actor=coordinator,
        from_referral=referral,
        organisation=other_org_a,
        data=dict(REFERRAL_DATA),
    )
    # a withdrawal it is told of
    withdrawn = make_case(platform_a, staff, org=org_a)
    case_services.consent_revoke(
        consent=withdrawn.consents.get(), actor=staff, revoked_on=withdrawn.consents.get().given_on
    )
    # about other members only: a consent, a referral, the end of support they are told of
    elsewhere = make_case(platform_a, staff, org=other_org_a)
    case_services.case_close(
        case=elsewhere,
        actor=staff,
        reason=CloseReason.MOVED,
        note="",
        closed_on=elsewhere.intake_date,
        version=elsewhere.version,
    )
    make_case(platform_a, staff, org=third_org_a, refer=False)

    shown = {
        (e.case_id, e.action)
        for r in _trail(admin_a, platform_a, organisation=org_a.pk).context["rows"]
        if isinstance(e := r["entry"], CaseEvent)
    }
    assert shown == {
        (handed.pk, "cases.consent.recorded"),
        (handed.pk, "cases.referral.sent"),
        (handed.pk, "cases.referral.accepted"),
        (handed.pk, "cases.referral.handed_on"),
        (withdrawn.pk, "cases.consent.recorded"),
        (withdrawn.pk, "cases.referral.sent"),
        (withdrawn.pk, "cases.consent.revoked"),
    }
    # and the other member's filter finds the end of support it was told of, not the withdrawal
    other = {
        (r["entry"].case_id, r["entry"].action)
        for r in _trail(admin_a, platform_a, organisation=other_org_a.pk).context["rows"]
    }
    assert (elsewhere.pk, "cases.case.closed") in other and (handed.pk, "cases.referral.handed_on") in other
    assert (withdrawn.pk, "cases.consent.revoked") not in other


def test_filter_by_when(admin_a, platform_a, history, secretariat_a):
    with time_machine.travel(dt.datetime(2026, 5, 25, 10, 0, tzinfo=TOKYO), tick=False):
        case_services.case_viewed(case=history, actor=secretariat_a.user, level="secretariat")
        login_verified(admin_a, admin_a.user)  # the session of five days ago has timed out
        later = _trail(admin_a, platform_a, since="2026-05-21", until="2026-05-25").context["rows"]
        earlier = _trail(admin_a, platform_a, until="2026-05-20").context["rows"]
    assert [r["entry"].action for r in later] == ["cases.case.viewed"]
    assert earlier and all(r["entry"].at < dt.datetime(2026, 5, 21, tzinfo=TOKYO) for r in earlier)


def test_bad_filters_get_a_japanese_message_and_no_filtering(admin_a, platform_a, history):
    response = _trail(admin_a, platform_a, since="2026-05-20", until="2026-05-01")
    assert "「いつまで」は「いつから」より後の日付にしてください。" in response.text
    assert "未来の日付は指定できません。" in _trail(admin_a, platform_a, since="2099-01-01").text


def test_pages_cover_every_entry_once(admin_a, platform_a, history, secretariat_a):
    for _ in range(PAGE_SIZE + 10):
        case_services.case_viewed(case=history, actor=secretariat_a.user, level="secretariat")
    total = sum(1 for m in (CaseEvent,) for _ in m.objects.filter(platform=platform_a))
    seen: list[int] = []
    before = None
    while True:
        params: dict[str, Any] = {"before": before} if before else {}
        response = _trail(admin_a, platform_a, **params)
        page = response.context["page"]
        seen += [r["entry"].chain_seq for r in response.context["rows"]]
        if not page.next_before:
            break
        assert "さらに古い記録" in response.text
        before = page.next_before
    assert len(seen) == len(set(seen)) and len(seen) >= total


def test_another_platforms_entries_are_not_shown(admin_a, platform_a, platform_b, secretariat_b, history):
    from tests.ledger import intake_data

    other = case_services.case_create(platform=platform_b, actor=secretariat_b.user, data=intake_data())
    rows = _trail(admin_a, platform_a).context["rows"]
    assert all(r["entry"].platform_id == platform_a.pk for r in rows)
    assert not _trail(admin_a, platform_a, case=other.pk).context["rows"]


def test_the_trail_page_costs_the_same_however_long_the_trail(
    admin_a, platform_a, history, secretariat_a, django_assert_max_num_queries
):
    _trail(admin_a, platform_a)
    for _ in range(30):
        case_services.case_viewed(case=history, actor=secretariat_a.user, level="secretariat")
    # session, user, platform, role, its filter lists, one query per audit table, the view's own entry (+ head):
    # a constant for a given installation, whatever the trail's length (each app's audit table
    # adds one)
    from platform_site.audit import audit_models

    with django_assert_max_num_queries(12 + len(audit_models())):
        _trail(admin_a, platform_a)
