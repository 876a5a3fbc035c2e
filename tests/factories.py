"""Plain make_* factories (no factory_boy), each with setdefault-style keyword overrides."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.contrib.auth import get_user_model

from orgs.models import Membership, MembershipStatus, Organisation, WorryCategory
from orgs.searchtext import search_text_refresh
from orgs.services import set_single_period
from platform_site.lib import japanese as jp
from platform_site.models import Platform, PlatformRole

_seq = itertools.count(1)
PASSWORD = "test-password-123"


MEMBER_SINCE = dt.date(2022, 4, 1)  # before any frozen test date (tests/conftest.py)


def make_platform(**kw: Any) -> Platform:
    n = next(_seq)
    kw.setdefault("slug", f"pf{n}")
    kw.setdefault("name", f"テスト市孤独・孤立対策PF {n}")
    kw.setdefault("municipality", "テスト市")
    kw.setdefault("secretariat", "テスト市 福祉課")
    kw.setdefault("secretariat_phone", "000-000-0000")
    return Platform.objects.create(**kw)


def make_category(platform: Platform, **kw: Any) -> WorryCategory:
    kw.setdefault("name", f"カテゴリ{next(_seq)}")
    return WorryCategory.objects.create(platform=platform, **kw)


def make_org(
    platform: Platform | None = None, membership: dict[str, Any] | None = None, **kw: Any
) -> Organisation:
    n = next(_seq)
    kw.setdefault("name", f"テスト団体{n}")
    kw.setdefault("name_kana", f"テストダンタイ{n}")
    kw.setdefault("legal_form", "NPO法人")
    kw.setdefault("public_listing", True)
    kw["sort_key"] = jp.kana_sort_key(kw["name_kana"])
    org = Organisation.objects.create(**kw)
    search_text_refresh(ids=[org.pk])  # as the services do after every write
    if platform is not None:
        m = {"status": MembershipStatus.MEMBER} | (membership or {})
        if m["status"] in (MembershipStatus.MEMBER, MembershipStatus.WITHDRAWN):
            m.setdefault("joined_on", MEMBER_SINCE)  # a member needs a joining date (orgs.pipeline)
        leave_reason = m.pop("leave_reason", "")
        member = Membership.objects.create(platform=platform, organisation=org, **m)
        set_single_period(member, leave_reason=leave_reason)
    return org


def make_user(username: str | None = None, **kw: Any):
    user_model = get_user_model()
    user = user_model.objects.create_user(username=username or f"user{next(_seq)}", password=PASSWORD, **kw)
    return user


def make_role(
    user,
    platform: Platform,
    role: str,
    organisation: Organisation | None = None,
    grants: list[str] | None = None,
) -> PlatformRole:
    return PlatformRole.objects.create(
        user=user, platform=platform, role=role, organisation=organisation, grants=grants or []
    )


def login_verified(client: Any, user: Any) -> Any:
    """Sign `client` in as `user` with a verified second factor, as after the 2FA step.

    The cheap way for tests (no TOTP arithmetic): the user's authenticator is created confirmed
    once, and the session is marked verified with it, exactly as django-otp's login() does.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def save_membership(membership: Membership) -> None:
    """Save a membership whose 参加日/退会日 a test set by hand, with the one period they make."""
    membership.save()
    set_single_period(membership)


def make_council(platform: Platform, **kw: Any) -> Any:
    """The platform's duty-bound body (a separate 地域協議会 by default), made once. Its working
    groups stay open after an acceptance unless `groups_end_on_decision=True` is passed (the
    shared personas' case_a keeps its working group through the ledger's stories)."""
    from councils.models import Council, CouncilKind, CouncilLaw

    council = Council.objects.filter(platform=platform).first()
    if council is not None:
        return council
    defaults: dict[str, Any] = {
        "name": f"{platform.municipality or platform.name}孤独・孤立対策地域協議会",
        "kind": CouncilKind.SEPARATE,
        "law": CouncilLaw.KODOKU,
        "announced_on": dt.date(2025, 4, 1),
        "secretariat": "健康福祉政策課",
        "duty_version": "2025-04 第1版",
        "duty_text": "協議会の事務に関して知り得た秘密を漏らしません。参加をやめた後も同じです。",
        "groups_end_on_decision": False,
    }
    return Council.objects.create(platform=platform, **(defaults | kw))


def seat(
    user: Any, platform: Platform, *, organisation: Organisation | None = None, expert: bool = False
) -> Any:
    """Record that `user` acknowledged the confidentiality duty of the platform's body: as one of
    `organisation`'s people (made a member body if need be; default: the user's own organisation,
    or a city department), or as an individual expert. What a working group needs of its members."""
    from councils.models import DutyAcknowledgement, MemberBody, SeatKind

    council = make_council(platform)
    body = None
    if not expert:
        role = PlatformRole.objects.get(user=user, platform=platform)
        organisation = organisation or role.organisation
        lookup = {"organisation": organisation} if organisation else {"department": "健康福祉政策課"}
        body = MemberBody.objects.filter(council=council, left_on__isnull=True, **lookup).first()
        if body is None:
            body = MemberBody.objects.create(council=council, joined_on=dt.date(2025, 4, 1), **lookup)
    return DutyAcknowledgement.objects.create(
        council=council,
        user=user,
        kind=SeatKind.EXPERT if expert else SeatKind.BODY,
        body=body,
        expertise="弁護士" if expert else "",
        acknowledged_on=dt.date(2025, 4, 1),
        text_version=council.duty_version,
        recorded_by=user,
    )
