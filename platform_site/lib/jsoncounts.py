"""Counting the keys and values of a JSON-object column in one query (SQLite json_each, PostgreSQL
jsonb_each), for tables that keep a row's variable answers as {code: value}.

`json_value_counts(queryset, "own")` → {(key, value): rows}; string values are counted under
the key only (value None), so free text does not make one group per answer.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

TEXT = None  # the value under which string answers are counted


def json_value_counts(queryset: QuerySet, field: str) -> dict[tuple[str, Any], int]:
    inner, params = queryset.values(field).query.sql_with_params()
    column = connection.ops.quote_name(field)
    if connection.vendor == "postgresql":
        sql = (
            "SELECT j.key, CASE WHEN jsonb_typeof(j.value) = 'string' THEN NULL ELSE j.value #>> '{}' END AS v, "
            f"COUNT(*) FROM ({inner}) AS r, jsonb_each(r.{column}) AS j GROUP BY 1, 2"
        )
    else:
        sql = (
            "SELECT j.key, CASE WHEN j.type = 'text' THEN NULL ELSE j.atom END AS v, "
            f"COUNT(*) FROM ({inner}) AS r, json_each(r.{column}) AS j GROUP BY 1, 2"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(key, value): n for key, value, n in cursor.fetchall()}
