"""Two guards every request passes through.

- `InvisibleCharactersMiddleware`: every form field and query parameter arrives without
  invisible format characters (the right-to-left override, zero-width spaces and joiners, the
  BOM, see `platform_site.lib.cells.INVISIBLE_RE`), so no form, slug, URL or search stores or
  matches text that reads differently from what it holds. Passwords are left as typed.
  (Imports drop the same characters from every cell: `platform_site.lib.cells.text`.)
- `ServiceUnavailableMiddleware`: when the database cannot be reached or goes away during a
  request, the answer is a Japanese page with status 503 and ``Retry-After``, rendered from a
  self-contained template without touching the database
  (``templates/errors/database_unavailable.html``); the request's own transaction is rolled back
  by the database, so nothing half-done is kept and nothing committed is lost. A PDF asked for
  on a server without Japanese fonts (`platform_site.lib.pdf.FontsMissing`) gets a 503 page
  that says so (``templates/errors/pdf_unavailable.html``) instead of a crashed worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from .lib.cells import strip_invisible
from .lib.pdf import FontsMissing

RETRY_AFTER_SECONDS = 30
logger = logging.getLogger(__name__)


def _cleaned(data: Any) -> Any:
    if all(value.isascii() for values in data.lists() for value in values[1]):
        return data
    cleaned = data.copy()
    for key, values in data.lists():
        if "password" not in key:
            cleaned.setlist(key, [strip_invisible(v) for v in values])
    cleaned._mutable = False
    return cleaned


class InvisibleCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _cleaned(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _cleaned(request.POST)
        return self.get_response(request)


class ServiceUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, FontsMissing):
            template = "errors/pdf_unavailable.html"
        elif isinstance(exception, (OperationalError, InterfaceError)):
            template = "errors/database_unavailable.html"
            # For the operator: the kind of failure and the server's SQLSTATE, never the message
            # (it can quote the values of a row) nor the URL's query string.
            cause = exception.__cause__
            logger.error(
                "database error on %s: %s (SQLSTATE %s)",
                request.path,
                type(cause or exception).__name__,
                getattr(cause, "sqlstate", None) or "-",
            )
        else:
            return None
        response = HttpResponse(
            render_to_string(template), status=503, content_type="text/html; charset=utf-8"
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
