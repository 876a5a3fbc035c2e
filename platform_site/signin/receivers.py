"""Django's sign-in signals, the only place Django tells that a session was opened or closed.

- signed in: the session is recorded (so it can be ended from elsewhere) and its idle clock starts;
- signed out: the record goes;
- an account disabled (`is_active` off, e.g. in Django's admin): every session of it ends at
  once. Django's own user model has no service of ours to call, hence the one model signal.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save

from . import services
from .middleware import mark_seen


def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    mark_seen(request)
    if request.session.session_key is None:
        request.session.save()
    services.session_record(user=user, session_key=request.session.session_key)


def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and getattr(request, "session", None) and request.session.session_key:
        services.session_forget(session_key=request.session.session_key)


def _user_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created and not instance.is_active:
        services.sessions_end(user=instance)


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="signin.signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid="signin.signed_out")
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="signin.user_saved")
