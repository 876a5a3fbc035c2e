"""Reads of registry data. Every tenant-scoped read goes through here, with its joins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    Count,
    Exists,
    F,
    Field,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platform_site.lib import japanese as jp
from platform_site.models import Platform, PlatformRole
from platform_site.selectors import membership_target_for, membership_targets

from . import events as ev
from .models import (
    ActivityField,
    Language,
    Membership,
    MembershipPeriod,
    MembershipStatus,
    Organisation,
    OrgChange,
    RolePeriod,
    WorryCategory,
)
from .searchtext import organisation_search_q

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class MembershipColumns(TypedDict):
    """The membership columns organisation_list annotates on each organisation."""

    m_id: int
    m_status: str
    m_is_core: bool
    m_joined_on: dt.date | None


def coordinator_organisations(platform: Platform) -> QuerySet[Organisation]:
    """The organisations a coordinator of the platform may act for: those with a membership there."""
    return Organisation.objects.filter(memberships__platform=platform).order_by("sort_key")


def _covering(day: dt.date, prefix: str = "") -> Q:
    """The periods that make their membership a member on ``day`` (joined by then, not yet left)."""
    return Q(**{f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


def _role_covering(day: dt.date) -> Q:
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def members_on(*, platform: Platform, day: dt.date) -> QuerySet[Membership]:
    """The platform's memberships that were members on ``day``, from their periods (one query
    when evaluated; usable as a subquery)."""
    member_then = MembershipPeriod.objects.filter(_covering(day), membership=OuterRef("pk"))
    return Membership.objects.filter(Exists(member_then), platform=platform)


def members_at_fiscal_year_end(*, platform: Platform, fiscal_year: int) -> QuerySet[Membership]:
    """Members on 31 March of the 年度: who counts for that year's figure."""
    return members_on(platform=platform, day=jp.fiscal_year_bounds(fiscal_year)[1])


def joined_in(*, platform: Platform, fiscal_year: int) -> QuerySet[Membership]:
    """Memberships with a period that started in the 年度 (a re-join counts in its own year)."""
    first, last = jp.fiscal_year_bounds(fiscal_year)
    return Membership.objects.filter(
        Exists(MembershipPeriod.objects.filter(membership=OuterRef("pk"), joined_on__range=(first, last))),
        platform=platform,
    )


def left_in(*, platform: Platform, fiscal_year: int) -> QuerySet[Membership]:
    first, last = jp.fiscal_year_bounds(fiscal_year)
    return Membership.objects.filter(
        Exists(MembershipPeriod.objects.filter(membership=OuterRef("pk"), left_on__range=(first, last))),
        platform=platform,
    )


def membership_counts(*, platform: Platform, today: dt.date) -> dict[str, int]:
    """Members and core members on ``today`` (from the periods), and the open recruitment."""
    core_then = RolePeriod.objects.filter(_role_covering(today), membership=OuterRef("pk"), is_core=True)
    member_then = MembershipPeriod.objects.filter(_covering(today), membership=OuterRef("pk"))
    any_period = MembershipPeriod.objects.filter(membership=OuterRef("pk"))
    return Membership.objects.filter(platform=platform).aggregate(
        members=Count("id", filter=Q(Exists(member_then))),
        core=Count("id", filter=Q(Exists(member_then), Exists(core_then))),
        candidates=Count("id", filter=Q(status__in=[MembershipStatus.CANDIDATE, MembershipStatus.CONTACTED])),
        undated=Count("id", filter=Q(~Exists(any_period), status=MembershipStatus.MEMBER)),
    )


def platform_dashboard(*, platform: Platform, role: PlatformRole, today: dt.date) -> dict[str, Any]:
    """The home panel: members today, and the target of the current 年度 (when one is set)."""
    year = jp.fiscal_year(today)
    return {
        "platform": platform,
        "role": role,
        "counts": membership_counts(platform=platform, today=today),
        "target": membership_target_for(platform=platform, fiscal_year=year),
        "target_label": jp.fiscal_year_label(year),
    }


# History rows that change nothing the leaflet or the directory prints.
# the working-together facts are not printed (their public part bumps the entry: orgs.members.services)
UNPRINTED_ACTIONS = (ev.CONTACTS_UPDATED, ev.ORG_VERIFIED, ev.WORKING_UPDATED)


def registry_last_change(platform: Platform) -> dt.datetime | None:
    """When the platform's registry last changed: the newest history row made in this
    platform, or about an organisation in its registry (an entry is shared: the prefecture's
    edit of a city member's phone changes the city's leaflet too). Contact persons and
    "checked" marks are never printed, so their rows do not count. One query."""
    in_registry = Membership.objects.filter(platform=platform).values("organisation_id")
    return (
        OrgChange.objects.filter(Q(platform=platform) | Q(organisation_id__in=in_registry))
        .exclude(action__in=UNPRINTED_ACTIONS)
        .aggregate(last=Max("at"))["last"]
    )


def worry_categories_of(platform: Platform) -> QuerySet[WorryCategory]:
    # Explicit order: the model's default ("platform", …) would join the platform table to sort.
    return WorryCategory.objects.filter(platform=platform).order_by("order", "id")


def activity_fields_of(platform: Platform) -> QuerySet[ActivityField]:
    return ActivityField.objects.filter(platform=platform).order_by("order", "id")


def languages_all() -> QuerySet[Language]:
    return Language.objects.all()


#: What the staff list shows of an organisation (its rows read nothing else: a page of 50 rows
#: then builds small objects instead of every field of the entry).
LIST_COLUMNS = ("id", "name", "legal_form", "name_kana", "sort_key", "lgbtq_support", "verified_on")


def organisation_list(
    *,
    platform: Platform,
    filters: dict[str, Any] | None = None,
    members_only: bool = False,
    own_organisation_id: int | None = None,
) -> QuerySet[WithAnnotations[Organisation, MembershipColumns]]:
    """The staff list: this platform's organisations in 五十音 order of their reading.

    ``members_only`` (roles that do not manage the pipeline, i.e. coordinators) keeps current
    members and the role's own organisation: candidates, organisations approached and those that
    left are the secretariat's recruitment work, not yet (or no longer) PF members.

    Rows are organisations joined to their membership here (one per organisation) so that
    ORDER BY sort_key, id is read from the organisation's index and LIMIT stops early; the
    membership columns come along as annotations over the same join (membership_rows turns them
    back into Membership objects). Prefetches run only when the queryset is evaluated, so a
    paginated slice prefetches only its page; categories are limited to this platform's.
    """
    filters = filters or {}
    qs = Organisation.objects.filter(memberships__platform=platform).annotate(
        m_id=F("memberships__id"),
        m_status=F("memberships__status"),
        m_is_core=F("memberships__is_core"),
        m_joined_on=F("memberships__joined_on"),
    )
    if text := (filters.get("q") or "").strip():
        # the directory's normalised matching (orgs.searchtext), or the import code as typed
        words = organisation_search_q(platform=platform, text=text)
        qs = qs.filter((words if words is not None else Q(pk__in=[])) | Q(ref__iexact=text))
    if filters.get("worry_category"):
        qs = qs.filter(worry_categories=filters["worry_category"])
    if filters.get("activity_field"):
        qs = qs.filter(activity_fields=filters["activity_field"])
    if filters.get("language"):
        qs = qs.filter(languages=filters["language"])
    if filters.get("lgbtq"):
        qs = qs.filter(lgbtq_support=True)
    # Filter on the annotations, not memberships__…: a second filter() on a multi-valued
    # relation would add a second join and could match another platform's membership.
    if filters.get("status"):
        qs = qs.filter(m_status=filters["status"])
    if filters.get("core"):
        qs = qs.filter(m_is_core=True)
    if members_only:
        qs = qs.filter(Q(m_status=MembershipStatus.MEMBER) | Q(pk=own_organisation_id))
    return (
        qs.only(*LIST_COLUMNS)
        .prefetch_related(  # to lists: no related manager per row while rendering
            Prefetch(
                "worry_categories",
                queryset=worry_categories_of(platform).only("id", "name"),
                to_attr="categories_here",
            ),
            Prefetch("languages", queryset=languages_all().only("id", "name"), to_attr="language_list"),
        )
        .order_by("sort_key", "id")
    )


def membership_rows(
    *, organisations: Iterable[WithAnnotations[Organisation, MembershipColumns]], platform: Platform
) -> list[Membership]:
    """organisation_list rows as Membership objects (with .organisation), for the templates."""
    return [
        Membership(
            pk=o.m_id,
            platform=platform,
            organisation=o,
            status=o.m_status,
            is_core=o.m_is_core,
            joined_on=o.m_joined_on,
        )
        for o in organisations
    ]


def membership_get(
    *,
    platform: Platform,
    organisation_id: int,
    members_only: bool = False,
    own_organisation_id: int | None = None,
) -> Membership:
    """The organisation's membership in this platform; 404 when it has none (another tenant),
    and with ``members_only`` when it is not a current member (see organisation_list) and not
    the role's own organisation."""
    qs = Membership.objects.select_related(
        "organisation", "organisation__verified_by", "organisation__working_profile"
    )
    membership = qs.filter(platform=platform, organisation_id=organisation_id).first()
    if membership is None:
        raise Http404
    if (
        members_only
        and membership.status != MembershipStatus.MEMBER
        and organisation_id != own_organisation_id
    ):
        raise Http404
    return membership


def membership_detail(
    *,
    platform: Platform,
    organisation_id: int,
    members_only: bool = False,
    own_organisation_id: int | None = None,
) -> Membership:
    """membership_get plus everything the detail page shows, each in one query."""
    membership = membership_get(
        platform=platform,
        organisation_id=organisation_id,
        members_only=members_only,
        own_organisation_id=own_organisation_id,
    )
    org = membership.organisation
    # The entry is shared; whoever checked it may be another platform's staff, who stays unnamed here.
    org.verified_by_here = (
        org.verified_by_id is not None
        and PlatformRole.objects.filter(platform=platform, user_id=org.verified_by_id).exists()
    )
    prefetch_related_objects(
        [membership.organisation],
        "phones",
        "contacts",
        "languages",
        Prefetch("worry_categories", queryset=worry_categories_of(platform)),
        Prefetch("activity_fields", queryset=activity_fields_of(platform)),
    )
    prefetch_related_objects([membership], "periods", "role_periods")
    return membership


def recruitment_board(*, platform: Platform) -> QuerySet[Membership]:
    """Candidates and organisations already approached, oldest move first."""
    return (
        Membership.objects.filter(
            platform=platform, status__in=[MembershipStatus.CANDIDATE, MembershipStatus.CONTACTED]
        )
        .select_related("organisation")
        .order_by("status", "organisation__sort_key", "organisation_id")
    )


@dataclass(frozen=True)
class FiscalYearRow:
    year: int
    label: str
    joined: int
    left: int
    members_at_end: int
    target: int | None


def fiscal_year_figures(*, platform: Platform, years: Iterable[int]) -> dict[int, dict[str, int]]:
    """For each 年度: members at its end (31 March), and the organisations that joined and that
    left in it, counted from the periods in one aggregate query (however many organisations)."""
    years = list(years)
    aggregates: dict[str, Any] = {}
    for year in years:
        first, last = jp.fiscal_year_bounds(year)
        aggregates[f"end_{year}"] = Count("membership", distinct=True, filter=_covering(last))
        aggregates[f"joined_{year}"] = Count(
            "membership", distinct=True, filter=Q(joined_on__range=(first, last))
        )
        aggregates[f"left_{year}"] = Count(
            "membership", distinct=True, filter=Q(left_on__range=(first, last))
        )
    row = (
        MembershipPeriod.objects.filter(membership__platform=platform).aggregate(**aggregates)
        if years
        else {}
    )
    return {
        year: {
            "members_at_end": row[f"end_{year}"],
            "joined": row[f"joined_{year}"],
            "left": row[f"left_{year}"],
        }
        for year in years
    }


def membership_by_fiscal_year(*, platform: Platform, today: dt.date) -> list[FiscalYearRow]:
    """Members at the end of each fiscal year (31 March), and who joined or left in it.

    Years run from the founding year (or the first joining if earlier) to the current one. The
    periods decide, not the current status: an organisation that left in R5 and re-joined in R6
    counts at the end of R4 and R6, not R5, and re-joining changes no earlier year. Each year
    shows its own target (set on the settings screen). Three queries: the first joining, the
    targets, and the figures of every year (`fiscal_year_figures`).
    """
    first = MembershipPeriod.objects.filter(membership__platform=platform).aggregate(first=Min("joined_on"))[
        "first"
    ]
    starts = [jp.fiscal_year(d) for d in (first, platform.founded_on) if d]
    if not starts:
        return []
    current = jp.fiscal_year(today)
    years = range(min(*starts, current), current + 1)
    figures = fiscal_year_figures(platform=platform, years=years)
    targets = membership_targets(platform=platform)
    return [
        FiscalYearRow(year=year, label=jp.fiscal_year_label(year), target=targets.get(year), **figures[year])
        for year in years
    ]


STAFF_ONLY_KEYS = frozenset({"membership.note"})  # the secretariat's own memo on a membership


def org_history(*, organisation_id: int, platform: Platform, staff: bool = True) -> list[OrgChange]:
    """The organisation's change history as this platform may see it, newest first.

    Another platform's rows keep only what is shared by every platform (the entry itself,
    phones, contact count); its membership and its own categories stay hidden. Without
    ``staff`` (coordinators) the secretariat's memo on the membership is left out too.
    """
    rows = list(
        OrgChange.objects.filter(organisation_id=organisation_id)
        .select_related("actor")
        .order_by("-at", "-id")
    )
    visible = []
    for row in rows:
        if row.platform_id not in (None, platform.pk):
            row.changes = {
                k: v
                for k, v in row.changes.items()
                if not k.startswith("membership.") and k not in ("worry_categories", "activity_fields")
            }
            if not row.changes:
                continue
        if not staff and STAFF_ONLY_KEYS & row.changes.keys():
            row.changes = {k: v for k, v in row.changes.items() if k not in STAFF_ONLY_KEYS}
            if not row.changes:
                continue
        visible.append(row)
    return visible


_DATE_FIELDS = {"verified_on", "membership.joined_on", "membership.left_on"}
_EXTRA_LABELS: dict[str, Any] = {
    "phones": gettext_lazy("電話番号"),
    "contacts_count": gettext_lazy("担当者"),
    "membership.periods": gettext_lazy("参加状況: 参加期間"),
    "membership.role_periods": gettext_lazy("参加状況: PFでの役割の期間"),
}


def _field_label(key: str) -> str:
    if key in _EXTRA_LABELS:
        return str(_EXTRA_LABELS[key])
    model, name = (Membership, key.split(".", 1)[1]) if key.startswith("membership.") else (Organisation, key)
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return key
    if not isinstance(field, Field):  # a reverse relation has no label of its own
        return key
    label = str(field.verbose_name)
    return f"{_('参加状況')}: {label}" if model is Membership else label


def _value_text(key: str, value: Any) -> str:
    if value in (None, "", [], ()):
        return str(_("（空欄）"))
    if isinstance(value, bool):
        return str(_("はい") if value else _("いいえ"))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if key in _DATE_FIELDS:
        try:
            return jp.era_date_label(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if key.startswith("membership."):
        field = cast(Field, Membership._meta.get_field(key.split(".", 1)[1]))
        return str(dict(field.choices or ()).get(value, value))
    return str(value)


def change_sentences(row: OrgChange) -> list[str]:
    """An OrgChange as sentences: 「団体名」を「A」から「B」に変更しました。

    Contact persons are stored as a count only (personal data stays out of history).
    """
    sentences = []
    for key, (old, new) in row.changes.items():
        if key == "contacts_count":
            sentences.append(
                _("担当者の登録を変更しました（%(old)s人 → %(new)s人）。") % {"old": old or 0, "new": new}
            )
        elif row.action == "orgs.organisation.created":
            sentences.append(
                _("「%(field)s」: %(new)s") % {"field": _field_label(key), "new": _value_text(key, new)}
            )
        else:
            sentences.append(
                _("「%(field)s」を「%(old)s」から「%(new)s」に変更しました。")
                % {"field": _field_label(key), "old": _value_text(key, old), "new": _value_text(key, new)}
            )
    return sentences


def _who(row: OrgChange, platform: Platform) -> str:
    """Who made the change; a user of another platform stays unnamed here (tenant isolation:
    platform A's members need not learn the names of B's staff)."""
    if row.platform_id not in (None, platform.pk):
        return str(_("他のプラットフォームの利用者"))
    return (row.actor.get_full_name() or row.actor.username) if row.actor else row.actor_label


def org_history_entries(
    *, organisation_id: int, platform: Platform, staff: bool = True
) -> list[dict[str, Any]]:
    return [
        {
            "row": row,
            "action": row.label,
            "who": _who(row, platform),
            "sentences": change_sentences(row),
        }
        for row in org_history(organisation_id=organisation_id, platform=platform, staff=staff)
    ]


def members_per_year(*, platform: Platform, years: list[int]) -> dict[int, int]:
    """Member organisations at the end of each 年度 (from the periods): one query."""
    figures = fiscal_year_figures(platform=platform, years=years)
    return {year: figures[year]["members_at_end"] for year in years}
