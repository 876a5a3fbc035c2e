"""The form renderer's Python shortcuts print exactly what Django's templates print."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.urls import reverse

from platform_site.lib.formrender import FormRenderer
from tests import factories as f


class Everything(forms.Form):
    text = forms.CharField(max_length=10, widget=forms.TextInput(attrs={"placeholder": 'a "b" <c>'}))
    search = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"type": "search", "autofocus": True})
    )
    number = forms.IntegerField(required=False, min_value=0)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False)
    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.IntegerField(required=False, widget=forms.HiddenInput)
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(required=False, widget=forms.TimeInput)
    when = forms.DateTimeField(required=False)
    check = forms.BooleanField(required=False)
    off = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"data-x": False}))
    choice = forms.ChoiceField(choices=[("", "すべて"), ("a", "A & B"), ("<b>", "<i>太字</i>")])
    grouped = forms.ChoiceField(
        required=False, choices=[("", "—"), ("果物", [("1", "りんご"), ("2", "みかん")]), ("3", "その他")]
    )
    many = forms.MultipleChoiceField(required=False, choices=[("1", "一"), ("2", "二"), ("3", "三")])
    maybe = forms.NullBooleanField(required=False)
    boxes = forms.MultipleChoiceField(
        required=False, choices=[("1", "一"), ("2", "二")], widget=forms.CheckboxSelectMultiple
    )
    radios = forms.ChoiceField(required=False, choices=[("1", "一"), ("2", "二")], widget=forms.RadioSelect)
    long = forms.CharField(required=False, widget=forms.Textarea)


DATA = {
    "text": "x" * 12,  # too long: an error list
    "search": "<script>",
    "number": "-1",
    "email": "not an email",
    "password": "p&w",
    "hidden": "7",
    "date": "2026-05-20",
    "when": "2026-05-20 10:00",
    "check": "on",
    "choice": "<b>",
    "grouped": "2",
    "many": ["1", "3"],
    "maybe": "true",
    "boxes": ["2"],
    "radios": "9",
    "long": "a\nb",
}


def rendered(form_data, renderer, initial=None):
    form = Everything(form_data, initial=initial, renderer=renderer)
    if form_data is not None:
        form.is_valid()
    return [(name, str(form[name]), str(form[name].errors)) for name in form.fields] + [
        ("__all__", str(form.non_field_errors()), ""),
        ("form", str(form), ""),
    ]


@pytest.mark.parametrize(
    "data, initial",
    [
        (None, None),
        (None, {"date": dt.date(2026, 5, 20), "number": 3, "choice": "a", "many": ["2"], "check": True}),
        (DATA, None),
        ({}, None),
    ],
)
def test_every_widget_prints_what_djangos_templates_print(data, initial):
    assert rendered(data, FormRenderer(), initial) == rendered(data, DjangoTemplates(), initial)


@pytest.mark.django_db
def test_a_whole_page_is_the_same_with_either_renderer(secretariat_a, platform_a, org_a):
    f.make_category(platform_a)
    url = reverse("orgs:list", args=[platform_a.slug]) + "?q=%3Cx%3E&worry_category=999"

    def page(renderer: str) -> str:
        with override_settings(FORM_RENDERER=renderer):
            html = secretariat_a.get(url).content.decode()
        return html.split('<form method="get"', 1)[1].split("</form>", 1)[0]  # the CSRF token differs

    assert page("platform_site.lib.formrender.FormRenderer") == page("django.forms.renderers.DjangoTemplates")
