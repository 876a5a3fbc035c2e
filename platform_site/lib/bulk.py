"""The fast bulk writer: multi-row INSERTs of ready database values (COPY on PostgreSQL).

For imports of 10,000s of rows inside one transaction, where `bulk_create` and `bulk_update` are
too slow: `insert_objects` / `update_objects` take model instances, `insert_rows` ready database
values. Nothing here calls `save()` or sends signals: the caller writes its own audit rows.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, connections, models

# Fields whose Python value is already the database value (no get_db_prep_save needed).
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.ForeignKey,
)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk import.

    An import of 10,000 rows allocates objects for every cell and keeps the rows' objects until
    it ends, so each collection walks every live object again: a third of the import's time,
    measured. Reference counting still frees what goes out of use; the cycles an import makes
    are collected once it ends. (Process-wide; with threads, the first import to end turns it
    back on, which only costs time.)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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


def _db_rows(objs: Sequence[Any], now: dt.datetime) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and database values of new objects, as bulk_create would send them.

    Text, numbers and ids go as they are; dates and JSON through their field's
    get_db_prep_save; auto_now/auto_now_add fields get ``now``. This skips the SQL compiler's
    per-value work, which was most of the cost of importing 10,000 organisations.
    """
    fields = [f for f in type(objs[0])._meta.concrete_fields if not f.primary_key]
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objs:
                setattr(obj, f.attname, now)
    conn = connections[connection.alias]  # the connection itself: the proxy costs a lookup per use
    getters = [(f.attname, _prep(f, conn)) for f in fields]
    rows = [
        tuple(getattr(obj, name) if prep is None else prep(getattr(obj, name)) for name, prep in getters)
        for obj in objs
    ]
    return [f.column for f in fields], rows


def _prep(field: Any, conn: Any) -> Any:
    """How a field's value becomes a database value: None when it already is one; dates and
    times (the same few values on every row) are converted once per value."""
    if isinstance(field, _PLAIN_FIELDS):
        return None
    if not isinstance(field, models.DateField | models.DateTimeField | models.TimeField):
        return lambda value: field.get_db_prep_save(value, conn)
    done: dict[Any, Any] = {}

    def prep(value: Any) -> Any:
        if value not in done:
            done[value] = field.get_db_prep_save(value, conn)
        return done[value]

    return prep


def insert_objects(objs: Sequence[Any], *, now: dt.datetime, returning: bool = False) -> None:
    """bulk_create of unsaved model instances of one model, without save() or signals; with
    ``returning``, each object gets its new pk (and counts as saved)."""
    if not objs:
        return
    columns, rows = _db_rows(objs, now)
    ids = insert_rows(type(objs[0]), columns, rows, returning=returning)
    if not returning:
        return
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias


def update_objects(items: Iterable[tuple[Any, Sequence[str]]]) -> None:
    """UPDATE only the named fields of each object: one executemany per model and set of fields.

    Django's bulk_update writes every listed field through a CASE per row: for 10,000 rows
    that took a minute and 400 MB; this takes about a second.
    """
    groups: dict[tuple[Any, tuple[str, ...]], list[Any]] = {}
    for obj, names in items:
        groups.setdefault((type(obj), tuple(sorted(names))), []).append(obj)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for (model, names), objs in groups.items():
            meta = model._meta
            fields = [meta.get_field(name) for name in names]
            sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            preps = [None if isinstance(f, _PLAIN_FIELDS) else f.get_db_prep_save for f in fields]
            cursor.executemany(
                f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s",
                [
                    (
                        *(
                            getattr(o, f.attname) if p is None else p(getattr(o, f.attname), connection)
                            for f, p in zip(fields, preps, strict=True)
                        ),
                        o.pk,
                    )
                    for o in objs
                ],
            )
