"""Ledger-only fixtures. The case itself (case_a: platform A, referred to org_a, with a working
group member wg_member_a) and referral_a live in tests/conftest.py, shared with the permission
matrix; the data helpers (make_case, intake_data...) in tests/ledger.py.

Every ledger test runs at ``FROZEN_NOW`` (20 May 2026, 08:30 Tokyo; see tests/conftest.py): the
case is taken in on 10 April 2026, consent is given "today", and the dates the tests write
(handoffs in April, support ending on 1 May, the 令和8年度 figures) are the past of that day.
"""

from __future__ import annotations

import pytest
from django.test import Client

from cases import services
from cases.models import Referral
from platform_site.models import Role
from tests import factories as f
from tests.conftest import _client_for
from tests.ledger import confirm_password


@pytest.fixture(autouse=True)
def _ledger_clock(frozen_now):
    """Autouse, so the clock is set before any persona logs in or any case is written."""
    return frozen_now


@pytest.fixture
def accepted_a(referral_a, coordinator_a) -> Referral:
    return services.referral_respond(referral=referral_a, actor=coordinator_a.user, accept=True)


@pytest.fixture
def exporter_a(platform_a) -> Client:
    """Secretariat with the export grant, password confirmed a moment ago."""
    user = f.make_user("exporter_a")
    f.make_role(user, platform_a, Role.SECRETARIAT, grants=["cases.export"])
    return confirm_password(_client_for(user))


@pytest.fixture
def overrider_a(platform_a) -> Client:
    user = f.make_user("overrider_a")
    f.make_role(user, platform_a, Role.SECRETARIAT, grants=["cases.consent_override"])
    return _client_for(user)
