"""Reads of events. Every tenant-scoped read goes through here, with its joins and prefetches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from consultations.selectors import Counts as ConsultationCounts
from consultations.selectors import counts as consultation_counts
from platform_site.models import Platform

from .models import Event, EventChange, EventSession, EventType


def event_types_for(platform: Platform) -> QuerySet[EventType]:
    """The built-in types and the platform's own, built-in first."""
    return EventType.objects.filter(Q(platform__isnull=True) | Q(platform=platform)).order_by(
        "platform_id", "order", "id"
    )


def _visible(platform: Platform, organisation_id: int | None) -> QuerySet[Event]:
    """The platform's events; for a coordinator (`organisation_id`) only those their organisation
    organises or takes part in."""
    qs = Event.objects.filter(platform=platform)
    if organisation_id is not None:
        qs = qs.filter(Q(organiser_id=organisation_id) | Q(participants__id=organisation_id)).distinct()
    return qs


def fiscal_years(*, platform: Platform, organisation_id: int | None = None) -> list[int]:
    years = _visible(platform, organisation_id).order_by().values_list("fiscal_year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def event_list(
    *, platform: Platform, fiscal_year: int, organisation_id: int | None = None
) -> QuerySet[Event]:
    return (
        _visible(platform, organisation_id)
        .filter(fiscal_year=fiscal_year)
        .select_related("event_type", "contractor", "organiser")
        .annotate(session_count=Count("sessions", distinct=True))
        .order_by("order", "date_start", "id")
    )


def event_get(*, platform: Platform, pk: int, organisation_id: int | None = None) -> Event:
    """One event with everything its page shows; 404 outside the platform or the coordinator's scope."""
    event = (
        _visible(platform, organisation_id)
        .select_related("event_type", "contractor", "organiser")
        .prefetch_related(
            Prefetch("sessions", queryset=EventSession.objects.order_by("date", "id")),
            "kpis",
            "media",
            "distributions",
            "participants",
        )
        .annotate(cases_started=Count("case_sources", distinct=True))
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404
    return event


def event_history(*, event: Event) -> QuerySet[EventChange]:
    return EventChange.objects.filter(event=event).select_related("actor").order_by("-at", "-id")


@dataclass(frozen=True)
class ReportRow:
    event: Event
    budget: int | None  # what the 発注先（予算） column prints
    approx: bool


@dataclass(frozen=True)
class FiscalYearReport:
    platform: Platform
    fiscal_year: int
    rows: list[ReportRow]
    total: int
    any_approx: bool
    consultations: ConsultationCounts  # 問い合わせ件数, the KPI of the record of consultations


def fiscal_year_report(*, platform: Platform, fiscal_year: int) -> FiscalYearReport:
    """The 試行的事業一覧: the trial projects of one 年度, in order, with the budget total, and the
    year's 問い合わせ件数 from the record of consultations.

    Seven queries whatever the number of projects and records (events with type and contractor,
    KPIs, sessions; the consultations' four)."""
    events = list(
        Event.objects.filter(platform=platform, fiscal_year=fiscal_year, is_trial=True)
        .select_related("event_type", "contractor")
        .prefetch_related("kpis", Prefetch("sessions", queryset=EventSession.objects.order_by("date", "id")))
        .order_by("order", "date_start", "id")
    )
    rows = [ReportRow(event=e, budget=e.budget_yen, approx=e.budget_approx) for e in events]
    total = sum(r.budget or 0 for r in rows)
    return FiscalYearReport(
        platform=platform,
        fiscal_year=fiscal_year,
        rows=rows,
        total=total,
        any_approx=any(r.approx for r in rows if r.budget),
        consultations=consultation_counts(platform=platform, fiscal_year=fiscal_year),
    )


def budget_total(*, platform: Platform, fiscal_year: int) -> int:
    return (
        Event.objects.filter(platform=platform, fiscal_year=fiscal_year, is_trial=True).aggregate(
            total=Sum("budget_yen")
        )["total"]
        or 0
    )


def event_counts(*, platform: Platform, organisation_id: int | None = None) -> dict[str, Any]:
    qs = _visible(platform, organisation_id)
    years = fiscal_years(platform=platform, organisation_id=organisation_id)
    latest = years[0] if years else None
    return {
        "latest_year": latest,
        "latest_count": qs.filter(fiscal_year=latest).count() if latest is not None else 0,
    }


def dashboard_figures(*, platform: Platform, fiscal_year: int) -> dict[str, Any]:
    """Events and reach per type, budget planned and spent, for one 年度: three queries, whatever
    the number of events (reach counts sessions when an event has them, else its own counts)."""
    events = (
        Event.objects.filter(platform=platform, fiscal_year=fiscal_year)
        .order_by()
        .values("event_type__name", "event_type__order", "event_type_id", "unit")
        .annotate(
            n=Count("id", distinct=True),
            in_person=Sum("attendees_in_person", filter=Q(sessions__isnull=True)),
            online=Sum("attendees_online", filter=Q(sessions__isnull=True)),
        )
    )
    sessions = (
        EventSession.objects.filter(event__platform=platform, event__fiscal_year=fiscal_year)
        .order_by()
        .values("event__event_type_id", "event__unit")
        .annotate(attendees=Sum("attendees"))
    )
    budget = Event.objects.filter(platform=platform, fiscal_year=fiscal_year, is_trial=True).aggregate(
        planned=Sum("budget_yen"),
        spent=Sum("spent_yen"),
        approx=Count("id", filter=Q(budget_approx=True, budget_yen__isnull=False)),
        trial=Count("id"),
    )
    from_sessions = {(r["event__event_type_id"], r["event__unit"]): r["attendees"] or 0 for r in sessions}
    types: dict[int, dict[str, Any]] = {}
    for row in sorted(events, key=lambda r: (r["event_type__order"], r["event_type_id"])):
        entry = types.setdefault(
            row["event_type_id"], {"name": row["event_type__name"], "events": 0, "reach": {}}
        )
        entry["events"] += row["n"]
        reach = (row["in_person"] or 0) + (row["online"] or 0)
        reach += from_sessions.get((row["event_type_id"], row["unit"]), 0)
        if reach:
            entry["reach"][row["unit"]] = entry["reach"].get(row["unit"], 0) + reach
    return {
        "types": list(types.values()),
        "planned": budget["planned"] or 0,
        "spent": budget["spent"] or 0,
        "approx": bool(budget["approx"]),
        "trial_count": budget["trial"],
    }


def public_events(*, platform: Platform) -> QuerySet[Event]:
    """Events the platform marked public, newest first (what the public page prints; no
    contractor, budget or organiser's internal notes are read)."""
    return (
        Event.objects.filter(platform=platform, is_public=True)
        .select_related("event_type")
        .only(
            "name",
            "event_type__name",
            "fiscal_year",
            "date_start",
            "date_end",
            "period_note",
            "venue",
            "format",
            "description",
            "target_audience",
        )
        .order_by("-fiscal_year", "-date_start", "-id")
    )
