"""The HSDS 3.0 API views (orgs/hsds_api.py builds the documents): JSON, no login, cross-origin."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from . import hsds_api as api
from .selectors_public import public_platform


def _json(build: Callable[[], dict[str, Any]]) -> JsonResponse:
    try:
        response = JsonResponse(build(), json_dumps_params={"ensure_ascii": False})
    except api.BadParameter as exc:
        response = JsonResponse({"error": "invalid parameter", "parameter": str(exc)}, status=400)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=600"
    return response


@require_GET
def api_root(request: HttpRequest, platform: str) -> JsonResponse:
    public_platform(slug=platform)
    return _json(api.api_root)


@require_GET
def services(request: HttpRequest, platform: str) -> JsonResponse:
    plat = public_platform(slug=platform)
    return _json(lambda: api.api_services(platform=plat, request=request))


@require_GET
def service(request: HttpRequest, platform: str, pk: uuid.UUID) -> JsonResponse:
    plat = public_platform(slug=platform)
    return _json(lambda: api.api_service(platform=plat, request=request, service_id=str(pk)))


@require_GET
def organizations(request: HttpRequest, platform: str) -> JsonResponse:
    plat = public_platform(slug=platform)
    return _json(lambda: api.api_organizations(platform=plat, request=request))


@require_GET
def organization(request: HttpRequest, platform: str, pk: uuid.UUID) -> JsonResponse:
    plat = public_platform(slug=platform)
    return _json(lambda: api.api_organization(platform=plat, request=request, organization_id=str(pk)))


@require_GET
def taxonomies(request: HttpRequest, platform: str) -> JsonResponse:
    plat = public_platform(slug=platform)
    return _json(lambda: api.api_taxonomies(platform=plat, request=request))


@require_GET
def taxonomy(request: HttpRequest, platform: str, pk: uuid.UUID) -> JsonResponse:
    plat = public_platform(slug=platform)
    return _json(lambda: api.api_taxonomy(platform=plat, taxonomy_id=str(pk)))


@require_GET
def taxonomy_terms(request: HttpRequest, platform: str) -> JsonResponse:
    plat = public_platform(slug=platform)
    return _json(lambda: api.api_taxonomy_terms(platform=plat, request=request))


@require_GET
def taxonomy_term(request: HttpRequest, platform: str, pk: uuid.UUID) -> JsonResponse:
    plat = public_platform(slug=platform)
    return _json(lambda: api.api_taxonomy_term(platform=plat, term_id=str(pk)))
