"""Reads of the duty-bound body: scoped to one platform, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from orgs.models import Organisation
from platform_site.models import Platform, PlatformRole

from .models import Council, DutyAcknowledgement, Meeting, MemberBody


def council_for(*, platform: Platform) -> Council | None:
    return Council.objects.filter(platform=platform).first()


def bodies(*, council: Council) -> list[MemberBody]:
    return list(council.bodies.select_related("organisation"))


def current_bodies(*, council: Council) -> QuerySet[MemberBody]:
    return council.bodies.filter(left_on__isnull=True).select_related("organisation")


def meetings(*, council: Council) -> list[Meeting]:
    return list(council.meetings.select_related("recorded_by"))


def meeting_get(*, council: Council, pk: int) -> Meeting | None:
    return council.meetings.select_related("recorded_by").filter(pk=pk).first()


def seats(*, council: Council) -> list[DutyAcknowledgement]:
    return list(
        council.seats.select_related("user", "body__organisation", "recorded_by", "ended_by").order_by(
            "-ended_on", "user__username", "-id"
        )
    )


def seat_get(*, council: Council, pk: int) -> DutyAcknowledgement | None:
    return council.seats.select_related("user", "council__platform").filter(pk=pk).first()


def current_seat(*, platform: Platform, user: Any) -> DutyAcknowledgement | None:
    """The user's acknowledgement of the platform's body's duty, if it is current: the condition
    to join (and stay in) a case's working group."""
    if not getattr(user, "pk", None):
        return None
    return (
        DutyAcknowledgement.objects.filter(council__platform=platform, user=user, ended_at__isnull=True)
        .select_related("body__organisation")
        .first()
    )


def seatable_users(*, platform: Platform) -> QuerySet:
    """Users with a role in the platform (the ones a seat may be recorded for)."""
    ids = PlatformRole.objects.filter(platform=platform).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("username")


def registry_organisations(*, platform: Platform) -> QuerySet[Organisation]:
    """Organisations of the platform's registry, members of the PF or not (candidates, partners
    contacted...): any of them may be a member body of the council."""
    return Organisation.objects.filter(memberships__platform=platform).distinct().order_by("sort_key", "id")
