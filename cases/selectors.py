"""Every read of ledger data. Querysets start from Case.objects.for_platform(); joins live here.

The list pages use keyset pagination (platform_site.lib.keyset: no OFFSET, no COUNT(*)): the
number of queries and the time per page do not grow with the number of cases.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from councils.models import DutyAcknowledgement
from orgs.models import Organisation
from platform_site.lib import japanese as jp
from platform_site.lib.keyset import Page, keyset_page
from platform_site.models import Platform, PlatformRole

from . import events as ev
from .models import (
    Case,
    CaseEvent,
    CaseStatus,
    CaseWorkingGroupMember,
    Consent,
    Handoff,
    IntakeRequest,
    IntakeRequestStatus,
    Referral,
    ReferralStatus,
    Supporter,
    SupporterReport,
)

PAGE_SIZE = 50
STALE_REFERRAL_DAYS = 3  # the default of Platform.reminder_unanswered_days (the settings screen)


def stale_referrals_q(days: int = STALE_REFERRAL_DAYS) -> Q:
    """Referrals nobody answered within `days` days (the platform's setting)."""
    limit = timezone.now() - dt.timedelta(days=days)
    return Q(status=ReferralStatus.SENT, sent_at__lt=limit)


def expiring_consents(*, platform: Platform, today: dt.date) -> QuerySet[Consent]:
    """Consents of open cases that end within the platform's warning period (not revoked)."""
    until = today + dt.timedelta(days=platform.reminder_consent_days)
    return Consent.objects.filter(
        case__platform=platform,
        revoked_on__isnull=True,
        expires_on__gte=today,
        expires_on__lte=until,
    ).exclude(case__status=CaseStatus.CLOSED)


def overdue_cases_q(today: dt.date | None = None) -> Q:
    """Active cases with no handoff within the agreed interval (next_handoff_due is kept by services)."""
    return Q(status=CaseStatus.ACTIVE, next_handoff_due__lt=today or timezone.localdate())


def case_list(
    *, platform: Platform, status: str = "", stale: str = "", cursor: str | None = None, size: int = PAGE_SIZE
) -> Page:
    """The secretariat's ledger. One query (plus none per row: referred_to is joined)."""
    qs = (
        Case.objects.for_platform(platform)
        .select_related("referred_to")
        .only(
            "id",
            "intake_date",
            "age",
            "sex",
            "status",
            "support_type",
            "referred_to__name",
            "last_handoff_on",
            "next_handoff_due",
            "handoff_count",
            "updated_at",
            "is_fictional",
            "anonymised_at",
        )
    )
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    if stale == "overdue":
        qs = qs.filter(overdue_cases_q())
    elif stale == "reports":
        qs = qs.filter(pk__in=unread_reports(platform=platform).values("case_id"))
    elif stale == "expiring":
        qs = qs.filter(
            pk__in=expiring_consents(platform=platform, today=timezone.localdate()).values("case_id")
        )
    elif stale == "unanswered":
        qs = qs.filter(
            pk__in=Referral.objects.filter(
                stale_referrals_q(platform.reminder_unanswered_days), platform=platform
            ).values("case_id")
        )
    return keyset_page(qs, order=["-updated_at"], cursor=cursor, size=size)


def inbox(
    *,
    platform: Platform,
    organisation_id: int,
    status: str = "",
    stale: str = "",
    cursor: str | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """A coordinator's referrals (no personal data on this page: dates, quantities, status).

    The case's state and next-handoff deadline are joined so an overdue handoff shows on the card.
    """
    qs = (
        Referral.objects.filter(organisation_id=organisation_id, platform=platform)
        .select_related("case", "consent")
        .only(
            *(f.name for f in Referral._meta.concrete_fields),
            "case__status",
            "case__next_handoff_due",
            "consent__revoked_on",
        )
    )
    if status in ReferralStatus.values:
        qs = qs.filter(status=status)
    if stale == "unanswered":
        qs = qs.filter(stale_referrals_q(platform.reminder_unanswered_days))
    elif stale == "overdue":
        qs = qs.filter(
            status=ReferralStatus.ACCEPTED,
            case__status=CaseStatus.ACTIVE,
            case__next_handoff_due__lt=timezone.localdate(),
        )
    return keyset_page(qs, order=["-sent_at"], cursor=cursor, size=size)


def working_group_cases(*, platform: Platform, user: Any) -> list[Case]:
    return list(
        Case.objects.for_platform(platform)
        .filter(
            working_group__user=user,
            working_group__removed_at__isnull=True,
            working_group__duty__ended_at__isnull=True,
        )
        .order_by("-updated_at")[:100]
    )


def is_working_group_member(*, platform: Platform, user: Any) -> bool:
    return CaseWorkingGroupMember.objects.filter(
        case__platform=platform, user=user, removed_at__isnull=True
    ).exists()


def unread_reports(*, platform: Platform) -> QuerySet[Handoff]:
    """Handoffs the organisations flagged 「自治体へ報告」 that nobody of the secretariat has read yet."""
    return Handoff.objects.filter(case__platform=platform, report_to_city=True, report_read_at__isnull=True)


def ledger_counts(*, platform: Platform, organisation_id: int | None = None) -> dict[str, int]:
    """Counts for the home panel: the inbox and the stale work. Uses the stale/due indexes."""
    referrals = Referral.objects.filter(platform=platform)
    if organisation_id:
        referrals = referrals.filter(organisation_id=organisation_id)
    counts = referrals.aggregate(
        waiting=Count("id", filter=Q(status=ReferralStatus.SENT)),
        stale=Count("id", filter=stale_referrals_q(platform.reminder_unanswered_days)),
    )
    cases = Case.objects.for_platform(platform)
    if organisation_id:
        cases = cases.filter(
            referrals__organisation_id=organisation_id, referrals__status=ReferralStatus.ACCEPTED
        )
    counts["overdue"] = cases.filter(overdue_cases_q()).count()
    if not organisation_id:
        counts["reports"] = unread_reports(platform=platform).count()
    return counts


def case_detail(*, case: Case, organisation_id: int | None = None, scoped: bool = False) -> dict[str, Any]:
    """Everything on the detail page, in a fixed number of queries whatever the number of handoffs.

    `scoped` limits referrals and handoffs to one organisation (a coordinator's view, or a
    working-group member's within the consent); with no organisation, to none.
    """
    referrals = case.referrals.select_related(
        "organisation", "from_organisation", "sent_by", "responded_by", "consent"
    ).order_by("sent_at", "id")
    handoffs = case.handoffs.select_related("organisation", "recorded_by", "report_read_by").order_by(
        "date", "id"
    )
    scoped = scoped or organisation_id is not None
    if scoped:
        # no organisation (a working-group member outside the registry): no referral is theirs
        referrals, handoffs = (
            (
                referrals.filter(organisation_id=organisation_id),
                handoffs.filter(organisation_id=organisation_id),
            )
            if organisation_id is not None
            else (referrals.none(), handoffs.none())
        )
    timeline = (
        case.events.exclude(action__in=[ev.CASE_VIEWED, ev.AUDIT_VIEWED])
        .select_related("actor")
        .order_by("at", "id")
    )
    return {
        "referrals": list(referrals),
        "handoffs": list(handoffs),
        "timeline": [] if scoped else list(timeline),
        "members": [] if scoped else working_group_members(case=case),
    }


SEARCH_LIMIT = 50
_NOT_IN_NAMES = str.maketrans("", "", " \u3000・･-‐－ー")


def _name_key(text: str) -> str:
    return jp.to_katakana(text).translate(_NOT_IN_NAMES).casefold()


def _digits(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text or "") if c.isdigit())


def search_cases(*, platform: Platform, query: str) -> tuple[list[Case], int]:
    """Cases of the platform whose person's name or phone matches `query` (the first 50 and the
    count), newest first. Names match whatever the kana, width and spaces; a phone by its digits
    (at least 4). Anonymised cases hold no name and are not searched. The comparison runs over the
    platform's names in Python: a city ledger's size (thousands) is read in milliseconds, and no
    normalised copy of a name is stored next to the original."""
    name, digits = _name_key(query), _digits(query)
    rows = (
        Case.objects.for_platform(platform)
        .filter(anonymised_at__isnull=True)
        .order_by("-intake_date", "-id")
        .values_list("pk", "person_name", "contact")
    )
    found = [
        pk
        for pk, person, contact in rows
        if (name and name in _name_key(person)) or (len(digits) >= 4 and digits in _digits(contact))
    ]
    cases = {c.pk: c for c in Case.objects.filter(pk__in=found[:SEARCH_LIMIT]).select_related("referred_to")}
    return [cases[pk] for pk in found[:SEARCH_LIMIT]], len(found)


def last_handoff(*, referral: Referral) -> Handoff | None:
    """The referral's latest handoff (the phone form's 「前回と同じ内容で記録」)."""
    return referral.handoffs.order_by("-date", "-id").first()


def working_group_members(*, case: Case) -> list[CaseWorkingGroupMember]:
    return list(
        case.working_group.select_related("user", "organisation", "added_by", "removed_by").order_by(
            "added_at", "id"
        )
    )


def referral_for_organisation(*, case: Case, pk: int, organisation_id: int | None) -> Referral | None:
    if organisation_id is None:  # not a coordinator: no referral is theirs
        return None
    return (
        case.referrals.select_related("organisation").filter(pk=pk, organisation_id=organisation_id).first()
    )


def consented_organisations(*, case: Case, today: dt.date) -> list[Organisation]:
    """Organisations a valid consent of the case lets the city refer to (uses the prefetched consents)."""
    seen: dict[int, Organisation] = {}
    for consent in case.consents.all():
        if consent.ack_share and consent.is_valid_on(today):
            seen.update((o.pk, o) for o in consent.organisations.all())
    return sorted(seen.values(), key=lambda o: (o.sort_key, o.pk))


def platform_organisations(*, platform: Platform) -> QuerySet[Organisation]:
    """Organisations that are members of the platform (referral and consent targets)."""
    return Organisation.objects.filter(memberships__platform=platform, memberships__status="member").order_by(
        "sort_key", "id"
    )


def users_for_working_group(*, platform: Platform) -> QuerySet:
    """Users of the platform bound now by its body's confidentiality duty (the only ones a
    working group may seat: cases.services.working_group_add checks it again)."""
    user_ids = PlatformRole.objects.filter(platform=platform).values("user_id")
    seated = DutyAcknowledgement.objects.filter(council__platform=platform, ended_at__isnull=True).values(
        "user_id"
    )
    return get_user_model().objects.filter(pk__in=user_ids).filter(pk__in=seated).order_by("username")


def audit_users(*, platform: Platform) -> list[PlatformRole]:
    """The platform's users with their role and organisation: the way into each one's access log."""
    return list(
        PlatformRole.objects.filter(platform=platform)
        .select_related("user", "organisation")
        .order_by("user__username")
    )


def audit_subject(*, platform: Platform, user_id: int) -> Any:
    """A user whose log an administrator may read here: one with a role in the platform now, or
    one who left a trace in it (a role removed later does not hide what they did)."""
    in_platform = Q(pk__in=PlatformRole.objects.filter(platform=platform).values("user_id")) | Q(
        pk__in=CaseEvent.objects.filter(platform=platform, actor_id=user_id).values("actor_id")[:1]
    )
    return get_user_model().objects.filter(in_platform, pk=user_id).first()


AUDIT_PAGE_SIZE = 200


def events_for_case(*, case: Case, cursor: str | None = None) -> Page:
    """Newest first, in keyset pages: every entry stays reachable however often the case was opened."""
    qs = case.events.select_related("actor")
    return keyset_page(qs, order=["-at"], cursor=cursor, size=AUDIT_PAGE_SIZE)


def events_for_user(*, platform: Platform, user_id: int, cursor: str | None = None) -> Page:
    qs = CaseEvent.objects.filter(platform=platform, actor_id=user_id).select_related("actor")
    return keyset_page(qs, order=["-at"], cursor=cursor, size=AUDIT_PAGE_SIZE)


def ledger_rows(*, platform: Platform, organisation_id: int | None = None) -> QuerySet[Case]:
    """Cases for the 引き継ぎ簿 export, oldest first, with handoffs prefetched (2–3 queries in all)."""
    qs = Case.objects.for_platform(platform).prefetch_related("consents__organisations")
    if organisation_id:
        own = Referral.objects.filter(organisation_id=organisation_id, platform=platform)
        qs = qs.filter(pk__in=own.values("case_id")).annotate(
            org_active=Exists(
                own.filter(case=OuterRef("pk"), status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED])
            ),
        )
        handoffs = Handoff.objects.filter(organisation_id=organisation_id).order_by("date", "id")
    else:
        handoffs = Handoff.objects.order_by("date", "id")
    return qs.prefetch_related(Prefetch("handoffs", queryset=handoffs)).order_by("intake_date", "id")


def figures(*, platform: Platform, fiscal_year: int | None = None) -> dict[str, Any]:
    """Figures without names for the yearly report: referrals, handoffs and households reached,
    per month and per organisation, for one fiscal year (April–March). Survives anonymisation.
    """
    fy = fiscal_year if fiscal_year is not None else jp.fiscal_year(timezone.localdate())
    start, end = jp.fiscal_year_bounds(fy)
    referrals = (
        Referral.objects.filter(platform=platform, sent_at__date__gte=start, sent_at__date__lte=end)
        .annotate(month=TruncMonth("sent_at"))
        .values("month", "organisation_id")
        .annotate(n=Count("id"))
    )
    handoffs = (
        Handoff.objects.filter(case__platform=platform, date__gte=start, date__lte=end)
        .annotate(month=TruncMonth("date"))
        .values("month", "organisation_id")
        .annotate(n=Count("id"), households=Count("case_id", distinct=True))
    )
    reached = Handoff.objects.filter(case__platform=platform, date__gte=start, date__lte=end)
    months = [
        dt.date(start.year + (start.month + i - 1) // 12, (start.month + i - 1) % 12 + 1, 1)
        for i in range(12)
    ]
    table: dict[tuple[dt.date, int], dict[str, int]] = defaultdict(
        lambda: {"referrals": 0, "handoffs": 0, "households": 0}
    )
    for row in referrals:
        table[(_month(row["month"]), row["organisation_id"])]["referrals"] += row["n"]
    for row in handoffs:
        cell = table[(_month(row["month"]), row["organisation_id"])]
        cell["handoffs"] += row["n"]
        cell["households"] += row["households"]
    org_ids = sorted({k[1] for k in table})
    orgs = Organisation.objects.in_bulk(org_ids)
    per_month: list[dict[str, Any]] = [
        {"month": m, **_sum(v for (mm, _o), v in table.items() if mm == m)} for m in months
    ]
    # Households in a month: distinct cases, not the sum over organisations (a household helped by
    # two organisations in one month is one household).
    month_households = {
        _month(row["month"]): row["n"]
        for row in reached.annotate(month=TruncMonth("date"))
        .order_by()
        .values("month")
        .annotate(n=Count("case_id", distinct=True))
    }
    for entry in per_month:
        entry["households"] = month_households.get(entry["month"], 0)
    per_org: list[dict[str, Any]] = [
        {"organisation": orgs[o], **_sum(v for (_m, oo), v in table.items() if oo == o)} for o in org_ids
    ]
    totals = _sum(table.values())
    # Households reached in the year: distinct cases, not the sum of monthly figures.
    totals["households"] = reached.values("case_id").distinct().count()
    per_org_households = dict(
        reached.order_by()
        .values("organisation_id")
        .annotate(n=Count("case_id", distinct=True))
        .values_list("organisation_id", "n"),
    )
    for entry in per_org:
        entry["households"] = per_org_households.get(entry["organisation"].pk, 0)
    return {
        "fiscal_year": fy,
        "fiscal_year_label": jp.fiscal_year_label(fy),
        "per_month": per_month,
        "per_org": per_org,
        "totals": totals,
        "flow": flow_figures(platform=platform, start=start, end=end),
    }


def _month(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def _sum(cells: Any) -> dict[str, int]:
    out = {"referrals": 0, "handoffs": 0, "households": 0}
    for cell in cells:
        for key in out:
            out[key] += cell[key]
    return out


def monthly_flow(*, platform: Platform, fiscal_year: int) -> list[dict[str, Any]]:
    """Referrals sent and handoffs recorded per month of one 年度 (counts only): two queries.

    No TruncMonth (on SQLite a Python function called for every row: 1.5 s at 100,000 rows).
    Referrals: one UNION ALL of twelve range counts (month bounds in Asia/Tokyo), each read from
    referral_stale_idx (every status listed, so the index's range applies). Handoffs: counts per
    day (a local date already) from handoff_date_case_idx, summed per month here.
    """
    start, end = jp.fiscal_year_bounds(fiscal_year)
    months = [
        dt.date(start.year + (start.month + i - 1) // 12, (start.month + i - 1) % 12 + 1, 1)
        for i in range(13)
    ]
    tz = timezone.get_current_timezone()
    moments = [dt.datetime.combine(m, dt.time.min, tzinfo=tz) for m in months]
    per_month = [
        Referral.objects.filter(
            platform=platform,
            status__in=ReferralStatus.values,
            sent_at__gte=moments[i],
            sent_at__lt=moments[i + 1],
        )
        .order_by()
        .annotate(k=Value(i, output_field=IntegerField()))
        .values("k")
        .annotate(n=Count("id"))
        for i in range(12)
    ]
    sent = {row["k"]: row["n"] for row in per_month[0].union(*per_month[1:], all=True)}
    given: dict[dt.date, int] = defaultdict(int)
    for row in (
        Handoff.objects.filter(case__platform=platform, date__gte=start, date__lte=end)
        .order_by()
        .values("date")
        .annotate(n=Count("id"))
    ):
        given[row["date"].replace(day=1)] += row["n"]
    return [
        {"month": months[i], "referrals": sent.get(i, 0), "handoffs": given.get(months[i], 0)}
        for i in range(12)
    ]


# --- the two-way flow and supporters' reports ------------------------------------------------------


def intake_requests(
    *, platform: Platform, organisation_id: int | None = None, status: str = "", cursor: str | None = None
) -> Page:
    """The secretariat's intake of members' requests (or one organisation's sent requests).

    The list shows no personal data: date, organisation, urgency, consent or not, status.
    """
    qs = (
        IntakeRequest.objects.filter(platform=platform)
        .select_related("organisation")
        .only(
            "id",
            "sent_at",
            "urgency",
            "status",
            "consent_given_on",
            "answered_at",
            "case_id",
            "organisation__name",
        )
    )
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if status in IntakeRequestStatus.values:
        qs = qs.filter(status=status)
    return keyset_page(qs, order=["-sent_at"], cursor=cursor, size=PAGE_SIZE)


def waiting_requests(*, platform: Platform) -> int:
    return IntakeRequest.objects.filter(platform=platform, status=IntakeRequestStatus.SENT).count()


def hand_on_targets(*, case: Case, own_organisation_id: int, today: dt.date) -> QuerySet[Organisation]:
    """Members a valid consent of the case covers, other than the handing organisation (the
    hand-on form's choices; services.referral_hand_on checks the same again)."""
    ids = [o.pk for o in consented_organisations(case=case, today=today) if o.pk != own_organisation_id]
    return Organisation.objects.filter(pk__in=ids).order_by("sort_key", "id")


def handed_on_by(*, case: Case, organisation_id: int) -> list[Referral]:
    """The hand-ons an organisation made from this case (to whom, when, answered or not)."""
    return list(
        case.referrals.filter(from_organisation_id=organisation_id)
        .select_related("organisation")
        .order_by("sent_at", "id")
    )


def supporters(*, platform: Platform) -> list[Supporter]:
    return list(
        Supporter.objects.filter(platform=platform).select_related("user").order_by("renewal_due_on", "id")
    )


def supporter_users(*, platform: Platform) -> QuerySet:
    """Users holding the supporter role in the platform (the register's choices)."""
    from platform_site.models import Role

    ids = PlatformRole.objects.filter(platform=platform, role=Role.SUPPORTER).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("username")


def supporter_reports(*, platform: Platform, cursor: str | None = None) -> Page:
    """The intake's list: date, area, status (the report's text only on its own, logged, page)."""
    qs = SupporterReport.objects.filter(platform=platform).only("id", "sent_at", "area", "status", "case_id")
    return keyset_page(qs, order=["-sent_at"], cursor=cursor, size=PAGE_SIZE)


def my_supporter_reports(*, platform: Platform, user: Any) -> list[SupporterReport]:
    """A supporter's own reports: when sent and whether received or handled. Nothing else."""
    return list(
        SupporterReport.objects.filter(platform=platform, supporter=user)
        .only("id", "sent_at", "status", "handled_at")
        .order_by("-sent_at", "-id")[:100]
    )


def flow_figures(*, platform: Platform, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Both directions of the two-way flow in one 年度 (宇和島 reports them both), counts only:
    the city's referrals to members, members' requests to the city (and how many became cases),
    and members' hand-ons to one another; and supporters' reports per area and month."""
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    referrals = Referral.objects.filter(platform=platform, sent_at__gte=since, sent_at__lt=until).aggregate(
        city_to_member=Count("id", filter=Q(from_organisation__isnull=True)),
        member_to_member=Count("id", filter=Q(from_organisation__isnull=False)),
    )
    requests = IntakeRequest.objects.filter(
        platform=platform, sent_at__gte=since, sent_at__lt=until
    ).aggregate(
        member_to_city=Count("id"),
        became_cases=Count("id", filter=Q(status=IntakeRequestStatus.ACCEPTED)),
        without_consent=Count("id", filter=Q(consent_given_on__isnull=True)),
    )
    months = [
        dt.date(start.year + (start.month + i - 1) // 12, (start.month + i - 1) % 12 + 1, 1)
        for i in range(12)
    ]
    per_area: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for area, sent_at in SupporterReport.objects.filter(
        platform=platform, sent_at__gte=since, sent_at__lt=until
    ).values_list("area", "sent_at"):
        month = _month(sent_at)
        per_area[area][months.index(month)] += 1
    report_rows = [
        {"area": area, "months": counts, "total": sum(counts)} for area, counts in sorted(per_area.items())
    ]
    return {
        **referrals,
        **requests,
        "report_months": months,
        "reports_per_area": report_rows,
        "reports_total": sum(r["total"] for r in report_rows),
    }
