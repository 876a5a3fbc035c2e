"""Columns and widgets for django-import-export Resources of Japanese spreadsheets.

A `Column` is the library's `Field` with a Japanese header and a flag for headers the file must
have. The widgets are thin adapters over `platform_site.lib.cells`: `clean` reads a cell (or
raises a `CellError`, which the library records as that row's field error), `render` writes the
value back in the form `clean` reads, so an export imports unchanged. No models here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.db import models
from django.db.models.manager import Manager
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import Widget

from . import cells
from .cells import CellError


class Column(Field):
    """One spreadsheet column: the model attribute (``membership__status`` follows a related
    object), the header as it is written in the file, the widget, and whether the header is
    required (a file without it is refused before any row is read)."""

    def __init__(self, attribute: str, header: str, widget: Widget, *, required: bool = False) -> None:
        super().__init__(attribute=attribute, column_name=header, widget=widget)
        self.required = required
        *self.path, self.name = attribute.split("__")

    # The library's Field.clean/save, without what a Column never uses (defaults, read-only
    # columns, m2m): an import of 10,000 rows calls each 260,000 times.
    def clean(self, row: Mapping[str, Any], **kwargs: Any) -> Any:
        return self.widget.clean(row[self.column_name], row=row, **kwargs)

    def save(self, instance: Any, row: Mapping[str, Any], is_m2m: bool = False, **kwargs: Any) -> None:
        for step in self.path:
            instance = getattr(instance, step)
        setattr(instance, self.name, self.widget.clean(row[self.column_name], row=row, **kwargs))

    def get_value(self, instance: Any) -> Any:
        """The library's, without splitting the attribute again for every cell of an export."""
        value = instance
        for step in (*self.path, self.name):
            value = getattr(value, step, None)
            if value is None:
                return None
        return value() if callable(value) and not isinstance(value, Manager) else value


class ListColumn(Column):
    """A column whose cell holds a list (phone numbers, names of related objects). The list cannot
    be set on an unsaved object, so `save` keeps it in ``instance.import_lists[attribute]`` for
    the Resource's save step; on export the widget renders the related manager."""

    def save(self, instance: Any, row: Mapping[str, Any], is_m2m: bool = False, **kwargs: Any) -> None:
        lists = instance.__dict__.setdefault("import_lists", {})
        lists[self.attribute] = self.widget.clean(row[self.column_name], row=row, **kwargs)


class TextWidget(Widget):
    """Text: formulas and control characters refused, an export's neutralising quote undone,
    the length checked; ``required`` refuses a blank cell (with ``blank_message`` if given)."""

    def __init__(
        self, *, max_length: int | None = None, required: bool = False, blank_message: str | Promise = ""
    ) -> None:
        super().__init__(coerce_to_string=True)
        self.max_length, self.required, self.blank_message = max_length, required, blank_message

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        text = cells.unquote(cells.text(value))
        if self.max_length:
            cells.max_length(text, self.max_length)
        if self.required and not text:
            raise CellError(self.blank_message or _("が空欄です。"))
        return self.convert(text)

    def convert(self, text: str) -> Any:
        return text

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else str(value)


class KanaWidget(TextWidget):
    """A reading: hiragana and half-width kana are stored as full-width katakana."""

    def convert(self, text: str) -> str:
        return cells.kana(text, blank_message=self.blank_message)


class CorporateNumberWidget(TextWidget):
    def convert(self, text: str) -> str:
        return cells.corporate_number(text)


class URLWidget(TextWidget):
    def convert(self, text: str) -> str:
        return cells.url(text)


class EmailWidget(TextWidget):
    def convert(self, text: str) -> str:
        return cells.email(text)


class PostalCodeWidget(TextWidget):
    """Stored as 860-0001 (`cells.postal_code`); the length is the stored one's, so 「〒８６０－０００１」
    is not refused as too long."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        code = self.convert(cells.unquote(cells.text(value)))
        if self.max_length:
            cells.max_length(code, self.max_length)
        return code

    def convert(self, text: str) -> str:
        return cells.postal_code(text)


class IntegerWidget(TextWidget):
    """A whole number ≥ ``minimum`` (full-width digits allowed); blank is ``default``."""

    def __init__(self, *, minimum: int = 0, default: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum, self.default = minimum, default

    def convert(self, text: str) -> int | None:
        number = cells.integer(text, minimum=self.minimum)
        return self.default if number is None else number


class BooleanWidget(Widget):
    """○ or blank (はい/いいえ, 1/0, true/false… are read too); written as ○ or blank."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        return cells.boolean(cells.unquote(cells.text(value)))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return cells.render_boolean(value)


class DateWidget(Widget):
    """Excel dates, Western and 和暦 dates (see `cells.date`); written as YYYY-MM-DD."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return cells.date(value)
        return cells.date(cells.unquote(cells.text(value)))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return cells.render_date(value)


class ChoiceWidget(Widget):
    """A choice by its label (参加) or its code (member); written as the label. A blank cell is
    refused when ``required``, else read as ``default``."""

    def __init__(self, choices: type[models.Choices], *, required: bool = False, default: str = "") -> None:
        super().__init__(coerce_to_string=True)
        self.labels = {str(c.label): str(c.value) for c in choices}
        self.label_of = {code: label for label, code in self.labels.items()}
        self.required, self.default = required, default

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = cells.unquote(cells.text(value))
        if not text:
            if self.required:
                raise CellError(
                    _("が空欄です（%(labels)s のどれかを入れてください）。")
                    % {"labels": "・".join(self.labels)}
                )
            return self.default
        return cells.choice(text, self.labels)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return self.label_of.get(value, value or "")


class PhonesWidget(Widget):
    """「096-000-0000（LINE相談も可）; 050-000-0000」 ↔ [(number, note), …]; renders a related
    manager of objects with ``number`` and ``note`` too."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[tuple[str, str]]:
        return cells.phones(cells.unquote(cells.text(value), phone=True))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        if hasattr(value, "all"):
            value = [(phone.number, phone.note) for phone in value.all()]
        return cells.format_phones(value)


class NamesWidget(Widget):
    """A list of related objects by name (「孤独・孤立、生活に困窮」). The Resource loads the names
    it accepts into ``choices`` (name → object) before the rows; ``casefold`` also accepts codes
    in any case (EN for en). Every unknown name of the cell is named in the message; ``hint`` says
    what to use instead. Renders the objects' ``attribute`` joined by 、."""

    def __init__(self, *, hint: str | Promise, attribute: str = "name", casefold: bool = False) -> None:
        super().__init__(coerce_to_string=True)
        self.hint, self.attribute, self.casefold = hint, attribute, casefold
        self.choices: Mapping[str, Any] = {}

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[Any]:
        found, unknown = [], []
        for name in cells.names(cells.unquote(cells.text(value)), known=self.choices):
            item = self.choices.get(name) or (self.choices.get(name.lower()) if self.casefold else None)
            if item is None:
                unknown.append(f"「{name}」")
            elif item not in found:
                found.append(item)
        if unknown:
            raise CellError(
                _("の%(names)sはありません（%(hint)sを使ってください）。")
                % {"names": "".join(unknown), "hint": self.hint}
            )
        return found

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        items = value.all() if hasattr(value, "all") else value
        return cells.LIST_SEPARATOR.join(getattr(item, self.attribute) for item in items)


class LookupWidget(Widget):
    """A foreign key by one of the related model's fields (a platform by its slug). A blank cell
    is refused: such columns are keys. ``queryset`` may narrow what can be named."""

    def __init__(
        self, model: type[models.Model], field: str, queryset: Callable[[], Any] | None = None
    ) -> None:
        super().__init__(coerce_to_string=True)
        self.model, self.field, self.queryset = model, field, queryset

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        text = cells.unquote(cells.text(value))
        if not text:
            raise CellError(_("が空欄です。"))
        found = (self.queryset() if self.queryset else self.model._default_manager).filter(
            **{self.field: text}
        )
        item = found.first()
        if item is None:
            raise CellError(_("はありません。"))
        return item

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(getattr(value, self.field))
