"""The plausible date and time fields every form uses (platform_site/lib/datefields.py), and a
check that every date field of every form of the project is one of them."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from platform_site.lib.datefields import (
    PastDateField,
    PastDateTimeField,
    PlausibleDateField,
    PlausibleDateTimeField,
)
from tests.conftest import FROZEN_TODAY

pytestmark = pytest.mark.usefixtures("frozen_now")


def test_the_range_is_around_today():
    field = PlausibleDateField()
    assert field.clean(FROZEN_TODAY.isoformat()) == FROZEN_TODAY
    assert field.clean(f"{FROZEN_TODAY.year - 29}-01-01").year == FROZEN_TODAY.year - 29
    for bad in (
        f"{FROZEN_TODAY.year - 31}-01-01",
        f"{FROZEN_TODAY.year + 6}-01-01",
        "0001-01-01",
        "2999-01-01",
    ):
        with pytest.raises(ValidationError, match="までの日付を入力してください"):
            field.clean(bad)
    with pytest.raises(ValidationError):
        field.clean("99999-01-01")


def test_what_has_happened_is_not_in_the_future():
    with pytest.raises(ValidationError, match="未来の日付は入力できません"):
        PastDateField().clean((FROZEN_TODAY + dt.timedelta(days=1)).isoformat())
    assert PastDateField().clean(FROZEN_TODAY.isoformat()) == FROZEN_TODAY
    with pytest.raises(ValidationError, match="未来の日時は入力できません"):
        PastDateTimeField().clean(f"{FROZEN_TODAY.isoformat()}T23:59")


def test_a_date_time_of_year_one_is_refused_without_overflowing():
    field = PlausibleDateTimeField()
    for bad in ("0001-01-01T00:00", "9999-12-31T23:59", "2999-01-01T10:00"):
        with pytest.raises(ValidationError, match="までの日付を入力してください"):
            field.clean(bad)
    soon = field.clean(f"{(FROZEN_TODAY + dt.timedelta(days=10)).isoformat()}T10:30")
    assert soon.tzinfo is not None and soon.hour == 10


def test_the_date_picker_gets_the_range():
    class F(forms.Form):
        day = PastDateField(widget=forms.DateInput(attrs={"type": "date"}))

    html = str(F()["day"])
    assert f'max="{FROZEN_TODAY.isoformat()}"' in html and 'min="' in html


@given(st.text(max_size=30))
def test_any_typed_text_is_a_date_or_a_japanese_refusal(text):
    for field in (PlausibleDateField(required=False), PlausibleDateTimeField(required=False)):
        try:
            field.clean(text)
        except ValidationError as exc:
            assert all(message for message in exc.messages)


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_any_date_is_accepted_only_inside_the_range(day):
    field = PlausibleDateField()
    earliest, latest = field.date_range()
    try:
        assert field.clean(day.isoformat()) == day and earliest <= day <= latest
    except ValidationError:
        assert not earliest <= day <= latest


FORM_MODULES = [
    "cases.forms",
    "orgs.forms",
    "surveys.forms",
    "outreach.forms",
    "platform_site.platform_settings.forms",
    "platform_site.team.forms",
]


def test_every_date_field_of_every_form_is_a_plausible_one():
    checked = 0
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for form in vars(module).values():
            if not (isinstance(form, type) and issubclass(form, forms.BaseForm)):
                continue
            for field_name, field in getattr(form, "base_fields", {}).items():
                if isinstance(field, forms.DateTimeField):
                    assert isinstance(field, PlausibleDateTimeField), (form, field_name)
                    checked += 1
                elif isinstance(field, forms.DateField):
                    assert isinstance(field, PlausibleDateField), (form, field_name)
                    checked += 1
    assert checked >= 14
