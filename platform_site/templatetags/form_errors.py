"""One error pattern for every form, found by the layout rather than written by each page.

`{% form_errors as errors %}` (templates/base.html) collects the errors of every bound form and
formset the view put in the context (also inside a dict or list of them, as the event form's
formsets are): the page title then starts with 「入力エラー：」 and the error summary at the top
of the page lists each error as a link to its field (templates/_error_summary.html).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeGuard

from django import template
from django.forms import BaseForm, BaseFormSet
from django.forms.boundfield import BoundField

register = template.Library()


@dataclass(frozen=True)
class ErrorLink:
    text: str
    target: str  # the id of the control the link moves to ("" for an error of the whole form)


def field_target(field: BoundField) -> str:
    """The id a person lands on: the first box of a group (a fieldset has no focus of its own)."""
    if not field.auto_id:
        return ""
    if field.use_fieldset:  # a group with no boxes to choose (none offered) has nowhere to land
        return f"{field.auto_id}_0" if field.subwidgets else ""
    return field.id_for_label


def _form_errors(form: BaseForm) -> Iterator[ErrorLink]:
    for error in form.non_field_errors():
        yield ErrorLink(str(error), "")
    for name in form.errors:
        if name == "__all__":
            continue
        field = form[name]
        for error in field.errors:
            if field.is_hidden:  # a stale version or a removed hidden field: about the whole form
                yield ErrorLink(str(error), "")
            else:
                yield ErrorLink(f"{field.label}：{error}", field_target(field))


def _formset_errors(formset: BaseFormSet) -> Iterator[ErrorLink]:
    for error in formset.non_form_errors():
        yield ErrorLink(str(error), "")
    for form in formset.forms:
        yield from _form_errors(form)


def _is_form(value: object) -> TypeGuard[BaseForm | BaseFormSet]:
    # type(), not isinstance(): isinstance() asks a lazy value (the CSRF token of the csrf
    # context processor) for its class, which makes the token, and then every page, even a
    # public one without a form to post, would set a CSRF cookie and could not be shared by caches.
    return issubclass(type(value), BaseForm | BaseFormSet)


def _candidates(values: Iterable[Any]) -> Iterator[BaseForm | BaseFormSet]:
    for value in values:
        kind = type(value)
        if _is_form(value):
            yield value
        elif issubclass(kind, dict):
            yield from (v for v in value.values() if _is_form(v))
        elif issubclass(kind, list | tuple):
            yield from (v for v in value if _is_form(v))


@register.simple_tag(takes_context=True)
def form_errors(context: template.Context) -> list[ErrorLink]:
    """Every error of the bound forms in the context, in page order of the forms, each once."""
    seen: set[int] = set()
    errors: list[ErrorLink] = []
    for item in _candidates(context.flatten().values()):
        if id(item) in seen or not item.is_bound:
            continue
        seen.add(id(item))
        if isinstance(item, BaseFormSet):
            seen.update(id(f) for f in item.forms)
            errors.extend(_formset_errors(item))
        else:
            errors.extend(_form_errors(item))
    return errors
