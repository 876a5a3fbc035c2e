"""The HSDS 3.0 API of one platform's public directory (`/d/<platform>/api/…`).

The endpoints of the standard's openapi.json: `/` (required), `/services` (required, paginated,
filters `search`, `taxonomy_term_id`, `taxonomy_id`, `organization_id`, `modified_after`),
`/services/{id}` (required, the full compiled service), `/organizations`,
`/organizations/{id}`, `/taxonomies`, `/taxonomies/{id}`, `/taxonomy_terms`,
`/taxonomy_terms/{id}`. Lists answer in the spec's page envelope (`total_items`, `total_pages`,
`page_number`, `size`, `first_page`, `last_page`, `empty`, `contents`).

Everything is read through the public selectors (orgs/selectors_public.py), so only listed
members appear, never contact persons or a hidden address. Ids are the stable UUIDv5s of
orgs/hsds.py; an id is found by computing the ids of the listed organisations (one query of
primary keys), then one page or one organisation is loaded. The texts are the registry's
Japanese ones (English names as `alternate_name`), whatever language the caller's browser asks.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.dateparse import parse_datetime

from platform_site.models import Platform

from .hsds import (
    HSDS_VERSION,
    hsds_id,
    organization_core,
    organization_full,
    page_url_for,
    service_core,
    service_full,
    taxonomies_and_terms,
    without_nulls,
)
from .models import Organisation
from .searchtext import organisation_search_q
from .selectors_public import listed_organisations, public_entry_of

OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
PROFILE_URL = "https://openreferral.org/hsds/3.0/"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


class BadParameter(ValueError):
    """A query parameter the API cannot use (answered with 400 and the parameter's name)."""


@dataclass(frozen=True)
class PageParams:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @classmethod
    def from_query(cls, query: Any) -> PageParams:
        def number(name: str, default: int, upper: int) -> int:
            raw = query.get(name, "")
            if raw == "":
                return default
            if not raw.isdigit() or int(raw) < 1:
                raise BadParameter(name)
            return min(int(raw), upper)

        return cls(page=number("page", 1, 10**6), per_page=number("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE))


def _envelope(*, total: int, params: PageParams, contents: list[dict[str, Any]]) -> dict[str, Any]:
    pages = max(1, math.ceil(total / params.per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": params.page,
        "size": params.per_page,
        "first_page": params.page == 1,
        "last_page": params.page >= pages,
        "empty": not contents,
        "contents": [without_nulls(item) for item in contents],
    }


def _page_of_list(items: Sequence[dict[str, Any]], params: PageParams) -> dict[str, Any]:
    start = (params.page - 1) * params.per_page
    return _envelope(total=len(items), params=params, contents=list(items[start : start + params.per_page]))


def api_root() -> dict[str, Any]:
    return {"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}


def _by_hsds_id(qs: QuerySet[Organisation], make_id: Callable[[int], str], wanted: str) -> int | None:
    """The primary key whose HSDS id is `wanted` (ids are hashes: computed for each listed pk)."""
    return next((pk for pk in qs.values_list("pk", flat=True) if make_id(pk) == wanted), None)


def _term_filter(platform: Platform, terms: dict[str, dict[str, Any]], *, term_ids: set[str]) -> Q:
    """Organisations tagged with any of these taxonomy terms (worries, fields, the LGBTQ+ mark)."""
    condition = Q(pk__in=[])
    for key, term in terms.items():
        if term["id"] not in term_ids:
            continue
        kind, _sep, value = key.partition(":")
        if kind == "worry":
            condition |= Q(
                pk__in=Organisation.worry_categories.through.objects.filter(
                    worrycategory_id=int(value)
                ).values("organisation_id")
            )
        elif kind == "field":
            condition |= Q(
                pk__in=Organisation.activity_fields.through.objects.filter(
                    activityfield__platform=platform, activityfield__name=value
                ).values("organisation_id")
            )
        else:
            condition |= Q(lgbtq_support=True)
    return condition


def api_services(*, platform: Platform, request: HttpRequest) -> dict[str, Any]:
    params = PageParams.from_query(request.GET)
    with translation.override("ja"):
        taxonomies, terms = taxonomies_and_terms(platform)
        qs = listed_organisations(platform=platform)
        if (
            words := organisation_search_q(platform=platform, text=request.GET.get("search", ""))
        ) is not None:
            qs = qs.filter(words)
        if term_id := request.GET.get("taxonomy_term_id", ""):
            qs = qs.filter(_term_filter(platform, terms, term_ids={term_id}))
        if taxonomy_id := request.GET.get("taxonomy_id", ""):
            ids = {t["id"] for t in terms.values() if t["taxonomy_id"] == taxonomy_id}
            qs = qs.filter(_term_filter(platform, terms, term_ids=ids))
        if organization_id := request.GET.get("organization_id", ""):
            pk = _by_hsds_id(qs, lambda pk: hsds_id("organization", pk), organization_id)
            qs = qs.filter(pk=pk) if pk else qs.none()
        if modified_after := request.GET.get("modified_after", ""):
            moment = parse_datetime(modified_after.replace(" ", "+"))
            if moment is None:
                raise BadParameter("modified_after")
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            qs = qs.filter(updated_at__gte=moment)
        paginator = Paginator(qs, params.per_page)
        total = paginator.count
        rows = list(paginator.page(params.page).object_list) if params.page <= paginator.num_pages else []
        url = page_url_for(platform, request)
        full = request.GET.get("full", "").lower() == "true"
        contents = [
            service_full(e, platform, terms, url(e.pk)) if full else service_core(e, platform, url(e.pk))
            for e in map(public_entry_of, rows)
        ]
    return _envelope(total=total, params=params, contents=contents)


def api_service(*, platform: Platform, request: HttpRequest, service_id: str) -> dict[str, Any]:
    with translation.override("ja"):
        qs = listed_organisations(platform=platform)
        pk = _by_hsds_id(qs, lambda pk: hsds_id("service", platform.pk, pk), service_id)
        org = qs.filter(pk=pk).first() if pk else None
        if org is None:
            raise Http404
        _taxonomy_list, terms = taxonomies_and_terms(platform)
        e = public_entry_of(org)
        return without_nulls(service_full(e, platform, terms, page_url_for(platform, request)(e.pk)))


def api_organizations(*, platform: Platform, request: HttpRequest) -> dict[str, Any]:
    params = PageParams.from_query(request.GET)
    with translation.override("ja"):
        qs = listed_organisations(platform=platform)
        if (
            words := organisation_search_q(platform=platform, text=request.GET.get("search", ""))
        ) is not None:
            qs = qs.filter(words)
        paginator = Paginator(qs, params.per_page)
        total = paginator.count
        rows = list(paginator.page(params.page).object_list) if params.page <= paginator.num_pages else []
        url = page_url_for(platform, request)
        contents = [organization_core(e, platform, url(e.pk)) for e in map(public_entry_of, rows)]
    return _envelope(total=total, params=params, contents=contents)


def api_organization(*, platform: Platform, request: HttpRequest, organization_id: str) -> dict[str, Any]:
    with translation.override("ja"):
        qs = listed_organisations(platform=platform)
        pk = _by_hsds_id(qs, lambda pk: hsds_id("organization", pk), organization_id)
        org = qs.filter(pk=pk).first() if pk else None
        if org is None:
            raise Http404
        _taxonomy_list, terms = taxonomies_and_terms(platform)
        e = public_entry_of(org)
        return without_nulls(organization_full(e, platform, terms, page_url_for(platform, request)(e.pk)))


def _taxonomy_items(platform: Platform) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with translation.override("ja"):
        taxonomies, terms = taxonomies_and_terms(platform)
    return [without_nulls(t) for t in taxonomies], [without_nulls(t) for t in terms.values()]


def _searched(items: list[dict[str, Any]], request: HttpRequest) -> list[dict[str, Any]]:
    text = request.GET.get("search", "").strip()
    return [i for i in items if text in i["name"] or text in i.get("description", "")] if text else items


def api_taxonomies(*, platform: Platform, request: HttpRequest) -> dict[str, Any]:
    params = PageParams.from_query(request.GET)
    return _page_of_list(_searched(_taxonomy_items(platform)[0], request), params)


def api_taxonomy(*, platform: Platform, taxonomy_id: str) -> dict[str, Any]:
    found = [t for t in _taxonomy_items(platform)[0] if t["id"] == taxonomy_id]
    if not found:
        raise Http404
    return found[0]


def api_taxonomy_terms(*, platform: Platform, request: HttpRequest) -> dict[str, Any]:
    params = PageParams.from_query(request.GET)
    terms = _searched(_taxonomy_items(platform)[1], request)
    if taxonomy_id := request.GET.get("taxonomy_id", ""):
        terms = [t for t in terms if t["taxonomy_id"] == taxonomy_id]
    return _page_of_list(terms, params)


def api_taxonomy_term(*, platform: Platform, term_id: str) -> dict[str, Any]:
    found = [t for t in _taxonomy_items(platform)[1] if t["id"] == term_id]
    if not found:
        raise Http404
    return found[0]
