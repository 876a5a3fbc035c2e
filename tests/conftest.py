"""Personas shared by every test (after healthchecks' alice/bob/charlie).

Platform A and B; in A two member organisations (org_a, other_org_a); in B one (org_b).
- anon: not signed in
- secretariat_a: city staff of A          - admin_a: administrator of A
- coordinator_a: coordinator of org_a     - other_coordinator_a: coordinator of other_org_a
- secretariat_b: city staff of B
- secretariat_a_no_otp: city staff of A signed in with the password but no second factor
- wg_member_a: coordinator of a third organisation of A (third_org_a), in case_a's working group
  (platform A has a council, 地域協議会, whose duty wg_member_a acknowledged: tests.factories.seat)
case_a: a case of A referred to org_a with consent (age, sex, situation; not the name), built
through the ledger's services (tests/ledger.py); referral_a: its referral to org_a.
Each persona fixture is a logged-in django test Client (anon is a plain one).

Time. The suite must pass whatever the date and hour it runs at (CI runs it again with the
machine's clock faked to other dates), so:
- A test whose data or assertions carry dates (the ledger's story dated April 2026, a 年度, a
  "no future dates" rule, a consent's expiry) runs at ``FROZEN_NOW`` through the ``frozen_now``
  fixture and writes its dates as literals that fit ``FROZEN_TODAY`` or computes them from it.
  Every test that builds a case (tests/cases/, the permission matrix) runs there through an
  autouse fixture. Elsewhere put ``pytestmark = pytest.mark.usefixtures("frozen_now")`` at the
  top of the module (usefixtures comes before the test's own fixtures: the clock must be set
  before the personas log in, or their sessions may have expired at the pinned moment).
- A test whose whole story sits at another moment marks it, ``@pytest.mark.frozen_at(moment)``
  (an aware datetime, ``TOKYO`` below), beside ``frozen_now``. Never decorate a test with
  ``@time_machine.travel``: the decorator starts after the fixtures, so the personas logged in
  at the real time, and sessions last 8 hours (SESSION_COOKIE_AGE).
- A test that moves on within its story (a 年度 boundary, a month later) nests
  ``time_machine.travel(moment, tick=False)``, and logs its personas in again
  (``f.login_verified(client, client.user)``) when it jumps ahead by more than the idle
  timeout (SESSION_IDLE_MINUTES).
- Without the fixture, a test may only use dates relative to ``timezone.localdate()``, never a
  literal "recent" date: one that is in the past today is in the future on an older clock, and
  "last year" today is two years ago next year.
- App code reads the date with ``timezone.localdate()`` / ``timezone.now()`` (Asia/Tokyo), never
  ``date.today()``, ``datetime.now()`` or ``timezone.now().date()`` (the UTC date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, Referral
from platform_site.models import Role
from surveys import services as survey_services
from surveys.imports import import_apply
from surveys.models import Survey
from tests import factories as f
from tests.ledger import make_case

TOKYO = ZoneInfo("Asia/Tokyo")
#: The moment date-bound tests run at: Wednesday 20 May 2026, 08:30 in Tokyo, which is still
#: 19 May in UTC, so code that takes the UTC date for Tokyo's shows up at once.
FROZEN_NOW = dt.datetime(2026, 5, 20, 8, 30, tzinfo=TOKYO)
FROZEN_TODAY = FROZEN_NOW.date()


@pytest.fixture
def frozen_now(request: pytest.FixtureRequest) -> Iterator[dt.datetime]:
    """Put the clock at ``FROZEN_NOW``, or at the moment of the test's (or module's)
    ``@pytest.mark.frozen_at(moment)``, for the whole test: Python's clock, the live server
    thread's too, from before the personas log in.

    The date and the hour are pinned; the seconds run on from there, as a real clock's do, so
    two saves still get distinct, ordered timestamps (the registry's edit forms use updated_at
    to spot a concurrent change). A test that needs an exact instant nests
    ``time_machine.travel(moment, tick=False)``.
    """
    marker = request.node.get_closest_marker("frozen_at")
    moment = marker.args[0] if marker else FROZEN_NOW
    with time_machine.travel(moment, tick=True):
        yield moment


@pytest.fixture
def platform_a(db):
    return f.make_platform(slug="a-city", name="A市孤独・孤立対策PF")


@pytest.fixture
def platform_b(db):
    return f.make_platform(slug="b-city", name="B市孤独・孤立対策PF")


@pytest.fixture
def org_a(platform_a):
    return f.make_org(platform_a, name="あおぞら相談室", name_kana="アオゾラソウダンシツ")


@pytest.fixture
def other_org_a(platform_a):
    return f.make_org(platform_a, name="みどり食堂", name_kana="ミドリショクドウ")


@pytest.fixture
def org_b(platform_b):
    return f.make_org(platform_b, name="B市フードバンク", name_kana="ビーシフードバンク")


class PersonaClient(Client):
    """A test client signed in as `user`."""

    user: User


def _client_for(user: User) -> PersonaClient:
    """Signed in with a verified second factor (every role sees personal data: docs/security.md)."""
    client = PersonaClient()
    f.login_verified(client, user)
    client.user = user
    return client


@pytest.fixture
def anon(db) -> Client:
    return Client()


@pytest.fixture
def secretariat_a(platform_a) -> Client:
    user = f.make_user("secretariat_a")
    f.make_role(user, platform_a, Role.SECRETARIAT)
    return _client_for(user)


@pytest.fixture
def secretariat_a_no_otp(platform_a) -> Client:
    """A secretariat of A signed in with the password only: no second factor set up yet."""
    user = f.make_user("secretariat_a_no_otp")
    f.make_role(user, platform_a, Role.SECRETARIAT)
    client = PersonaClient()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def admin_a(platform_a) -> Client:
    user = f.make_user("admin_a")
    f.make_role(user, platform_a, Role.ADMIN)
    return _client_for(user)


@pytest.fixture
def coordinator_a(platform_a, org_a) -> Client:
    user = f.make_user("coordinator_a")
    f.make_role(user, platform_a, Role.COORDINATOR, organisation=org_a)
    return _client_for(user)


@pytest.fixture
def other_coordinator_a(platform_a, other_org_a) -> Client:
    user = f.make_user("other_coordinator_a")
    f.make_role(user, platform_a, Role.COORDINATOR, organisation=other_org_a)
    return _client_for(user)


@pytest.fixture
def secretariat_b(platform_b) -> Client:
    user = f.make_user("secretariat_b")
    f.make_role(user, platform_b, Role.SECRETARIAT)
    return _client_for(user)


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
    """A case of platform A referred to org_a (consent covers age, sex, situation; not the name).

    Taken in on 10 April 2026 with consent given "today": it needs the pinned clock.
    """
    if timezone.localdate() != FROZEN_TODAY:
        pytest.fail("case_a is dated April 2026: run the test at frozen_now (see tests/conftest.py)")
    case = make_case(platform_a, secretariat_a.user, org=org_a)
    f.seat(wg_member_a.user, platform_a)  # bound by the council's duty: a working group may seat them
    case_services.working_group_add(case=case, actor=secretariat_a.user, user=wg_member_a.user)
    case.refresh_from_db()
    return case


@pytest.fixture
def referral_a(case_a) -> Referral:
    return case_a.referrals.get()


@pytest.fixture
def temp_watch(tmp_path, monkeypatch):
    """The system temp folder, emptied and watched: `.opened` lists every file opened there."""
    from tests.tempwatch import watch_temp_folder

    with watch_temp_folder(tmp_path, monkeypatch) as watch:
        yield watch


@pytest.fixture
def survey_a(platform_a) -> Survey:
    """A resident survey of platform A with the national items and two imported respondents."""
    survey = survey_services.survey_create(
        platform=platform_a,
        actor=None,
        data={
            "fiscal_year": 2022,
            "kind": "resident",
            "title": "A市 孤独・孤立の実態調査",
            "sample_size": 10,
        },
    )
    header = "respondent_id,channel,direct,ucla_1,ucla_2,ucla_3\r\n"
    import_apply(
        survey=survey,
        actor=None,
        data=(header + "1,郵送,5,4,4,4\r\n2,WEB,1,1,1,1\r\n").encode(),
        filename="a.csv",
    )
    return survey


@pytest.fixture
def resource_survey_a(platform_a) -> Survey:
    return survey_services.survey_create(
        platform=platform_a,
        actor=None,
        data={"fiscal_year": 2024, "kind": "resource", "title": "A市 リソース調査"},
    )


@pytest.fixture
def survey_b(platform_b) -> Survey:
    return survey_services.survey_create(
        platform=platform_b,
        actor=None,
        data={"fiscal_year": 2022, "kind": "resident", "title": "B市 実態調査"},
    )
