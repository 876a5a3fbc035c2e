"""Personas shared by every test (after healthchecks' alice/bob/charlie).

Platform A and B; in A two member organisations (org_a, other_org_a); in B one (org_b).
- anon: not signed in
- secretariat_a: city staff of A          - admin_a: administrator of A
- coordinator_a: coordinator of org_a     - other_coordinator_a: coordinator of other_org_a
- secretariat_b: city staff of B
Each persona fixture is a logged-in django test Client (anon is a plain one).
"""

from __future__ import annotations

import pytest
from django.test import Client

from platform_site.models import Role
from tests import factories as f


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


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.user = user  # type: ignore[attr-defined]
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
