"""Public pages that change only when their data does: conditional requests and a shared cache.

`cached_public_page(version)` wraps a public view `(request, platform: str, ...)`. For each
request it asks `version(slug)` — a cheap read (one or two queries) that changes whenever
anything the page shows changes — and makes the page's ETag from it and the URL:
- `If-None-Match` with that ETag → 304, nothing rendered;
- otherwise the rendered page comes from the `pages` cache (CACHES["pages"], keyed by the
  ETag, so an edit makes new keys and old ones simply expire);
- all this for visitors without a session (residents) only: a signed-in person's page shows
  their name, so it is rendered as usual and never cached.
Only 200 responses are kept. The cache holds public pages only, never anything personal; the
entries also expire (the `pages` cache's TIMEOUT), which bounds how long a change the version
does not see (e.g. a renamed worry category) can stay visible.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date

Version = Callable[[str], tuple[str, float | None] | None]  # slug → (version, last modified) or None


def cached_public_page(
    version: Version,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, platform: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if settings.SESSION_COOKIE_NAME in request.COOKIES:  # signed in: their own page
                return view(request, platform, *args, **kwargs)
            current = version(platform)
            if current is None:  # unknown or unpublished: the view answers (404)
                return view(request, platform, *args, **kwargs)
            stamp, modified = current
            raw = f"{stamp}|{request.get_full_path()}".encode()
            etag = f'"{hashlib.sha256(raw).hexdigest()[:32]}"'
            # revalidated on every visit; a signed-in person's page differs (Vary)
            headers = {"ETag": etag, "Cache-Control": "public, no-cache", "Vary": "Cookie"}
            if modified is not None:
                headers["Last-Modified"] = http_date(modified)
            if etag in request.headers.get("If-None-Match", ""):
                response: HttpResponse = HttpResponseNotModified()
                for name, value in headers.items():
                    response[name] = value
                return response
            cache = caches["pages"]
            key = "page:" + etag.strip('"')
            hit = cache.get(key)
            if hit is not None:
                content, content_type = hit
                return HttpResponse(content, content_type=content_type, headers=headers)
            response = view(request, platform, *args, **kwargs)
            if response.status_code == 200 and not response.cookies:
                cache.set(key, (response.content, response["Content-Type"]))
                for name, value in headers.items():
                    response[name] = value
            return response

        return wrapped

    return decorator
