"""What every app's services and views share about refused writes (no models here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm


class ConcurrentEdit(ValidationError):
    """Someone else saved the record after this form was opened (optimistic locking): answer 409."""


def add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form; errors of unknown fields go above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def run_service(form: BaseForm, call: Callable[[dict[str, Any]], Any]) -> Any:
    """Call a service with a valid form's data; a refusal (ValidationError) becomes the form's
    errors and nothing is saved. None when the form is invalid or the service refused."""
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
