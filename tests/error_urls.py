"""The site's URLs plus two that fail on purpose, for the error page tests (tests/test_error_pages.py)."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from platform_site.urls import urlpatterns as site_urlpatterns


def bad_request(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a malformed request")


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    *site_urlpatterns,
    path("test-errors/400", bad_request, name="test-400"),
    path("test-errors/500", broken, name="test-500"),
]
