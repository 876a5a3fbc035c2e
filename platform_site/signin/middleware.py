"""Sign-in and session rules applied to every request, in one place rather than per view.

- `NoStoreMiddleware`: every response to a signed-in user is `Cache-Control: private, no-store`,
  so neither the browser's cache nor its back/forward cache keeps a page with personal data for
  Back after sign-out. Every signed-in page names its user at least; a view whose response holds
  nothing personal and needs its own caching opts out with `@keeps_cache_control`.
- `IdleTimeoutMiddleware`: a session with no request for `SESSION_IDLE_MINUTES` ends.
- `SecondFactorMiddleware`: a user whose role sees personal data (the capability registry's
  `personal_data` rights) reaches only the sign-in screens and public pages until they have
  given a second factor in this session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import has_second_factor, needs_second_factor

LAST_SEEN_KEY = "signin_last_seen"
_LAST_SEEN_GRANULARITY = 60  # seconds: the session is written at most once a minute for this
_KEEP_ATTR = "keeps_cache_control"

#: What a signed-in user without a second factor may still reach: signing in and out, the
#: second-factor screens and password reset (namespace `signin`), and the public pages (the
#: directory, its HSDS API and the public events).
OPEN_NAMESPACES = frozenset({"signin", "directory", "hsds", "public-events"})
OPEN_NAMES = frozenset({"login", "logout", "healthz", "entry-check"})  # entry-check: no account


def keeps_cache_control(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Outermost decorator of a view whose response carries no personal data and sets its own
    Cache-Control (e.g. the leaflet PDF of published entries, revalidated by ETag)."""
    setattr(view, _KEEP_ATTR, True)
    return view


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated  # before the view: sign-out's answer too
        response = self.get_response(request)
        keep = getattr(request, "_keeps_cache_control", False) and response.has_header("Cache-Control")
        if (signed_in or request.user.is_authenticated) and not keep:
            response.headers["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response

    def process_view(self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any) -> None:
        request._keeps_cache_control = getattr(view_func, _KEEP_ATTR, False)  # type: ignore[attr-defined]


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    _("しばらく操作がなかったため、ログアウトしました。もう一度ログインしてください。"),
                )
                return redirect_to_login(request.get_full_path())
            if last is None or now - int(last) >= _LAST_SEEN_GRANULARITY:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def mark_seen(request: HttpRequest) -> None:
    """At sign-in: the idle clock starts now (and the first page needs no session write)."""
    request.session[LAST_SEEN_KEY] = int(time.time())


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user: Any = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and (
            (match.namespaces and match.namespaces[0] in OPEN_NAMESPACES)
            or (not match.namespaces and match.url_name in OPEN_NAMES)
        ):
            return None
        if not needs_second_factor(user):
            return None
        target = "signin:verify" if has_second_factor(user) else "signin:setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
