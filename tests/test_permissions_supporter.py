"""The つながりサポーター persona over every URL of the resolver (the rows of the permission matrix).

A supporter is a trained resident with one right (cases.supporter_report): to send a short report
about someone who may need help and to see their own list of what was received. They see nothing
of any case, request, report or registry page: under /p/<platform>/ everything else is 403, and
404 wherever the object's existence is itself personal data (a case, a member's request, a
report, someone's background job). Outside the platform they are any signed-in user. Their right
shows no personal data, so they sign in with the password only (no second factor): the persona
here is signed in that way, and reaches its own pages.

Every row of tests/test_permissions_matrix.py (so every URL name, and each variant) is one test
here; the expected status follows the rules below, with the exceptions named.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse

from platform_site.models import Role
from tests import factories as f
from tests.test_permissions_matrix import (
    MATRIX,
    NO_OTP_TO,
    PERSONAS,
    Row,
    _kept_by_no_browser,
    _row_id,
    kwargs_for,
    served_urls,
    world,  # noqa: F401  (the fixture)
)

pytestmark = pytest.mark.usefixtures("frozen_now")

#: The supporter's own pages, and the platform's home (their panel: one button, their list).
OWN = {"platform-home", "cases:supporter-report-create", "cases:supporter-reports-mine"}
#: Outside the platform, as any signed-in user (the coordinator's column), except: without a
#: second factor (none is needed) the recovery-code screens send them to set one up.
OUTSIDE_EXCEPTIONS = {("signin:recovery", "get"): 302, ("signin:recovery-new", "post"): 302}
#: POST-only views whose right is checked before the method: no right, so 403 before any 405.
RIGHT_BEFORE_METHOD = {"orgs:notice-email"}


def expected(r: Row) -> int:
    route = served_urls()[r.name][0]
    coordinator = r.statuses[PERSONAS.index("coordinator_a")]
    if not route.startswith("p/"):
        return OUTSIDE_EXCEPTIONS.get((r.name, r.method), coordinator)
    if r.variant == "unknown platform":
        return 404
    if r.name in OWN:
        return 200
    if coordinator == 405 and r.name not in RIGHT_BEFORE_METHOD:  # the method checked before any right
        return 405
    if r.name.startswith("jobs:") or (
        r.name.startswith("cases:") and any(f"<id:{k}>" in route for k in ("pk", "request_id", "report_id"))
    ):
        return 404  # a case, a request, a report, a job: not even its existence
    return 403


@pytest.fixture
def supporter_a(platform_a) -> Client:
    """A supporter of platform A, signed in with the password (their right needs no second factor)."""
    from cases.models import Supporter

    user = f.make_user("supporter_a")
    f.make_role(user, platform_a, Role.SUPPORTER)
    Supporter.objects.create(platform=platform_a, user=user, trained_on="2025-11-01", area="中央")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("r", MATRIX, ids=_row_id)
def test_supporter(r: Row, world, supporter_a):  # noqa: F811
    with transaction.atomic():
        url = reverse(r.name, kwargs=kwargs_for(r.name, served_urls()[r.name][1], world, r.variant))
        response = getattr(supporter_a, r.method)(url)
        transaction.set_rollback(True)
    got = response.status_code
    want = expected(r)
    if got == 302 and r.name not in ("home", "logout"):
        # only ever to the second factor's screens (the recovery codes), never to sign in again
        assert response["Location"].startswith(NO_OTP_TO[0]), response["Location"]
    assert got == want, f"{r.method.upper()} {url} ({r.name}): expected {want}, got {got}"
    if r.name != "logout" or r.method != "post":  # signed out by it: the answer is the sign-in page's
        assert _kept_by_no_browser(response, getattr(resolve(url).func, "keeps_cache_control", False))
