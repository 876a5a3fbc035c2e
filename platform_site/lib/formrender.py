"""Django's form renderer, with its three most frequent templates written out in Python.

Every widget and every field's error list is rendered through a template, and a <select>
includes one template per option (which includes another for its attributes): the staff
list's filter form (four selects, about forty options) cost ~3 ms of a ~15 ms request in
templates that print the same markup every time. `FormRenderer` (settings.FORM_RENDERER)
produces byte-identical output for:

- an empty error list (``django/forms/errors/list/default.html`` and ``ul.html``): nothing;
- ``django/forms/widgets/select.html`` whose options all use Django's own option template;
- ``django/forms/widgets/input.html`` and the input templates that only include it;

and hands every other template, and any of these whose context it does not recognise, to
Django's renderer unchanged. tests/lib/test_formrender.py compares the two on every form of
the project.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

ERROR_LISTS = frozenset({"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"})
SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# input types whose template is `{% include "django/forms/widgets/input.html" %}` and nothing else
INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "time",
        "datetime",
        "search",
        "tel",
        "color",
        "checkbox",
    )
)


def _attrs(attrs: dict[str, Any]) -> str:
    """attrs.html: ` name="value"` for each, a bare name for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}")
        if value is not True:
            out.append(f'="{conditional_escape(str(value))}"')
    return "".join(out)


def _select(widget: dict[str, Any]) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None
            parts.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"  # the file's last line
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in ERROR_LISTS and not context.get("errors"):
            return mark_safe("")
        widget = context.get("widget")
        if isinstance(widget, dict) and widget.get("template_name") == template_name:
            if template_name == SELECT:
                html = _select(widget)
                if html is not None:
                    return mark_safe(html)
            elif template_name in INPUTS:
                return mark_safe(_input(widget))
        return super().render(template_name, context, request)
