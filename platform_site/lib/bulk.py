"""The fast bulk writer: multi-row INSERTs of ready database values (COPY on PostgreSQL).

For imports of 10,000s of rows inside one transaction, where `bulk_create` per object is too
slow. The caller prepares database values (`Field.get_db_prep_save`) and writes its own audit
rows: nothing here calls `save()` or sends signals.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection


def chunks(ids: list[int], size: int = 900) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def insert_rows(
    model: Any, columns: list[str], rows: list[tuple[Any, ...]], *, returning: bool = False
) -> list[Any]:
    """Multi-row INSERTs of ready database values, up to ~30,000 parameters a statement (SQLite
    allows 32,766, PostgreSQL 65,535). With ``returning``, the new ids in VALUES order: RETURNING
    (PostgreSQL, SQLite ≥ 3.35) may list rows in any order, but ids are drawn in VALUES order
    within one statement, so sorting them restores it.
    """
    if connection.vendor == "postgresql":
        return copy_rows(model, columns, rows, returning=returning)
    quote = connection.ops.quote_name
    limit = min(connection.features.max_query_params or 30_000, 30_000)
    size = max(1, min(1000, limit // max(1, len(columns))))
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    )
    tail = f" RETURNING {quote(model._meta.pk.column)}" if returning else ""
    one = "({})".format(", ".join(["%s"] * len(columns)))
    ids: list[Any] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(
                head + ", ".join([one] * len(batch)) + tail, [value for row in batch for value in row]
            )
            ids += sorted(pk for (pk,) in cursor.fetchall()) if returning else []
    return ids


def copy_rows(model: Any, columns: list[str], rows: list[tuple[Any, ...]], *, returning: bool) -> list[Any]:
    """PostgreSQL: COPY … FROM STDIN (psycopg 3), several times faster than INSERTs for 10,000s
    of rows. New ids are drawn from the table's sequence first, so they are known in row order."""
    quote, table, pk = connection.ops.quote_name, model._meta.db_table, model._meta.pk.column
    ids: list[Any] = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, len(rows)],
            )
            ids = [new_id for (new_id,) in cursor.fetchall()]
            columns, rows = [pk, *columns], [(new_id, *row) for new_id, row in zip(ids, rows, strict=True)]
        with cursor.cursor.copy(
            f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
    return ids
