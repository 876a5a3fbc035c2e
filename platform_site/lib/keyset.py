"""Keyset pagination: "the next 50 after this row", with no OFFSET and no COUNT(*).

Each page is one query, whatever page it is: ``WHERE (a < x) OR (a = x AND pk < y)
ORDER BY a DESC, pk DESC LIMIT size + 1`` walks an index such as ``(platform, -a, -id)``.
OFFSET would read and drop every earlier row, so the 2,000th page of a 100,000-case ledger would
cost 2,000 times the first.

The cursor is opaque: the last row's sort values (timestamps, dates, integer ids — never text,
so no name or other personal data ends up in a URL, a log or a browser history), signed with the
site's key and the sort order. A cursor that was edited, comes from another list or no longer
verifies gives the first page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import models
from django.db.models import Q, QuerySet

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MAX_ID = 2**63 - 1  # the largest id a database column can hold
_SALT = "platform_site.lib.keyset"


@dataclass
class Page:
    rows: list[Any]
    next_cursor: str | None  # None on the last page


@dataclass(frozen=True)
class _Key:
    name: str  # model field name; "pk" is the primary key
    descending: bool
    kind: str  # "datetime", "date" or "int"


def keyset_page(queryset: QuerySet, *, order: Sequence[str], cursor: str | None, size: int) -> Page:
    """One page of ``queryset`` in ``order`` (e.g. ``["-updated_at"]``), starting after ``cursor``.

    The primary key is added as the last sort field when missing, so rows that tie on the other
    fields keep one stable order and none is skipped or shown twice. Sort fields must be
    non-null date, time-stamp or integer fields of the model itself.
    """
    if size < 1:
        raise ValueError("a page holds at least one row")
    keys = _keys(queryset.model, order)
    after = _decode_cursor(queryset.model, keys, cursor)
    if after is not None:
        queryset = queryset.filter(_after(keys, after))
    ordering = [f"-{k.name}" if k.descending else k.name for k in keys]
    rows = list(queryset.order_by(*ordering)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    last = [getattr(rows[-1], k.name) for k in keys] if more else None
    next_cursor = _encode_cursor(queryset.model, keys, last) if last else None
    return Page(rows=rows, next_cursor=next_cursor)


def _keys(model: type[models.Model], order: Sequence[str]) -> list[_Key]:
    if not order:
        raise ValueError("keyset pages need a sort order")
    keys = []
    for spec in order:
        name = spec.removeprefix("-")
        if "__" in name:
            raise ValueError(f"{spec!r}: keyset fields are the model's own fields")
        field = model._meta.pk if name in ("pk", model._meta.pk.name) else model._meta.get_field(name)
        if not isinstance(field, models.Field) or field.null:
            raise ValueError(f"{spec!r}: keyset fields are the model's own non-null fields")
        if isinstance(field, models.DateTimeField):
            kind = "datetime"
        elif isinstance(field, models.DateField):
            kind = "date"
        elif isinstance(field, models.IntegerField):  # AutoField and BigAutoField too
            kind = "int"
        else:  # text could be a name: it must never travel in a cursor
            raise ValueError(f"{spec!r}: keyset fields are dates, time stamps or integers")
        keys.append(_Key("pk" if field.primary_key else name, spec.startswith("-"), kind))
    if keys[-1].name != "pk":
        if any(k.name == "pk" for k in keys):
            raise ValueError("the primary key must be the last sort field")
        keys.append(_Key("pk", keys[-1].descending, "int"))
    return keys


def _after(keys: list[_Key], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in the order: (a > x) | (a = x & b > y) | …"""
    condition = Q()
    for i, key in enumerate(keys):
        ties = {k.name: v for k, v in zip(keys[:i], values[:i], strict=True)}
        step = Q(**ties, **{f"{key.name}__{'lt' if key.descending else 'gt'}": values[i]})
        condition = step if i == 0 else condition | step
    return condition


def _signer(model: type[models.Model], keys: list[_Key]) -> signing.Signer:
    """Bound to the list's model and order: a cursor copied onto another list gives its first page."""
    order = ",".join(("-" if k.descending else "") + k.name for k in keys)
    return signing.Signer(salt=f"{_SALT}:{model._meta.label}:{order}")


def _encode_cursor(model: type[models.Model], keys: list[_Key], values: list[Any]) -> str:
    numbers = []
    for key, value in zip(keys, values, strict=True):
        if key.kind == "datetime":
            delta = value - _EPOCH
            numbers.append((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)
        elif key.kind == "date":
            numbers.append(value.toordinal())
        else:
            numbers.append(int(value))
    return _signer(model, keys).sign(".".join(str(n) for n in numbers))


def _decode_cursor(model: type[models.Model], keys: list[_Key], raw: str | None) -> list[Any] | None:
    """The sort values a page starts after; None (the first page) for none or a bad cursor."""
    if not raw:
        return None
    try:
        numbers = [int(n) for n in _signer(model, keys).unsign(raw).split(".")]
        if len(numbers) != len(keys):
            return None
        values: list[Any] = []
        for key, number in zip(keys, numbers, strict=True):
            if key.kind == "datetime":
                values.append(_EPOCH + dt.timedelta(microseconds=number))
            elif key.kind == "date":
                values.append(dt.date.fromordinal(number))
            elif key.name == "pk" and not 0 < number <= MAX_ID:
                return None
            else:
                values.append(number)
    except (signing.BadSignature, ValueError, OverflowError):
        return None
    return values
