"""The yearly entry check's reads: who was asked this 年度, who answered, who has not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from platform_site.lib import japanese as jp
from platform_site.models import Platform

from ..models import EntryCheck, Membership, MembershipStatus


@dataclass(frozen=True)
class CheckRow:
    organisation: Any
    verified_on: dt.date | None
    check: EntryCheck | None

    @property
    def state(self) -> str:
        if self.check is None:
            return "not_sent"
        if not self.check.answered_at:
            return "waiting"
        return self.check.answer


def check_rows(*, platform: Platform, fiscal_year: int) -> list[CheckRow]:
    """Every member organisation with this 年度's check (two queries whatever the number)."""
    members = list(
        Membership.objects.filter(platform=platform, status=MembershipStatus.MEMBER)
        .select_related("organisation")
        .order_by("organisation__sort_key", "organisation_id")
    )
    checks = {
        c.organisation_id: c for c in EntryCheck.objects.filter(platform=platform, fiscal_year=fiscal_year)
    }
    return [
        CheckRow(
            organisation=m.organisation,
            verified_on=m.organisation.verified_on,
            check=checks.get(m.organisation_id),
        )
        for m in members
    ]


def stale_entries_q(*, platform: Platform, today: dt.date) -> Q:
    """Member entries nobody confirmed within the platform's period (or never)."""
    limit = today - dt.timedelta(days=platform.entry_check_days)
    return Q(organisation__verified_on__isnull=True) | Q(organisation__verified_on__lt=limit)


def stale_entry_count(*, platform: Platform, today: dt.date, organisation_id: int | None = None) -> int:
    members = Membership.objects.filter(platform=platform, status=MembershipStatus.MEMBER)
    if organisation_id:
        members = members.filter(organisation_id=organisation_id)
    return members.filter(stale_entries_q(platform=platform, today=today)).count()


def unanswered_count(*, platform: Platform, today: dt.date | None = None) -> int:
    day = today or timezone.localdate()
    return EntryCheck.objects.filter(
        platform=platform, fiscal_year=jp.fiscal_year(day), answered_at__isnull=True
    ).count()
