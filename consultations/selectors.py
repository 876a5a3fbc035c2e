"""Reads of the consultation record. Every read starts from the platform and, for a coordinator,
their organisation (`organisation_id`), so another organisation's record is simply not found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from orgs.models import Membership, MembershipStatus, Organisation, WorryCategory
from platform_site.lib import japanese as jp
from platform_site.models import Platform

from .models import Arrival, Channel, Consultation


def visible(*, platform: Platform, organisation_id: int | None = None) -> QuerySet[Consultation]:
    qs = Consultation.objects.filter(platform=platform)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first day of the month and the first day of the next."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following


def consultation_list(
    *, platform: Platform, month: dt.date, organisation_id: int | None = None
) -> QuerySet[Consultation]:
    """One month's records, newest first: two queries whatever their number (rows, topics)."""
    first, following = month_bounds(month)
    return (
        visible(platform=platform, organisation_id=organisation_id)
        .filter(date__gte=first, date__lt=following)
        .select_related("organisation", "pointed_to_organisation")
        .prefetch_related("topics")
        .order_by("-date", "-id")
    )


def consultation_get(*, platform: Platform, pk: int, organisation_id: int | None = None) -> Consultation:
    """One record; 404 outside the platform or the coordinator's organisation."""
    found = (
        visible(platform=platform, organisation_id=organisation_id)
        .select_related("organisation", "pointed_to_organisation")
        .prefetch_related("topics")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def member_organisations(platform: Platform) -> QuerySet[Organisation]:
    """Who may take or be pointed to: the platform's current members, in 五十音 order."""
    ids = Membership.objects.filter(platform=platform, status=MembershipStatus.MEMBER).values(
        "organisation_id"
    )
    return Organisation.objects.filter(pk__in=ids).order_by("sort_key", "id")


def topics_of(platform: Platform) -> QuerySet[WorryCategory]:
    return WorryCategory.objects.filter(platform=platform).order_by("order", "id")


@dataclass(frozen=True)
class Counts:
    """Counts of one 年度 (or of one organisation's part of it): figures only."""

    fiscal_year: int
    total: int
    per_month: list[tuple[dt.date, int]]  # the twelve months of the 年度, April first
    per_channel: list[tuple[str, int]]  # every channel, in the order of the choices
    per_month_channel: dict[dt.date, dict[str, int]]  # month → channel code → count
    per_topic: list[tuple[str, int]]  # the platform's worry categories, in order, then 「分類なし」
    arrival: dict[str, int] = field(default_factory=dict)  # Arrival code → count
    pointed: dict[str, int] = field(default_factory=dict)  # "organisation", "city", "case" → count

    @property
    def self_share(self) -> int | None:
        """Per cent of people who came on their own (None: no record)."""
        if not self.total:
            return None
        return round(self.arrival.get(Arrival.SELF, 0) * 100 / self.total)


def months_of(fiscal_year: int) -> list[dt.date]:
    start, _end = jp.fiscal_year_bounds(fiscal_year)
    months, day = [], start.replace(day=1)
    for _i in range(12):
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def counts(*, platform: Platform, fiscal_year: int, organisation_id: int | None = None) -> Counts:
    """Per month, channel and topic, who came on their own, where people were pointed: four
    queries whatever the number of records (per day and channel, per topic, the rest, the
    platform's categories). No TruncMonth: the days are grouped into months here."""
    start, end = jp.fiscal_year_bounds(fiscal_year)
    qs = visible(platform=platform, organisation_id=organisation_id).filter(date__gte=start, date__lte=end)
    per_day = qs.order_by().values("date", "channel").annotate(n=Count("id"))
    months = months_of(fiscal_year)
    grid: dict[dt.date, dict[str, int]] = {m: {c: 0 for c in Channel.values} for m in months}
    for row in per_day:
        grid[row["date"].replace(day=1)][row["channel"]] += row["n"]
    through = Consultation.topics.through.objects.filter(consultation__in=qs.values("pk"))
    per_topic = dict(through.order_by().values_list("worrycategory_id").annotate(n=Count("id")))
    rest = qs.aggregate(
        # distinct: the join to the topics gives a row per topic of a record
        total=Count("id", distinct=True),
        came_alone=Count("id", distinct=True, filter=Q(arrival=Arrival.SELF)),
        referred=Count("id", distinct=True, filter=Q(arrival=Arrival.REFERRED)),
        to_org=Count("id", distinct=True, filter=Q(pointed_to_organisation__isnull=False)),
        to_city=Count("id", distinct=True, filter=~Q(pointed_to_city="")),
        to_case=Count("id", distinct=True, filter=Q(case__isnull=False)),
        no_topic=Count("id", distinct=True, filter=Q(topics__isnull=True)),
    )
    topics = [(c.name, per_topic.get(c.pk, 0)) for c in topics_of(platform)]
    if rest["no_topic"]:
        topics.append((_("分類なし"), rest["no_topic"]))
    return Counts(
        fiscal_year=fiscal_year,
        total=rest["total"],
        per_month=[(m, sum(grid[m].values())) for m in months],
        per_channel=[(str(label), sum(grid[m][code] for m in months)) for code, label in Channel.choices],
        per_month_channel=grid,
        per_topic=topics,
        arrival={Arrival.SELF: rest["came_alone"], Arrival.REFERRED: rest["referred"]},
        pointed={"organisation": rest["to_org"], "city": rest["to_city"], "case": rest["to_case"]},
    )


def month_count(*, platform: Platform, month: dt.date, organisation_id: int | None = None) -> int:
    first, following = month_bounds(month)
    return (
        visible(platform=platform, organisation_id=organisation_id)
        .filter(date__gte=first, date__lt=following)
        .count()
    )


def year_count(*, platform: Platform, fiscal_year: int, organisation_id: int | None = None) -> int:
    start, end = jp.fiscal_year_bounds(fiscal_year)
    return (
        visible(platform=platform, organisation_id=organisation_id)
        .filter(date__gte=start, date__lte=end)
        .count()
    )


def export_rows(
    *, platform: Platform, fiscal_year: int, organisation_id: int | None = None
) -> QuerySet[Consultation]:
    start, end = jp.fiscal_year_bounds(fiscal_year)
    return (
        visible(platform=platform, organisation_id=organisation_id)
        .filter(date__gte=start, date__lte=end)
        .select_related("organisation", "pointed_to_organisation")
        .prefetch_related("topics")
        .order_by("date", "id")
    )
