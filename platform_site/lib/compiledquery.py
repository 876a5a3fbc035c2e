"""A query asked on every request, built and compiled by the ORM once per process.

Building a QuerySet with several subqueries and compiling it to SQL costs Python time on every
call (≈1.5 ms for the public directory's version, two thirds of a page served from the page
cache), although only its arguments change. `CompiledValues(build)` calls ``build`` once per
database with sentinel arguments, keeps the SQL Django made and where each sentinel sits among
its parameters, and then runs that SQL with the real arguments, through the connection's
cursor (so it is logged and counted like any query) and with the ORM's converters for each
column (SQLite's text dates become datetimes as in the QuerySet itself).

Only for a ``values_list()`` query whose shape does not depend on its arguments: each argument
must reach the SQL as a parameter (a string compared in a WHERE clause, for instance), which
`first()` checks when it compiles.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]  # (parameter index, argument index)
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]  # (column, converters, expression)


class CompiledValues:
    def __init__(self, model: type[Model], build: Callable[..., QuerySet[Any, Any]], arity: int = 1) -> None:
        self.model = model
        self.build = build
        self.arity = arity
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, using: str) -> _Compiled:
        sentinels = [f"\x00compiled-query-argument-{i}\x00" for i in range(self.arity)]
        qs = self.build(*sentinels)
        compiler = qs.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = tuple((i, sentinels.index(p)) for i, p in enumerate(params) if p in sentinels)
        if sorted({arg for _i, arg in slots}) != list(range(self.arity)) or any(s in sql for s in sentinels):
            raise ValueError("every argument must reach the SQL as a parameter")
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = tuple(
            (pos, tuple(convs), expression)
            for pos, (convs, expression) in compiler.get_converters(fields).items()
        )
        return _Compiled(sql, tuple(params), slots, converters)

    def first(self, *args: Any) -> tuple[Any, ...] | None:
        """The first row for these arguments (``build`` orders and slices: ``[:1]``), or None."""
        if len(args) != self.arity:
            raise TypeError(f"expected {self.arity} arguments")
        using = router.db_for_read(self.model)
        compiled = self._compiled.get(using)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(using) or self._compiled.setdefault(using, self._compile(using))
        params = list(compiled.params)
        for index, arg in compiled.slots:
            params[index] = args[arg]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for pos, convs, expression in compiled.converters:
            value = values[pos]
            for converter in convs:
                value = converter(value, expression, connection)
            values[pos] = value
        return tuple(values)
