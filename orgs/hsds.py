"""The public directory as open data shaped after Open Referral HSDS 3.0.

HSDS keeps organisation, service, location, phone, schedule, language and taxonomy apart; we
publish one service per organisation (what it does for residents of this platform), its
worry categories and activity fields as taxonomy terms, the opening hours as the schedule's
free-text description (the registry keeps hours as written, e.g. 「平日 9:00～17:00」), and
a location only when the address is public. HSDS `contacts` are named people: never
published (担当者 stay inside the platform). Ids are stable UUIDv5s, so re-publishing the same
registry gives the same ids and a consumer can diff two downloads.

HSDS types its fields as strings, arrays and objects, not nullable ones: a value we do not
have is left out rather than sent as null, and required strings we cannot know for sure (an
address's city when it is not the platform's municipality) are sent empty, never guessed.
The LGBTQ+ mark is a term of its own small taxonomy, so consumers filter on it like a worry.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation

from platform_site.models import Platform
from platform_site.selectors import public_site_url

from .selectors_public import PublicEntry, activity_fields, public_entries, worry_categories

HSDS_VERSION = "3.0"
_NAMESPACE = uuid.UUID("6f1d8a52-5a3e-4c1b-9a63-2b7f0c1d9e41")  # Tsunagu's namespace for HSDS ids
_PREFECTURE = re.compile(
    r"^(北海道|東京都|京都府|大阪府|(?:青森|岩手|宮城|秋田|山形|福島|茨城|栃木|群馬|埼玉|千葉|神奈川|新潟|富山|石川"
    r"|福井|山梨|長野|岐阜|静岡|愛知|三重|滋賀|兵庫|奈良|和歌山|鳥取|島根|岡山|広島|山口|徳島|香川|愛媛|高知|福岡"
    r"|佐賀|長崎|熊本|大分|宮崎|鹿児島|沖縄)県)"
)


def hsds_id(kind: str, *parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, ":".join([kind, *map(str, parts)])))


def taxonomies_and_terms(platform: Platform) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    worry_tax = {
        "id": hsds_id("taxonomy", platform.pk, "worry"),
        "name": "tsunagu-worry",
        "description": "悩みのカテゴリ（相談先一覧の見出し）",
        "uri": None,
        "version": None,
    }
    field_tax = {
        "id": hsds_id("taxonomy", platform.pk, "field"),
        "name": "tsunagu-activity-field",
        "description": "活動分野",
        "uri": None,
        "version": None,
    }
    terms: dict[str, dict[str, Any]] = {}
    for c in worry_categories(platform=platform):
        terms[f"worry:{c.pk}"] = {
            "id": hsds_id("term", platform.pk, "worry", c.pk),
            "code": f"worry-{c.pk}",
            "name": c.name,
            "description": c.description,
            "parent_id": None,
            "taxonomy": worry_tax["name"],
            "taxonomy_id": worry_tax["id"],
            "language": "ja",
        }
    for f in activity_fields(platform=platform):
        terms[f"field:{f.name}"] = {
            "id": hsds_id("term", platform.pk, "field", f.pk),
            "code": f"field-{f.pk}",
            "name": f.name,
            "description": "",
            "parent_id": None,
            "taxonomy": field_tax["name"],
            "taxonomy_id": field_tax["id"],
            "language": "ja",
        }
    support_tax = {
        "id": hsds_id("taxonomy", platform.pk, "support"),
        "name": "tsunagu-support",
        "description": "相談先一覧の記号（対応できること）",
        "uri": None,
        "version": None,
    }
    terms["support:lgbtq"] = {
        "id": hsds_id("term", platform.pk, "support", "lgbtq"),
        "code": "lgbtq",
        "name": "LGBTQ+ に詳しい",
        "description": "性の多様性（LGBTQ+）に詳しい団体",
        "parent_id": None,
        "taxonomy": support_tax["name"],
        "taxonomy_id": support_tax["id"],
        "language": "ja",
    }
    return [worry_tax, field_tax, support_tax], terms


def _attributes(link_id: str, keys: list[str], terms: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": hsds_id("attribute", link_id, terms[k]["id"]),
            "link_id": link_id,
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": terms[k]["id"],
            "value": "lgbtq_expertise" if k == "support:lgbtq" else None,
            "taxonomy_term": terms[k],
        }
        for k in keys
        if k in terms
    ]


def _description(e: PublicEntry, platform: Platform) -> str:
    """organization.description is required: the activity as written, else what it is a place for."""
    if e.activity:
        return e.activity
    if e.categories:
        return "、".join(f"「{name}」" for _cid, name in e.categories) + "の相談先"
    return f"{platform.name}の参加団体"


def _address_parts(address: str, platform: Platform) -> tuple[str, str]:
    """(state_province, city) as written in the address; "" where the address does not say."""
    prefecture = m.group(1) if (m := _PREFECTURE.match(address)) else ""
    rest = address[len(prefecture) :]
    city = platform.municipality if platform.municipality and rest.startswith(platform.municipality) else ""
    return prefecture, city


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def _location(e: PublicEntry, platform: Platform) -> dict[str, Any] | None:
    """The organisation's place, only when its address is public (never a shelter's)."""
    if not e.address:
        return None
    lid = hsds_id("location", e.pk)
    prefecture, city = _address_parts(e.address, platform)
    return {
        "id": lid,
        "location_type": "physical",
        "name": e.name_ja,
        "organization_id": hsds_id("organization", e.pk),
        "addresses": [
            {
                "id": hsds_id("address", e.pk),
                "location_id": lid,
                "address_1": e.address,
                "postal_code": e.postal_code,
                "country": "JP",
                "address_type": "physical",
                "city": city,
                "state_province": prefecture,
            }
        ],
    }


def organization_core(e: PublicEntry, platform: Platform, url: str) -> dict[str, Any]:
    """The organization's one-to-one fields (the shape of compiled/organization_list.json)."""
    return {
        "id": hsds_id("organization", e.pk),
        "name": e.name_ja,
        "alternate_name": e.name_en or None,
        "legal_status": e.legal_form or None,
        "description": _description(e, platform),
        "email": e.email or None,
        "website": e.website or None,
        "uri": url,
    }


def service_core(e: PublicEntry, platform: Platform, url: str) -> dict[str, Any]:
    """The service's one-to-one fields and its organization (compiled/service_list.json)."""
    return {
        "id": hsds_id("service", platform.pk, e.pk),
        "organization_id": hsds_id("organization", e.pk),
        "name": e.name_ja,
        "alternate_name": e.name_en or None,
        "description": e.activity_ja or None,
        "url": e.website or url,
        "email": e.email or None,
        "status": "active",
        "interpretation_services": None,
        "application_process": e.what_to_expect or None,
        "last_modified": e.updated_at.isoformat(),
        "organization": organization_core(e, platform, url),
    }


def service_full(
    e: PublicEntry, platform: Platform, terms: dict[str, dict[str, Any]], url: str
) -> dict[str, Any]:
    """The full service (compiled/service.json): phones in half width, its location linked."""
    service = service_core(e, platform, url)
    sid = service["id"]
    languages = [{"id": hsds_id("language", sid, "ja"), "name": "日本語", "code": "ja", "note": None}] + [
        {"id": hsds_id("language", sid, code), "name": name, "code": code, "note": None}
        for code, name in e.languages
    ]
    keys = [f"worry:{cid}" for cid, _name in e.categories] + [f"field:{name}" for name, _mark in e.fields]
    keys += ["support:lgbtq"] if e.lgbtq else []
    location = _location(e, platform)
    return service | {
        "phones": [
            {
                "id": hsds_id("phone", sid, i),
                "service_id": sid,
                "number": p.normalised,
                "extension": None,
                "type": "voice",
                "description": p.note or None,
                "languages": [],
            }
            for i, p in enumerate(e.phones)
        ],
        "schedules": [{"id": hsds_id("schedule", sid), "service_id": sid, "description": e.hours}]
        if e.hours
        else [],
        "service_at_locations": [
            {
                "id": hsds_id("service_at_location", sid, location["id"]),
                "service_id": sid,
                "location_id": location["id"],
                "location": location,
            }
        ]
        if location
        else [],
        "languages": languages,
        "attributes": _attributes(sid, keys, terms),
        "contacts": [],
    }


def organization_full(
    e: PublicEntry, platform: Platform, terms: dict[str, dict[str, Any]], url: str
) -> dict[str, Any]:
    """The full organization (compiled/organization.json) with its one service and location."""
    location = _location(e, platform)
    return organization_core(e, platform, url) | {
        "phones": [],
        "contacts": [],
        "locations": [location] if location else [],
        "services": [service_full(e, platform, terms, url)],
    }


def page_url_for(platform: Platform, request: HttpRequest | None) -> Callable[[int], str]:
    def page_url(pk: int) -> str:
        """The page's public address: under the platform's own site address when it has one
        (the URI stays the same whichever host served the JSON), else the request's host."""
        path = reverse("directory:org", args=[platform.slug, pk])
        if platform.site_url:
            return public_site_url(platform) + path
        return request.build_absolute_uri(path) if request else path

    return page_url


def hsds_document(*, platform: Platform, request: HttpRequest | None = None) -> dict[str, Any]:
    """The whole directory of one platform (listed members only) as one JSON document."""
    with translation.override("ja"):  # the registry's Japanese texts, whichever URL served it
        taxonomies, terms = taxonomies_and_terms(platform)
        entries = public_entries(platform=platform)
    page_url = page_url_for(platform, request)
    return without_nulls(
        {
            "hsds_version": HSDS_VERSION,
            "profile": "https://openreferral.org/hsds/3.0/",
            "publisher": {
                "name": platform.name,
                "municipality": platform.municipality,
                "municipality_code": platform.municipality_code or None,
                "secretariat": platform.secretariat,
            },
            "generated_at": timezone.now().replace(microsecond=0).isoformat(),
            "total_items": len(entries),
            "organizations": [organization_full(e, platform, terms, page_url(e.pk)) for e in entries],
            "taxonomies": taxonomies,
            "taxonomy_terms": list(terms.values()),
        }
    )
