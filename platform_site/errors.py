"""The Japanese CSRF failure page (settings.CSRF_FAILURE_VIEW).

Django's own view renders `403_csrf.html` too, but shows its English reason text when the
template is missing and passes DEBUG details; this one always renders our page, the same for
every reason (an expired form, cookies off, a stale tab after signing in elsewhere), so the
person learns what to do next and nothing about the check itself.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template import loader


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))
