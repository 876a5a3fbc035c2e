"""Query budgets: the ledger list, the inbox and the case page do not grow with the data."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from cases import services
from tests.ledger import make_case


def _cases(platform, actor, org, n):
    return [make_case(platform, actor, org=org) for _ in range(n)]


def test_the_ledger_list_runs_a_fixed_number_of_queries(
    secretariat_a, platform_a, org_a, django_assert_num_queries
):
    url = reverse("cases:list", kwargs={"platform": platform_a.slug})
    _cases(platform_a, secretariat_a.user, org_a, 3)
    # session, user, 2FA device, platform, role, one page of cases (referred_to joined), list-view event insert
    # with its chain head (lock, move)
    with django_assert_num_queries(9):
        assert secretariat_a.get(url).status_code == 200
    _cases(platform_a, secretariat_a.user, org_a, 60)
    with django_assert_num_queries(9):
        response = secretariat_a.get(url)
    assert len(response.context["page"].rows) == 50
    # the next page (keyset) costs the same
    with django_assert_num_queries(9):
        response = secretariat_a.get(url, {"after": response.context["page"].next_cursor})
    assert len(response.context["page"].rows) == 13


def test_keyset_pages_cover_every_case_once(secretariat_a, platform_a, org_a):
    made = {c.pk for c in _cases(platform_a, secretariat_a.user, org_a, 55)}
    url = reverse("cases:list", kwargs={"platform": platform_a.slug})
    seen: list[int] = []
    cursor = None
    while True:
        page = secretariat_a.get(url, {"after": cursor} if cursor else {}).context["page"]
        seen += [c.pk for c in page.rows]
        cursor = page.next_cursor
        if not cursor:
            break
    assert sorted(seen) == sorted(made)


def test_the_inbox_runs_a_fixed_number_of_queries(
    secretariat_a, coordinator_a, platform_a, org_a, django_assert_num_queries
):
    url = reverse("cases:list", kwargs={"platform": platform_a.slug})
    _cases(platform_a, secretariat_a.user, org_a, 2)
    # session, user, 2FA device, platform, role, one page of referrals (case joined), working-group cases
    with django_assert_num_queries(7):
        coordinator_a.get(url)
    _cases(platform_a, secretariat_a.user, org_a, 10)
    with django_assert_num_queries(7):
        coordinator_a.get(url)


def test_the_case_page_runs_a_fixed_number_of_queries(
    secretariat_a, coordinator_a, case_a, accepted_a, django_assert_num_queries
):
    url = reverse("cases:detail", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk})

    def handoffs(n):
        for i in range(n):
            services.handoff_record(
                referral=accepted_a,
                actor=coordinator_a.user,
                data={"date": dt.date(2026, 4, 1 + i), "given": "米"},
            )

    handoffs(1)
    secretariat_a.get(url)
    # session, user, 2FA device, platform, role, case (+referred_to), consents, consent organisations,
    # withdrawal corrections, referrals, handoffs, timeline, working group, view-event insert with
    # its chain head (lock, move)
    with django_assert_num_queries(16):
        secretariat_a.get(url)
    handoffs(10)
    with django_assert_num_queries(16):
        secretariat_a.get(url)
