"""Who may see which case, and which of its items (issue item 6). The only place that decides it.

- The secretariat (CASES_VIEW_ALL) sees every case of its platform, every item.
- A working-group member (作業部会) sees that case read-only, while bound by the platform's body's
  confidentiality duty (a current councils.models.DutyAcknowledgement), and only the items a
  valid consent shares with the organisation they belong to (basis: consent) — every item only
  when the secretariat recorded why (CASES_WG_CONSENT_OVERRIDE; basis: the body's work under the
  duty; the reason is on the member's row, logged and shown).
- A coordinator sees a case only while it has a referral to their organisation, and only the
  items a valid consent covering that organisation names.
- Everyone else gets 404: the case's existence is not disclosed.

Beside cases: a member's request to the city (IntakeRequest) is seen by the secretariat and by
the organisation that sent it, nobody else; a supporter's report (SupporterReport) by the person
the platform named to receive them (CASES_SUPPORTER_INTAKE), nobody else — not even its sender,
who sees only their own list of what was received.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.utils import timezone

from platform_site.http import PlatformRequest
from platform_site.models import Role
from platform_site.permissions import platform_view, require

from .capabilities import CASES_SUPPORTER_INTAKE, CASES_VIEW_ALL
from .models import (
    Case,
    CaseWorkingGroupMember,
    Consent,
    ConsentCorrection,
    ConsentItem,
    DisclosureBasis,
    IntakeRequest,
    Referral,
    ReferralStatus,
    SupporterReport,
)

ALL_ITEMS: frozenset[str] = frozenset(ConsentItem.values)


@dataclasses.dataclass(frozen=True)
class CaseAccess:
    """What the current user may see of one case."""

    level: str  # "secretariat" | "working_group" (everything, by override) | "working_group_consented" | "coordinator"
    items: frozenset[str]
    organisation_id: int | None = None  # the coordinator's organisation
    open_referral: bool = False  # the coordinator's organisation has a referral still sent or accepted
    basis: str = ""  # a working-group member's legal basis (models.DisclosureBasis): consent or duty

    @property
    def full(self) -> bool:
        return self.level in ("secretariat", "working_group")

    @property
    def sees_notes(self) -> bool:
        """The city's free-text note to the organisation: only while there is something to act on."""
        return self.full or self.open_referral

    def sees(self, item: str) -> bool:
        return item in self.items


ACTIVE_REFERRAL = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


def coordinator_items(
    *, case: Case, organisation_id: int, today: dt.date, active: bool = True
) -> frozenset[str]:
    """Items covered by the consents of the case that name the organisation and are still valid.

    Only while the organisation's referral is open (sent or accepted): once it declined or support
    ended, it keeps its own records of the case but no longer sees the person's data (need to know).
    """
    if not active:
        return frozenset()
    items: set[str] = set()
    for consent in case.consents.all():
        if consent.is_valid_on(today) and any(o.pk == organisation_id for o in consent.organisations.all()):
            items.update(consent.items or ())
    return frozenset(items) & ALL_ITEMS


def access_for(request: PlatformRequest, case: Case) -> CaseAccess | None:
    """None when the user may not know the case exists. `case.consents` should be prefetched."""
    if CASES_VIEW_ALL in request.capabilities:
        return CaseAccess(level="secretariat", items=ALL_ITEMS)
    user = request.user
    role = request.role
    own_org = role.organisation_id if role.role == Role.COORDINATOR else None
    # a member only while bound by the body's duty: a seat that ended ends the access at once
    member = (
        CaseWorkingGroupMember.objects.filter(
            case=case, user=user, removed_at__isnull=True, duty__isnull=False, duty__ended_at__isnull=True
        )
        .only("organisation_id", "override_reason", "legal_basis")
        .first()
    )
    statuses: set[str] = set()
    if own_org:
        statuses = set(
            Referral.objects.filter(case=case, organisation_id=own_org).values_list("status", flat=True)
        )
    active = bool(statuses & set(ACTIVE_REFERRAL))
    today = timezone.localdate()
    if member is not None:
        # A coordinator in the working group still answers their own organisation's referrals.
        if member.override_reason:
            return CaseAccess(
                level="working_group",
                items=ALL_ITEMS,
                organisation_id=own_org,
                open_referral=active,
                basis=DisclosureBasis.DUTY,
            )
        items: frozenset[str] = frozenset()
        for org_id in {member.organisation_id, own_org if active else None} - {None}:
            items |= coordinator_items(case=case, organisation_id=org_id, today=today)  # type: ignore[arg-type]
        return CaseAccess(
            level="working_group_consented",
            items=items,
            organisation_id=own_org,
            open_referral=active,
            basis=DisclosureBasis.CONSENT,
        )
    if own_org and statuses:
        items = coordinator_items(case=case, organisation_id=own_org, today=today, active=active)
        return CaseAccess(level="coordinator", items=items, organisation_id=own_org, open_referral=active)
    return None


def get_case_for_user(request: PlatformRequest, pk: int) -> tuple[Case, CaseAccess]:
    """The case of this platform the user may see, or 404 (another platform, or not theirs)."""
    case = (
        Case.objects.for_platform(request.platform)
        .select_related("referred_to", "working_group_closure__provider", "source_organisation")
        .prefetch_related(
            Prefetch("consents", queryset=Consent.objects.select_related("recorded_by")),
            "consents__organisations",
            Prefetch(
                "consents__corrections", queryset=ConsentCorrection.objects.select_related("corrected_by")
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    case.platform = request.platform  # the same row: save a query
    access = access_for(request, case)
    if access is None:
        raise Http404
    return case, access


def case_view(capability: str | None = None) -> Callable:
    """Decorator for /p/<platform>/cases/<pk>/… views.

    Order matters: platform role (404) → may the user know the case (404) → capability (403).
    So an unreferred coordinator gets 404 on every case URL, even ones needing rights they lack.
    The view receives (request, case, access, **kwargs).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @platform_view()
        @functools.wraps(view)
        def wrapped(request: PlatformRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
            case, access = get_case_for_user(request, pk)
            if capability is not None:
                require(request, capability)
            return view(request, case, access, *args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]  # a mark for the rights tests
        return wrapped

    return decorator


def get_request_for_user(request: PlatformRequest, request_id: int) -> IntakeRequest:
    """A member's request to the city: the secretariat's, or the sending organisation's; else 404."""
    qs = IntakeRequest.objects.filter(platform=request.platform, pk=request_id).select_related(
        "organisation", "sent_by", "answered_by", "case"
    )
    if CASES_VIEW_ALL not in request.capabilities:
        role = request.role
        if role.role != Role.COORDINATOR or role.organisation_id is None:
            raise Http404
        qs = qs.filter(organisation_id=role.organisation_id)
    found = qs.first()
    if found is None:
        raise Http404
    found.platform = request.platform
    return found


def get_report_for_user(request: PlatformRequest, report_id: int) -> SupporterReport:
    """A supporter's report: only for the person the platform named to receive them; else 404."""
    if CASES_SUPPORTER_INTAKE not in request.capabilities:
        raise Http404
    found = (
        SupporterReport.objects.filter(platform=request.platform, pk=report_id)
        .select_related("supporter", "handled_by", "case")
        .first()
    )
    if found is None:
        raise Http404
    found.platform = request.platform
    return found
