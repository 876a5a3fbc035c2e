"""Step-up for bulk actions on personal data (healthchecks' require_sudo_mode).

The password again, then a 15-minute window: a stolen, still-open session cannot take the whole
ledger. The window is per session and shared by every view that asks for it.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .http import PlatformRequest

STEP_UP_KEY = "step_up_confirmed_until"
STEP_UP_SECONDS = 15 * 60


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("パスワード"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        value = self.cleaned_data["password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("パスワードが正しくありません。"))
        return value


def recently_confirmed(request: PlatformRequest) -> bool:
    return float(request.session.get(STEP_UP_KEY, 0)) > time.time()


def step_up_required(*, purpose: str | Promise, button: str | Promise) -> Callable:
    """Decorator (inside platform_view): ask for the password unless it was given in the window.

    `purpose` tells the person why (shown above the password field); `button` labels the submit.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: PlatformRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if recently_confirmed(request):
                return view(request, *args, **kwargs)
            form = ConfirmPasswordForm(request.POST or None, user=request.user)
            if request.method == "POST" and form.is_valid():
                request.session[STEP_UP_KEY] = time.time() + STEP_UP_SECONDS
                return redirect(request.get_full_path())
            return render(
                request, "confirm_password.html", {"form": form, "purpose": purpose, "button": button}
            )

        return wrapped

    return decorator
