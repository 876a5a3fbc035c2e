"""Ledger test data shared by every test that needs a case (the ledger's own tests and the
permission matrix): intake, consent and referral data, and `make_case`, built through the same
services the screens call. The fixtures using them (case_a, referral_a...) are in tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Case, ConsentItem

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


def confirm_password(client: Client) -> Client:
    """As if the user had just re-entered their password (the export's step-up window)."""
    from platform_site.stepup import STEP_UP_KEY

    session = client.session
    session[STEP_UP_KEY] = time.time() + 600
    session.save()
    return client
