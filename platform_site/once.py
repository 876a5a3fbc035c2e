"""Creating once per form: a re-sent POST shows what the first one created.

Every create form carries a random one-time token (``{% once_field %}``, from
`platform_site.templatetags.once`). A view decorated with `submit_once` runs, for a POST with a
token, inside one transaction that first claims the token (a row with a unique token,
`FormSubmission`). When the view answers with a redirect (the object was created), the row
keeps that address; when it answers otherwise (the form had errors), the claim is dropped and
the same form may be sent again. A second send of the token — the browser's "send again", a
double click, a reload — finds the row and is sent to the first one's address, with a note;
two sends at the same moment cannot both create: on PostgreSQL the second waits on the unique
index until the first commits, on SQLite writers take turns (IMMEDIATE transactions).
A POST without a token (a script, a test client) is served as before.
Tokens are kept for `KEEP_DAYS` days: each claim drops the user's older ones.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormSubmission

FIELD = "once"
KEEP_DAYS = 7
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(18)


def posted_token(request: HttpRequest) -> str:
    token = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return token if _TOKEN_RE.match(token) else ""


def _already(request: HttpRequest, url: str) -> HttpResponse:
    messages.info(request, _("この内容はすでに保存されています（同じ送信が2回届きました）。"))
    return redirect(url)


def submit_once(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run a create view at most once per form token (see above). Put it under the permission
    decorator, so only an allowed user's send is ever claimed."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = posted_token(request)
        if not token or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            first = FormSubmission.objects.filter(token=token, user=request.user).first()
            if first is not None:
                return _already(request, first.url) if first.url else view(request, *args, **kwargs)
            try:
                with transaction.atomic():
                    claim = FormSubmission.objects.create(token=token, user=request.user)
                purge(user=request.user)
            except IntegrityError:  # the same send, committed meanwhile by another worker
                first = FormSubmission.objects.filter(token=token, user=request.user).first()
                if first is not None and first.url:
                    return _already(request, first.url)
                raise
            response = view(request, *args, **kwargs)
            if response.status_code in (301, 302, 303) and response.get("Location"):
                claim.url = response["Location"][:500]
                claim.save(update_fields=["url"])
            else:
                claim.delete()  # not created (the form had errors): the form may be sent again
            return response

    return wrapper


def purge(*, user: Any, now: dt.datetime | None = None) -> int:
    """Forget the user's tokens older than KEEP_DAYS days; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=KEEP_DAYS)
    deleted, _rows = FormSubmission.objects.filter(user=user, at__lt=cutoff).delete()
    return deleted
