"""Temporary placeholder views for URLs whose issue is in progress. Removed as each lands."""

from django.http import HttpRequest, HttpResponse

from orgs.permissions import platform_view


@platform_view()
def not_yet(request: HttpRequest, **kwargs) -> HttpResponse:
    return HttpResponse("準備中です。", status=501)


def public_not_yet(request: HttpRequest, **kwargs) -> HttpResponse:
    return HttpResponse("準備中です。", status=501)
