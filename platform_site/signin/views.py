"""The second-factor screens and password reset by email. Thin views: validate, call one
service, redirect. Every response here is no-store (platform_site.signin.middleware)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import services
from .forms import EnrolForm, TokenForm
from .selectors import has_second_factor, recovery_codes_left


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{resolve_url(name)}?{urlencode({'next': _next_url(request)})}"


def _signed_in_with(request: HttpRequest, device: Any) -> None:
    """The second factor given: into the session, under a new session key."""
    otp_login(request, device)
    before = request.session.session_key
    request.session.cycle_key()
    services.session_record(user=request.user, session_key=request.session.session_key or "", replaces=before)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator, or a recovery code."""
    user: Any = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not has_second_factor(user):
        return redirect(_with_next("signin:setup", request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_verify(user=user, token=form.cleaned_data["token"])
        if device is not None:
            _signed_in_with(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "token",
            _("確認コードが正しくありません。続けて間違えると、次に試せるまでの時間が長くなります。"),
        )
    return render(request, "signin/verify.html", {"form": form, "next": _next_url(request)})


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator (a QR code to scan), confirm it with a code, then show the ten
    recovery codes once. Someone who already has one must give it first (verify)."""
    user: Any = request.user
    if has_second_factor(user) and not user.is_verified():
        return redirect(_with_next("signin:verify", request))
    device = services.totp_enrol_begin(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_enrol_confirm(
            user=user, device=device, token=form.cleaned_data["token"].strip()
        )
        if codes is not None:
            _signed_in_with(request, device)
            return render(request, "signin/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error(
            "token", _("確認コードが一致しません。アプリに今表示されている数字を入力してください。")
        )
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    ctx = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next_url(request),
        "replacing": has_second_factor(user),
    }
    return render(request, "signin/setup.html", ctx)


@login_required
def recovery(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left; a new set on request (the old ones stop working)."""
    user: Any = request.user
    if not user.is_verified():
        return redirect(_with_next("signin:verify", request))
    return render(request, "signin/recovery.html", {"left": recovery_codes_left(user)})


@require_POST
@login_required
def recovery_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_verified():
        return redirect(_with_next("signin:verify", request))
    codes = services.recovery_codes_issue(user=user)
    return render(request, "signin/recovery_codes.html", {"codes": codes, "next": resolve_url("home")})


# Password reset by email: Django's views with our Japanese templates. The "sent" page reads the
# same whether or not the address is known, so it tells no one who has an account.
password_reset = auth_views.PasswordResetView.as_view(
    template_name="signin/password_reset_form.html",
    email_template_name="signin/password_reset_email.txt",
    subject_template_name="signin/password_reset_subject.txt",
    success_url=reverse_lazy("signin:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="signin/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="signin/password_reset_confirm.html",
    success_url=reverse_lazy("signin:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="signin/password_reset_complete.html"
)


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' answer to a locked-out user+address pair (AXES_LOCKOUT_CALLABLE): in
    Japanese, the same whether or not the password given was right."""
    ctx = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", ctx, status=429)
