"""The sign-in form."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

LOGIN_ERROR_ID = "login-error"


class LoginForm(AuthenticationForm):
    """Django's sign-in form, whose refusal ("wrong name or password") belongs to the whole form:
    both fields are then marked invalid and described by the message (templates/registration/
    login.html shows it under id `login-error`), as a field's own error would be."""

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            for name in ("username", "password"):
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = LOGIN_ERROR_ID
            raise
