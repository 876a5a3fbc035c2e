"""Reads of the audit trail: every audit table of one platform, merged in chain order.

All audit tables of a platform share one chain (platform_site.audit), so `chain_seq` orders
their entries as they were written. A page asks each table for its newest `size + 1` entries
below the cursor (one indexed query per table: `(platform, -chain_seq)`), merges them and keeps
the newest `size`: the cost of a page does not grow with the length of the trail.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from ..audit import audit_models
from ..models import Platform, PlatformRole

PAGE_SIZE = 100


@dataclasses.dataclass(frozen=True)
class TrailFilter:
    actor_id: int | None = None
    action: str = ""
    table: str = ""  # an audit table's label ("cases.caseevent")
    since: dt.date | None = None
    until: dt.date | None = None
    case_id: int | None = None
    organisation_id: int | None = None

    def as_log(self) -> dict[str, Any]:
        """The filters as the log keeps them: ids, codes and dates only."""
        out = dataclasses.asdict(self)
        for key in ("since", "until"):
            out[key] = out[key].isoformat() if out[key] else None
        return {k: v for k, v in out.items() if v not in (None, "")}


@dataclasses.dataclass
class TrailPage:
    rows: list[Any]
    next_before: int | None  # the chain place to continue below; None on the last page


def _has(model: Any, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _table_query(model: Any, platform: Platform, flt: TrailFilter) -> QuerySet | None:
    """The entries of one table that match, or None when a filter cannot apply to this table."""
    qs = model.objects.filter(platform=platform, chain_seq__isnull=False)
    if flt.table and model._meta.label_lower != flt.table:
        return None
    if flt.actor_id:
        qs = qs.filter(actor_id=flt.actor_id)
    if flt.action:
        qs = qs.filter(action=flt.action)
    tz = timezone.get_current_timezone()
    if flt.since:
        qs = qs.filter(at__gte=dt.datetime.combine(flt.since, dt.time.min, tzinfo=tz))
    if flt.until:
        qs = qs.filter(at__lt=dt.datetime.combine(flt.until + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    if flt.case_id:
        if not _has(model, "case"):
            return None
        qs = qs.filter(case_id=flt.case_id)
    if flt.organisation_id:
        # the entry is about the organisation, as its table says (AuditEntry.about_organisation)
        about = model.about_organisation(flt.organisation_id)
        if about is None:
            return None
        qs = qs.filter(about)
    return qs


def trail_page(
    *, platform: Platform, flt: TrailFilter, before: int | None = None, size: int = PAGE_SIZE
) -> TrailPage:
    streams = []
    for model in audit_models():
        qs = _table_query(model, platform, flt)
        if qs is None:
            continue
        if before is not None:
            qs = qs.filter(chain_seq__lt=before)
        related = ["actor", *(["target"] if _has(model, "target") else [])]
        streams.append(list(qs.select_related(*related).order_by("-chain_seq")[: size + 1]))
    merged = list(heapq.merge(*streams, key=lambda e: -e.chain_seq))
    rows = merged[:size]
    more = len(merged) > size
    return TrailPage(rows=rows, next_before=rows[-1].chain_seq if more and rows else None)


def trail_tables() -> list[tuple[str, str]]:
    return [(m._meta.label_lower, str(m._meta.verbose_name)) for m in audit_models()]


def trail_actors(*, platform: Platform) -> QuerySet:
    """Users an administrator may filter by: those with a role here now."""
    ids = PlatformRole.objects.filter(platform=platform).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("username")


def subject_label(entry: Any) -> str:
    """What the entry is about, from the fields its table has (ids and names of organisations,
    events and surveys; never a person's data)."""
    if getattr(entry, "case_id", None):
        return f"#{entry.case_id}"
    for name in ("organisation_name", "event_name", "survey_title"):
        if getattr(entry, name, ""):
            return str(getattr(entry, name))
    if getattr(entry, "target_id", None):
        return str(entry.target.get_full_name() or entry.target.username)
    return ""
