"""URL converters shared by the apps.

``<id:pk>`` is ``<int:pk>`` bounded to 18 digits: a longer number cannot be a row id (ids are
64-bit) and, looked up as one, made SQLite raise OverflowError (a 500, reachable by anyone who
types a long number into a URL, including the public directory's). It answers 404 instead.
Importing this module registers it.
"""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
