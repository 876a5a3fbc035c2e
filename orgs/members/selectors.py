"""Reads of the members' side. The working-together facts are read only here and only for the
platform's signed-in members (ORGS_VIEW); the public directory reads a profile's fields only
through `public_working_facts`, which gives the ones the organisation marked public."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from platform_site.lib.search import normalise, query_words
from platform_site.models import Platform, PlatformRole, Role

from ..models import (
    ApplicationStatus,
    ListingApplication,
    MembershipStatus,
    Notice,
    NoticeOptOut,
    Organisation,
    WorkingProfile,
)
from ..searchtext import organisation_search_q

HOME_NOTICES = 5  # notices on the home panel
HOME_NOTICE_DAYS = 120  # how far back the home panel looks
WHOLE_AREA = normalise("全域")  # 「市内全域」 covers every district asked for


def this_month(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()).replace(day=1)


def working_profile_of(organisation: Organisation) -> WorkingProfile | None:
    return WorkingProfile.objects.filter(organisation=organisation).first()


def working_profile_of_id(organisation_id: int) -> WorkingProfile | None:
    return WorkingProfile.objects.filter(organisation_id=organisation_id).first()


def members_directory(
    *, platform: Platform, filters: dict[str, Any], month: dt.date
) -> QuerySet[Organisation]:
    """The platform's current members matching the working-together filters, in 五十音 order:
    ``group`` (a ServedGroup), ``area`` (words of the area asked for; 「全域」 counts for any),
    ``q`` (words in the facts or the entry), ``this_month`` (places stated for this month),
    ``referrals`` / ``joint`` (accepts them)."""
    qs = Organisation.objects.filter(
        memberships__platform=platform, memberships__status=MembershipStatus.MEMBER
    ).select_related("working_profile")
    if group := filters.get("group"):
        qs = qs.filter(working_profile__served_key__contains=f"|{group}|")
    for word in query_words(filters.get("area") or ""):
        qs = qs.filter(
            Q(working_profile__area_key__contains=word) | Q(working_profile__area_key__contains=WHOLE_AREA)
        )
    if text := (filters.get("q") or "").strip():
        entry = organisation_search_q(platform=platform, text=text)
        facts = Q()
        for word in query_words(text):
            facts &= Q(working_profile__search_text__contains=word)
        qs = qs.filter(facts | entry if entry is not None else facts)
    if filters.get("this_month"):
        qs = qs.filter(working_profile__available_month=month, working_profile__available_places__gt=0)
    if filters.get("referrals"):
        qs = qs.filter(working_profile__accepts_referrals=True)
    if filters.get("joint"):
        qs = qs.filter(working_profile__accepts_joint_cases=True)
    return qs.order_by("sort_key", "id")


def public_working_facts(profile: WorkingProfile | None) -> list[tuple[str, str]]:
    """(label, text) of the facts the organisation marked public; nothing else of the profile."""
    if profile is None:
        return []
    values = {
        "served_groups": "、".join(profile.served_group_labels),
        "served_conditions": profile.served_conditions,
        "served_area": profile.served_area,
        "support_length": profile.support_length,
        "availability_hours": profile.availability_hours,
        "strengths": profile.strengths,
    }
    return [
        (str(label), values[name])
        for name, label in WorkingProfile.PUBLIC_CHOICES
        if name in profile.public_fields and values[name]
    ]


# --- applications ---


def applications_open(*, platform: Platform) -> QuerySet[ListingApplication]:
    """Applications waiting for a decision, oldest first: group names and dates only."""
    return (
        ListingApplication.objects.filter(
            platform=platform, status__in=[ApplicationStatus.PENDING, ApplicationStatus.MORE_INFO]
        )
        .only("id", "platform_id", "name", "wish", "status", "received_at")
        .order_by("received_at", "id")
    )


def applications_decided(*, platform: Platform, limit: int = 50) -> QuerySet[ListingApplication]:
    return (
        ListingApplication.objects.filter(
            platform=platform, status__in=[ApplicationStatus.APPROVED, ApplicationStatus.DECLINED]
        )
        .only("id", "platform_id", "name", "wish", "status", "received_at", "decided_on", "organisation_id")
        .order_by("-decided_on", "-id")[:limit]
    )


def application_get(*, platform: Platform, pk: int) -> ListingApplication:
    """One application of this platform (404 for another platform's or an unknown one)."""
    application = (
        ListingApplication.objects.select_related("platform", "decided_by")
        .filter(platform=platform, pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


# --- notices ---


def notice_audience_ids(notice: Notice) -> list[int]:
    """The member organisations a notice is for: every current member, or those tagged with one
    of its worry categories or activity fields."""
    qs = Organisation.objects.filter(
        memberships__platform_id=notice.platform_id, memberships__status=MembershipStatus.MEMBER
    )
    if not notice.to_all:
        qs = qs.filter(
            Q(worry_categories__in=notice.worry_categories.all())
            | Q(activity_fields__in=notice.activity_fields.all())
        )
    return sorted(set(qs.values_list("pk", flat=True)))


def notice_recipients(notice: Notice) -> list[str]:
    """The addresses of the active coordinators of the notice's audience who did not opt out."""
    opted_out = NoticeOptOut.objects.filter(platform_id=notice.platform_id).values("user_id")
    return sorted(
        set(
            PlatformRole.objects.filter(
                platform_id=notice.platform_id,
                role=Role.COORDINATOR,
                organisation_id__in=notice.audience,
                user__is_active=True,
            )
            .exclude(user_id__in=opted_out)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _recent_notices(platform: Platform, now: dt.datetime) -> QuerySet[Notice]:
    return Notice.objects.filter(
        platform=platform, posted_at__gte=now - dt.timedelta(days=HOME_NOTICE_DAYS)
    ).order_by("-posted_at", "-id")


def notices_for(*, platform: Platform, role: PlatformRole, now: dt.datetime | None = None) -> list[Notice]:
    """The recent notices this person's home screen shows: staff see every notice; a coordinator
    those whose audience holds their organisation (to all members: also one that joined later)."""
    rows = list(_recent_notices(platform, now or timezone.now())[:50])
    if role.role != Role.COORDINATOR:
        return rows[:HOME_NOTICES]
    mine = [n for n in rows if n.to_all or role.organisation_id in n.audience]
    return mine[:HOME_NOTICES]


def notice_list(*, platform: Platform) -> QuerySet[Notice]:
    """Every notice of the platform with its audience, newest first (the secretariat's record)."""
    return (
        Notice.objects.filter(platform=platform)
        .select_related("posted_by")
        .prefetch_related("worry_categories", "activity_fields")
        .order_by("-posted_at", "-id")
    )


def notice_get(*, platform: Platform, pk: int, role: PlatformRole) -> Notice:
    """One notice; 404 for another platform's, or one not meant for this coordinator."""
    notice = Notice.objects.filter(platform=platform, pk=pk).first()
    if notice is None:
        raise Http404
    if role.role == Role.COORDINATOR and not (notice.to_all or role.organisation_id in notice.audience):
        raise Http404
    return notice


def emails_wanted(*, platform: Platform, user: Any) -> bool:
    return not NoticeOptOut.objects.filter(platform=platform, user=user).exists()
