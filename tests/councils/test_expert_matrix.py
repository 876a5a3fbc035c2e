"""The expert persona × every URL: an individual expert (role `expert`, no organisation, not a PF
member) seated in case_a's working group sees case_a — its page and its print — and nothing else:
no registry, no ledger list, no other case, no surveys, events or council screens.

Walks every named URL of the resolver through the rows of tests/test_permissions_matrix.py (same
URLs, same kwargs, same world), with the expert's own expected status: the rule below, then the
explicit exceptions. A new URL gets a row there and so a cell here, by the rule or an exception.
"""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from cases import services as case_services
from platform_site.models import Role
from tests import factories as f
from tests.conftest import _client_for
from tests.test_permissions_matrix import (  # noqa: F401  (world: a fixture used by name)
    MATRIX,
    PERSONAS,
    Row,
    _kept_by_no_browser,
    _request,
    _row_id,
    kwargs_for,
    served_urls,
    world,
)

pytestmark = pytest.mark.usefixtures("frozen_now")

OTHER_COORDINATOR = PERSONAS.index("other_coordinator_a")
ANON = PERSONAS.index("anon")

# (url name, method, variant) → the expert's status where the rule does not give it, and why.
EXCEPTIONS: dict[tuple[str, str, str], int] = {
    ("platform-home", "get", ""): 200,  # their home: the working-group cases that seat them
    ("platform-home", "get", "unknown platform"): 404,
    ("cases:detail", "get", ""): 200,  # case_a's working group seats them
    ("cases:print", "get", ""): 200,  # what they may see of it, on paper (logged)
    # background jobs: the owner's only; anyone else learns nothing of them
    ("jobs:status", "get", ""): 404,
    ("jobs:download", "post", ""): 404,
    ("jobs:download", "get", ""): 405,  # the method is checked first, as for every persona
    ("orgs:verify", "get", ""): 405,  # likewise
    ("cases:supporter-report-handled", "get", ""): 405,  # likewise
    # a case whose working group does not seat them: not even its existence
    ("cases:hand-on", "get", "another case, accepted"): 404,
}


def expected(r: Row) -> int:
    """Public pages and signing in: as for any signed-in person without a right (the coordinator
    of another organisation). Every other page: 403 — they have a role in the platform, so its
    existence is no secret, but no right; another platform or an unknown one stays 404."""
    key = (r.name, r.method, r.variant)
    if key in EXCEPTIONS:
        return EXCEPTIONS[key]
    if r.statuses[ANON] != 302 or r.name.startswith("signin:") or r.name == "logout":
        return r.statuses[OTHER_COORDINATOR]
    if r.variant == "unknown platform":
        return 404
    route = served_urls()[r.name][0]
    if any(f"<id:{k}>" in route for k in ("request_id", "report_id")):
        return 404  # a member's request about a person, a supporter's report: not even its existence
    return 403


@pytest.fixture
def expert_a(platform_a, case_a, secretariat_a):
    """A lawyer seated as an individual expert in case_a's working group (platform A's council)."""
    user = f.make_user("expert_a", first_name="弁護士", last_name="架空")
    f.make_role(user, platform_a, Role.EXPERT)
    f.seat(user, platform_a, expert=True)
    case_services.working_group_add(case=case_a, actor=secretariat_a.user, user=user)
    return _client_for(user)


@pytest.mark.parametrize("r", MATRIX, ids=_row_id)
def test_expert_matrix(r: Row, expert_a, world):  # noqa: F811  (the world fixture)
    params = served_urls()[r.name][1]
    url = reverse(r.name, kwargs=kwargs_for(r.name, params, world, r.variant))
    response = _request(expert_a, r.method, url)
    got: int | str = response.status_code
    if got == 302 and response["Location"].startswith(("http:", "https:", "//")):
        got = f"302 to {response['Location']}"  # never sent off the site
    assert got == expected(r), f"{r.method.upper()} {url} ({r.name}): expected {expected(r)}, got {got}"
    opted_out = getattr(resolve(url).func, "keeps_cache_control", False)
    assert _kept_by_no_browser(response, opted_out)


def test_every_exception_names_a_row():
    rows = {(r.name, r.method, r.variant) for r in MATRIX}
    assert set(EXCEPTIONS) <= rows, sorted(set(EXCEPTIONS) - rows)
