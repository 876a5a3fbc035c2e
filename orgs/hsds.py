"""The public directory as open data shaped after Open Referral HSDS 3.0.

HSDS keeps organisation, service, location, phone, schedule, language and taxonomy apart; we
publish one service per organisation (what it does for residents of this platform), its
worry categories and activity fields as taxonomy terms, the opening hours as the schedule's
free-text description (the registry keeps hours as written, e.g. 「平日 9:00～17:00」), and
a location only when the address is public. HSDS `contacts` are named people: never
published (担当者 stay inside the platform). Ids are stable UUIDv5s, so re-publishing the same
registry gives the same ids and a consumer can diff two downloads.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from .models import Platform
from .selectors_public import PublicEntry, activity_fields, public_entries, worry_categories

HSDS_VERSION = "3.0"
_NAMESPACE = uuid.UUID("6f1d8a52-5a3e-4c1b-9a63-2b7f0c1d9e41")  # Tsunagu's namespace for HSDS ids


def hsds_id(kind: str, *parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, ":".join([kind, *map(str, parts)])))


def _taxonomies(platform: Platform) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    worry_tax = {"id": hsds_id("taxonomy", platform.pk, "worry"), "name": "tsunagu-worry",
                 "description": "悩みのカテゴリ（相談先一覧の見出し）", "uri": None, "version": None}
    field_tax = {"id": hsds_id("taxonomy", platform.pk, "field"), "name": "tsunagu-activity-field",
                 "description": "活動分野", "uri": None, "version": None}
    terms: dict[str, dict[str, Any]] = {}
    for c in worry_categories(platform=platform):
        terms[f"worry:{c.name}"] = {
            "id": hsds_id("term", platform.pk, "worry", c.pk), "code": f"worry-{c.pk}", "name": c.name,
            "description": c.description, "parent_id": None, "taxonomy": worry_tax["name"],
            "taxonomy_id": worry_tax["id"], "language": "ja",
        }
    for f in activity_fields(platform=platform):
        terms[f"field:{f.name}"] = {
            "id": hsds_id("term", platform.pk, "field", f.pk), "code": f"field-{f.pk}", "name": f.name,
            "description": "", "parent_id": None, "taxonomy": field_tax["name"],
            "taxonomy_id": field_tax["id"], "language": "ja",
        }
    return [worry_tax, field_tax], terms


def _attributes(link_id: str, keys: list[str], terms: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"id": hsds_id("attribute", link_id, terms[k]["id"]), "link_id": link_id, "link_type": "service",
         "link_entity": "service", "taxonomy_term_id": terms[k]["id"], "value": None, "taxonomy_term": terms[k]}
        for k in keys if k in terms
    ]


def _service(e: PublicEntry, platform: Platform, terms: dict[str, dict[str, Any]], url: str) -> dict[str, Any]:
    sid = hsds_id("service", platform.pk, e.pk)
    languages = [{"id": hsds_id("language", sid, "ja"), "name": "日本語", "code": "ja", "note": None}] + [
        {"id": hsds_id("language", sid, code), "name": name, "code": code, "note": None} for code, name in e.languages
    ]
    keys = [f"worry:{name}" for _cid, name in e.categories] + [f"field:{name}" for name, _mark in e.fields]
    return {
        "id": sid, "organization_id": hsds_id("organization", e.pk), "name": e.name,
        "alternate_name": None, "description": e.activity or None, "url": e.website or url, "email": e.email or None,
        "status": "active", "interpretation_services": None,
        "application_process": e.what_to_expect or None, "last_modified": e.updated_at.isoformat(),
        "phones": [
            {"id": hsds_id("phone", sid, i), "number": p.number, "extension": None, "type": "voice",
             "description": p.note or None, "languages": []}
            for i, p in enumerate(e.phones)
        ],
        "schedules": [{"id": hsds_id("schedule", sid), "service_id": sid, "description": e.hours}] if e.hours else [],
        "languages": languages,
        "attributes": _attributes(sid, keys, terms)
        + ([{"id": hsds_id("attribute", sid, "lgbtq"), "link_id": sid, "link_type": "service", "link_entity": "service",
             "taxonomy_term_id": None, "value": "lgbtq_expertise", "taxonomy_term": None}] if e.lgbtq else []),
        "contacts": [],
    }


def _organization(e: PublicEntry, platform: Platform, terms: dict[str, dict[str, Any]], url: str) -> dict[str, Any]:
    oid = hsds_id("organization", e.pk)
    locations = []
    if e.address:
        lid = hsds_id("location", e.pk)
        locations.append({
            "id": lid, "location_type": "physical", "name": e.name, "organization_id": oid,
            "addresses": [{"id": hsds_id("address", e.pk), "location_id": lid, "address_1": e.address,
                           "postal_code": e.postal_code or None, "country": "JP", "address_type": "physical",
                           "city": platform.municipality, "region": None, "state_province": None}],
        })
    return {
        "id": oid, "name": e.name, "alternate_name": None, "legal_status": e.legal_form or None,
        "description": e.activity or None, "email": e.email or None, "website": e.website or None,
        "uri": url, "phones": [], "contacts": [], "locations": locations,
        "services": [_service(e, platform, terms, url)],
    }


def hsds_document(*, platform: Platform, request: HttpRequest | None = None) -> dict[str, Any]:
    """The whole directory of one platform (listed members only) as one JSON document."""
    taxonomies, terms = _taxonomies(platform)

    def page_url(pk: int) -> str:
        path = reverse("directory:org", args=[platform.slug, pk])
        return request.build_absolute_uri(path) if request else path

    entries = public_entries(platform=platform)
    return {
        "hsds_version": HSDS_VERSION,
        "profile": "https://openreferral.org/hsds/3.0/",
        "publisher": {"name": platform.name, "municipality": platform.municipality,
                      "municipality_code": platform.municipality_code or None, "secretariat": platform.secretariat},
        "generated_at": timezone.now().replace(microsecond=0).isoformat(),
        "total_items": len(entries),
        "organizations": [_organization(e, platform, terms, page_url(e.pk)) for e in entries],
        "taxonomies": taxonomies,
        "taxonomy_terms": list(terms.values()),
    }
