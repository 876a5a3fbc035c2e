"""Public reads: what the leaflet, the public directory and the open-data JSON may show.

One rule for all three: only organisations that are *members* of the platform and agreed to be
listed (public_listing). Rows are copied into `PublicEntry` objects that hold only printable
fields, so a template can never reach contact persons (担当者) or a hidden address (shelters):
those are simply not there. Tests check the rendered outputs for them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from platform_site.lib.compiledquery import CompiledValues
from platform_site.models import Platform

from .models import (
    ActivityField,
    Language,
    Membership,
    MembershipStatus,
    Organisation,
    Phone,
    WorryCategory,
    in_reader_language,
)
from .searchtext import organisation_search_q

GROUP_EACH = "each"  # an organisation appears under every category it has
GROUP_FIRST = "first"  # … or only under its first category (in the platform's order)
GROUP_REFER = "refer"  # … under every category: in full once, by name, phone and page elsewhere
GROUPINGS = (GROUP_REFER, GROUP_EACH, GROUP_FIRST)
PAGE_SIZE = 20  # a phone screen of results; more pages rather than a long scroll


_DASHES = str.maketrans({c: "-" for c in "ー‐‑‒–—―−ｰ"})


@dataclass(frozen=True)
class PublicPhone:
    number: str
    note: str

    @property
    def normalised(self) -> str:
        """The number in half width as the open data serves it (「０９６－１１１」 → 「096-111」)."""
        return unicodedata.normalize("NFKC", self.number).translate(_DASHES).strip()

    @property
    def tel(self) -> str:
        """The number for a tel: link: digits only (full-width ones too), a leading + kept."""
        plain = unicodedata.normalize("NFKC", self.number).strip()
        digits = "".join(c for c in plain if c.isdigit())
        return f"+{digits}" if plain.startswith("+") else digits


@dataclass(frozen=True)
class PublicEntry:
    """One organisation as residents may see it (leaflet, directory and JSON alike).

    `name` and `activity` are in the reader's language (the active translation) when the
    organisation wrote them in it, else in Japanese; `name_lang` / `activity_lang` say which, so
    templates mark Japanese text on English pages with lang="ja". `name_ja` / `activity_ja` are
    the registry's Japanese texts and `name_en` / `activity_en` its English ones, as entered.
    """

    pk: int
    name: str
    legal_form: str
    display_name: str
    name_lang: str
    name_ja: str
    name_en: str
    activity_lang: str
    activity_ja: str
    activity_en: str
    website: str
    email: str
    postal_code: str
    address: str  # "" when the organisation keeps its address private
    hours: str
    activity: str
    what_to_expect: str
    lgbtq: bool
    updated_at: dt.datetime
    phones: tuple[PublicPhone, ...]
    categories: tuple[tuple[int, str], ...]  # (id, name) in the platform's order
    fields: tuple[tuple[str, str], ...]  # (name, mark)
    languages: tuple[tuple[str, str], ...]  # (code, name)
    matched: int = 0  # how many of the resident's selected worries it matches

    @property
    def category_ids(self) -> list[int]:
        return [cid for cid, _name in self.categories]


@dataclass
class LeafletGroup:
    category: WorryCategory | None  # None: 「その他の相談先」 (no category yet)
    entries: list[PublicEntry] = field(default_factory=list)


def public_platform(*, slug: str) -> Platform:
    """The platform of a public URL; 404 when it does not exist or is not published."""
    return get_object_or_404(Platform, slug=slug, is_public=True)


def _directory_version_query(slug: str) -> QuerySet[Any, tuple[Any, ...]]:
    from .models import OrgChange
    from .selectors import UNPRINTED_ACTIONS

    members = Membership.objects.filter(platform=OuterRef("pk")).order_by()
    in_registry = Membership.objects.filter(platform=OuterRef(OuterRef("pk"))).values("organisation_id")
    history = (
        OrgChange.objects.filter(Q(platform=OuterRef("pk")) | Q(organisation_id__in=in_registry))
        .exclude(action__in=UNPRINTED_ACTIONS)
        .order_by("-at")
        .values("at")[:1]
    )
    return (
        Platform.objects.filter(slug=slug, is_public=True)
        .annotate(
            v_history=Subquery(history),
            v_count=Subquery(members.values("platform").annotate(n=Count("id")).values("n")),
            v_changed=Subquery(members.order_by("-updated_at").values("updated_at")[:1]),
            v_org_changed=Subquery(
                members.order_by("-organisation__updated_at").values("organisation__updated_at")[:1]
            ),
        )
        .values_list("pk", "version", "name", "v_history", "v_count", "v_changed", "v_org_changed")
        .order_by("pk")[:1]
    )


# asked on every public page: built and compiled once per process (platform_site/lib/compiledquery.py)
_DIRECTORY_VERSION = CompiledValues(Platform, _directory_version_query)


def directory_version(slug: str) -> tuple[str, float | None] | None:
    """What changes whenever the public directory of a platform changes (None: not published).

    One query: the platform's settings version and name, the registry's last printed change
    (the history every edit writes, as `selectors.registry_last_change` reads it for the
    leaflet's date), and the count and newest change of its memberships and of their
    organisations. The public page cache (platform_site/lib/pagecache.py) keys its pages and
    ETags on it.
    """
    row = _DIRECTORY_VERSION.first(slug)
    if row is None:
        return None
    times = [t for t in row[3:] if isinstance(t, dt.datetime)]
    return "|".join(str(v) for v in row), max(times).timestamp() if times else None


def listed_organisations(*, platform: Platform) -> QuerySet[Organisation]:
    """Members of the platform that agreed to be listed, with only this platform's tags."""
    return (
        Organisation.objects.filter(
            memberships__platform=platform, memberships__status=MembershipStatus.MEMBER, public_listing=True
        )
        .only(
            "id",
            "name",
            "legal_form",
            "website",
            "email",
            "postal_code",
            "address",
            "address_private",
            "hours",
            "activity",
            "name_en",
            "activity_en",
            "what_to_expect",
            "lgbtq_support",
            "sort_key",
            "updated_at",
        )
        .prefetch_related(
            Prefetch(
                "phones", queryset=Phone.objects.only("id", "organisation_id", "number", "note", "order")
            ),
            Prefetch(
                "worry_categories",
                queryset=WorryCategory.objects.filter(platform=platform).only(
                    "id", "name", "name_en", "order"
                ),
            ),
            Prefetch(
                "activity_fields",
                queryset=ActivityField.objects.filter(platform=platform).only(
                    "id", "name", "name_en", "mark", "order"
                ),
            ),
            Prefetch("languages", queryset=Language.objects.only("id", "code", "name", "name_en", "order")),
        )
        .order_by("sort_key", "id")
    )


def public_entry_of(org: Organisation) -> PublicEntry:
    name, name_lang = in_reader_language(org.name, org.name_en)
    activity, activity_lang = in_reader_language(org.activity, org.activity_en)
    return PublicEntry(
        pk=org.pk,
        name=name,
        legal_form=org.legal_form,
        display_name=f"{org.legal_form} {name}" if org.legal_form else name,
        name_lang=name_lang,
        name_ja=org.name,
        name_en=org.name_en,
        activity_lang=activity_lang,
        activity_ja=org.activity,
        activity_en=org.activity_en,
        website=org.website,
        email=org.email,
        postal_code="" if org.address_private else org.postal_code,
        address="" if org.address_private else org.address,
        hours=org.hours,
        activity=activity,
        # Written in Japanese only: English pages show the plain default line instead.
        what_to_expect=org.what_to_expect if not (get_language() or "ja").startswith("en") else "",
        lgbtq=org.lgbtq_support,
        updated_at=org.updated_at,
        phones=tuple(PublicPhone(p.number, p.note) for p in org.phones.all()),
        categories=tuple(
            (c.pk, c.local_name) for c in sorted(org.worry_categories.all(), key=lambda c: (c.order, c.pk))
        ),
        fields=tuple(
            (f.local_name, f.mark or f.name[:1])
            for f in sorted(org.activity_fields.all(), key=lambda f: (f.order, f.pk))
        ),
        languages=tuple(
            (lang.code, lang.local_name)
            for lang in sorted(org.languages.all(), key=lambda x: (x.order, x.code))
        ),
        matched=getattr(org, "matched", 0) or 0,
    )


def public_entries(*, platform: Platform) -> list[PublicEntry]:
    """Every listed organisation, in 五十音 order (5 queries whatever the count)."""
    return [public_entry_of(org) for org in listed_organisations(platform=platform)]


def public_entry(*, platform: Platform, pk: int) -> PublicEntry:
    """One listed organisation; 404 for unlisted ones and for another platform's."""
    org = listed_organisations(platform=platform).filter(pk=pk).first()
    if org is None:
        raise Http404
    return public_entry_of(org)


def worry_categories(*, platform: Platform) -> list[WorryCategory]:
    return list(WorryCategory.objects.filter(platform=platform).order_by("order", "id"))


def activity_fields(*, platform: Platform) -> list[ActivityField]:
    return list(ActivityField.objects.filter(platform=platform).order_by("order", "id"))


def offered_languages(*, platform: Platform) -> list[Language]:
    """Languages that at least one listed organisation offers (the directory's choices)."""
    listed = listed_organisations(platform=platform).values("pk")
    return list(Language.objects.filter(organisations__in=listed).distinct().order_by("order", "code"))


def leaflet_groups(
    *,
    entries: Sequence[PublicEntry],
    categories: Iterable[WorryCategory],
    grouping: str = GROUP_EACH,
    only_category: int | None = None,
) -> list[LeafletGroup]:
    """Entries grouped by worry in the platform's order, kana order inside each group.

    With GROUP_FIRST an organisation is printed once, under its first category. Organisations
    without any category go to a last group so that no listed member is left off the leaflet.
    """
    groups = {c.pk: LeafletGroup(category=c) for c in categories if only_category in (None, c.pk)}
    rest = LeafletGroup(category=None)
    for entry in entries:  # already in kana order
        ids = [cid for cid in entry.category_ids if cid in groups]
        if not entry.categories and only_category is None:
            rest.entries.append(entry)
        for cid in ids[:1] if grouping == GROUP_FIRST else ids:
            groups[cid].entries.append(entry)
    result = [g for g in groups.values() if g.entries]
    return result + [rest] if rest.entries else result


@dataclass(frozen=True)
class DirectoryQuery:
    worries: tuple[int, ...] = ()
    language: str = ""
    lgbtq: bool = False
    word: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.worries or self.language or self.lgbtq or self.word)


def directory_search(
    *,
    platform: Platform,
    query: DirectoryQuery,
    page: int | str = 1,
    page_size: int | None = None,
) -> tuple[Page, list[PublicEntry]]:
    """Matching organisations, best first: most selected worries matched, then kana order.

    Filtering, counting and ordering happen in the database and one page is loaded, so the
    number of queries stays the same for 30 or 3,000 organisations.
    """
    qs = listed_organisations(platform=platform)
    if query.worries:
        qs = (
            qs.annotate(
                matched=Count("worry_categories", filter=Q(worry_categories__in=query.worries), distinct=True)
            )
            .filter(matched__gt=0)
            .order_by("-matched", "sort_key", "id")
        )
    if query.language:
        qs = qs.filter(languages__code=query.language)
    if query.lgbtq:
        qs = qs.filter(lgbtq_support=True)
    if (words := organisation_search_q(platform=platform, text=query.word)) is not None:
        qs = qs.filter(words)  # every word in a printed text or a category's (orgs.searchtext)
    page_obj = Paginator(qs, page_size or PAGE_SIZE).get_page(page)
    return page_obj, [public_entry_of(org) for org in page_obj.object_list]


@dataclass(frozen=True)
class PublicContact:
    """The secretariat as the public pages print it: the leaflet's contact line and a number to call."""

    text: str
    phone: PublicPhone | None


def public_contact(*, platform: Platform) -> PublicContact:
    phone = PublicPhone(platform.secretariat_phone, "") if platform.secretariat_phone else None
    return PublicContact(text=platform.leaflet_contact or platform.secretariat, phone=phone)


def default_what_to_expect(*, platform: Platform) -> str:
    """The plain-language line shown when an organisation has not written its own."""
    return _(
        "電話に出た人に「相談先一覧を見た」と言ってください。"
        "名前は言わなくても大丈夫です。話を聞いて、いっしょに考えます。"
    )
