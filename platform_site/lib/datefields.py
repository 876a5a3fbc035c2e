"""Form fields for dates and times people type: only plausible ones are accepted.

A date field of any form takes one of these (`PlausibleDateField` / `PlausibleDateTimeField`,
or the `Past…` variants for what has already happened: an intake, a handoff, a consent, the
end of support). A date is refused, with a Japanese message and nothing saved, when it lies
outside ``years_back`` years before today to ``years_ahead`` years after it, or after today
(after now) where ``past_only``: 「0001-01-01」, 「2999-01-01」 or a five-digit year never reach
the database, where PostgreSQL would keep them and SQLite would fail on them.

This is the one place where typed dates are read (``to_python``): a reading of 和暦
(令和6年4月1日) belongs here, for every form at once. No models here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise as _StrPromise
else:
    from django.utils.functional import Promise as _StrPromise


def _years_from(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class _Plausible:
    years_back = 30
    years_ahead = 5
    past_only = False
    future_message: str | _StrPromise = ""

    def _set_range(self, years_back: int | None, years_ahead: int | None, past_only: bool | None) -> None:
        if years_back is not None:
            self.years_back = years_back
        if years_ahead is not None:
            self.years_ahead = years_ahead
        if past_only is not None:
            self.past_only = past_only

    def date_range(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        return _years_from(today, -self.years_back), today if self.past_only else _years_from(
            today, self.years_ahead
        )

    def check_day(self, day: dt.date) -> None:
        earliest, latest = self.date_range()
        if self.past_only and day > latest:
            raise ValidationError(self.future_message or _("未来の日付は入力できません。"), code="future")
        if not earliest <= day <= latest:
            raise ValidationError(
                _("%(first)s から %(last)s までの日付を入力してください。")
                % {"first": earliest.isoformat(), "last": latest.isoformat()},
                code="implausible",
            )


class PlausibleDateField(_Plausible, forms.DateField):
    """A date from ``years_back`` years ago to ``years_ahead`` years ahead (today at the latest
    with ``past_only``); the browser's date picker gets the same range (min/max)."""

    def __init__(
        self,
        *,
        years_back: int | None = None,
        years_ahead: int | None = None,
        past_only: bool | None = None,
        future_message: str | _StrPromise = "",
        **kwargs: Any,
    ) -> None:
        self._set_range(years_back, years_ahead, past_only)
        self.future_message = future_message or self.future_message
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        try:
            return super().to_python(value)
        except (OverflowError, ValueError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            self.check_day(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.DateInput) and getattr(widget, "input_type", "") == "date":
            earliest, latest = self.date_range()
            attrs |= {"min": earliest.isoformat(), "max": latest.isoformat()}
        return attrs


class PastDateField(PlausibleDateField):
    """A date of something that has already happened: today or before, 30 years at most."""

    past_only = True


class PlausibleDateTimeField(_Plausible, forms.DateTimeField):
    """A date and time in the same range, read as wall-clock time in Asia/Tokyo; compared as
    such, so a year-1 value is refused rather than overflowing its conversion to UTC."""

    years_back = 1
    years_ahead = 1

    def __init__(
        self,
        *,
        years_back: int | None = None,
        years_ahead: int | None = None,
        past_only: bool | None = None,
        **kwargs: Any,
    ) -> None:
        self._set_range(years_back, years_ahead, past_only)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.datetime | None:
        try:
            return super().to_python(value)
        except (OverflowError, ValueError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        self.check_day(value.date())  # the wall-clock date, without converting the time zone
        if self.past_only and value > timezone.now():
            raise ValidationError(_("未来の日時は入力できません。"), code="future")


class PastDateTimeField(PlausibleDateTimeField):
    past_only = True
