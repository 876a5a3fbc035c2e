"""Ledger fixtures: a case in platform A referred to org_a, with a working group, built through
the same services the screens call.

Personas (on top of tests/conftest.py):
- coordinator_a: coordinator of org_a, the organisation the case was referred to;
- other_coordinator_a: coordinator of other_org_a (not referred: must get 404);
- wg_member_a: coordinator of a third organisation of A, added to the case's working group;
- secretariat_b: another platform (404).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Case, ConsentItem, Referral
from platform_site.models import Role
from tests import factories as f
from tests.conftest import _client_for

PERSON_NAME = "架空 花子"
SITUATION = "架空: 電気が止まり食べるものがない。"


def intake_data(**kw: Any) -> dict[str, Any]:
    data = {
        "intake_date": dt.date(2026, 4, 10),
        "person_name": PERSON_NAME,
        "contact": "090-0000-0000",
        "age": "42",
        "sex": "female",
        "household": "3人世帯",
        "source": "self",
        "situation": SITUATION,
        "hardship_reason": "家計が逼迫し自治体支援のみでは困難",
        "willingness_reason": "本人が生活再建の意思を示した",
    }
    return data | kw


def consent_data(**kw: Any) -> dict[str, Any]:
    data = {
        "method": "written",
        "given_by": "本人",
        "given_on": timezone.localdate(),
        "ack_share": True,
        "ack_no_choice": True,
        "ack_take_support": True,
        "ack_end_rule": True,
        "items": [ConsentItem.AGE, ConsentItem.SEX, ConsentItem.SITUATION],
    }
    return data | kw


REFERRAL_DATA = {
    "support_type": "food",
    "adults": 1,
    "children": 2,
    "days": 3,
    "food_needs": ["allergy"],
    "allergy_detail": "そば",
    "urgency": "normal",
}


def make_case(platform, actor, *, org=None, items=None, refer=True, **kw: Any) -> Case:
    case = services.case_create(platform=platform, actor=actor, data=intake_data(**kw))
    if org is not None:
        extra = {"items": items} if items is not None else {}
        services.consent_record(case=case, actor=actor, data=consent_data(**extra), organisations=[org])
        if refer:
            services.referral_send(case=case, actor=actor, organisation=org, data=dict(REFERRAL_DATA))
    case.refresh_from_db()
    return case


@pytest.fixture
def third_org_a(platform_a):
    return f.make_org(platform_a, name="さくら見守り隊", name_kana="サクラミマモリタイ")


@pytest.fixture
def wg_member_a(platform_a, third_org_a) -> Client:
    user = f.make_user("wg_member_a", email="wg@example.jp")
    f.make_role(user, platform_a, Role.COORDINATOR, organisation=third_org_a)
    return _client_for(user)


@pytest.fixture
def case_a(secretariat_a, coordinator_a, other_coordinator_a, wg_member_a, org_a, platform_a) -> Case:
    """A case of platform A referred to org_a (consent covers age, sex, situation; not the name)."""
    case = make_case(platform_a, secretariat_a.user, org=org_a)
    services.working_group_add(case=case, actor=secretariat_a.user, user=wg_member_a.user)
    case.refresh_from_db()
    return case


@pytest.fixture
def referral_a(case_a) -> Referral:
    return case_a.referrals.get()


@pytest.fixture
def accepted_a(referral_a, coordinator_a) -> Referral:
    return services.referral_respond(referral=referral_a, actor=coordinator_a.user, accept=True)


def confirm_password(client: Client) -> Client:
    """As if the user had just re-entered their password (the export's step-up window)."""
    from platform_site.stepup import STEP_UP_KEY

    session = client.session
    session[STEP_UP_KEY] = time.time() + 600
    session.save()
    return client


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
