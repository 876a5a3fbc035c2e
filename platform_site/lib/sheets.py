"""The base Resource of every spreadsheet import: Japanese headers, row-numbered Japanese
messages, all or nothing.

`SheetResource` is a django-import-export `Resource` whose columns are `Column`s. On top of the
library's import it:

- matches the file's headers to the columns (full-width and half-width alike, any order; unknown
  columns are dropped) and refuses the file before any row is read when a required header is
  missing, one is given twice, or none is known;
- skips blank lines, and numbers the others as Excel does (the header is line 1);
- turns each cell's error into 「3行目: 法人番号「1234567890123」のチェックデジットが正しくありません。」
  and lets a subclass add problems of the whole row (`check_row`);
- always rolls back when any row is wrong (``rollback_on_validation_errors``), so a file goes
  in whole or not at all, in the admin too;
- pauses the cyclic garbage collector while it runs (`platform_site.lib.bulk.gc_paused`);
- gives a `SheetResult` whose ``problems`` list every problem in order, and which re-raises an
  unexpected exception (``raise_unexpected``) rather than showing it as a bad file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export.instance_loaders import ModelInstanceLoader
from import_export.resources import Resource
from import_export.results import Error, Result, RowResult
from tablib import Dataset

from . import cells
from .bulk import gc_paused
from .columns import Column
from .tabular import ImportRejected, ProblemList


def problem_text(line: int, header: str, raw: str, message: str) -> str:
    """「3行目: 法人番号「1234567890123」のチェックデジットが正しくありません。」 (long values cut)."""
    if not raw:
        return _("%(line)d行目: %(col)s%(error)s") % {"line": line, "col": header, "error": message}
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    return _("%(line)d行目: %(col)s「%(value)s」%(error)s") % {
        "line": line,
        "col": header,
        "value": shown,
        "error": message,
    }


def map_headers(dataset: Dataset, columns: Iterable[Column]) -> tuple[Dataset, list[str]]:
    """The dataset with its known columns only, under their declared headers; or the problems of
    the header line. Headers match after NFKC (「ＬＧＢＴＱ＋」 is 「LGBTQ+」)."""
    columns = list(columns)
    wanted = {unicodedata.normalize("NFKC", c.column_name): c.column_name for c in columns}
    positions: dict[str, int] = {}
    problems: list[str] = []
    for index, raw in enumerate(dataset.headers or []):
        title = wanted.get(unicodedata.normalize("NFKC", cells.text(raw)))
        if title is None:
            continue
        if title in positions:
            problems.append(_("1行目: 列「%(col)s」が2つあります。") % {"col": title})
        positions[title] = index
    if not positions:
        examples = [c.column_name for c in columns if c.required] or [c.column_name for c in columns]
        problems.append(
            _(
                "1行目の見出しに、知っている列名がひとつもありません。1行目が見出し（%(examples)s…）か、文字コード（UTF-8 または Shift_JIS/CP932）を確かめてください。"
            )
            % {"examples": "、".join(examples[:2])}
        )
        return dataset, problems
    problems += [
        _("1行目: 必須の列「%(col)s」がありません。") % {"col": c.column_name}
        for c in columns
        if c.required and c.column_name not in positions
    ]
    if problems:
        return dataset, problems
    keep = list(positions.values())
    body = [[row[i] for i in keep] for row in dataset]
    return Dataset(*body, headers=list(positions)), []


class KeyLoader(ModelInstanceLoader):
    """The library's loader by ``import_id_fields``; a key cell that cannot be read finds nothing,
    so the row goes on to report that cell's problem rather than fail as an unexpected error."""

    def get_instance(self, row: dict[str, Any]) -> Any:
        try:
            return super().get_instance(row)
        except cells.CellError:
            return None


class SheetRowResult(RowResult):
    """A row's result with its line in the file (blank lines have no import type) and, where the
    Resource computes them, what it changes (``{"field": [old, new]}``) and the cells it read
    differently from how they were written (``readings``: 「〒８６０－０００１」 → 「860-0001」)."""

    def __init__(self) -> None:
        super().__init__()
        self.line = 0
        self.changes: dict[str, list[Any]] = {}
        # (column header, as written, as stored) for each cell the import normalised
        self.readings: list[tuple[str, str, str]] = []

    @property
    def name(self) -> str:
        return self.object_repr or ""


class SheetResult(Result):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.encoding = ""

    def add_problems(self, problems: list[str]) -> None:
        """Problems of the whole file (headers, no data): recorded as the library's base error,
        so `has_errors()` holds and the admin shows them too."""
        self.append_base_error(Error(ImportRejected(problems)))

    @property
    def problems(self) -> ProblemList:
        """The problems, in Japanese: the file's first, then each wrong row's, in line order —
        the first ``IMPORT_MAX_PROBLEMS`` of them, ``.more`` counting the rest."""
        found = [p for e in self.base_errors if isinstance(e.error, ImportRejected) for p in e.error.problems]
        more = sum(e.error.problems.more for e in self.base_errors if isinstance(e.error, ImportRejected))
        problems = ProblemList(
            found + [message for row in self.invalid_rows for message in row.error.messages]
        )
        problems.total += more
        problems.more += more
        return problems

    @property
    def row_count(self) -> int:
        """Lines read (blank lines not counted)."""
        return sum(self.totals.values())

    def rows_of(self, import_type: str) -> list[SheetRowResult]:
        return [row for row in self.rows if row.import_type == import_type]

    def raise_unexpected(self) -> None:
        """Re-raise an exception the library caught that is not a problem of the file (a bug or a
        database error): it must not pass for a bad row."""
        for error in self.base_errors:
            if not isinstance(error.error, ImportRejected):
                raise error.error
        for row in self.rows:
            for error in row.errors:
                raise error.error


class SheetResource(Resource):
    """Base of the spreadsheet Resources: declare `Column`s, set ``Meta.model``; see above."""

    class Meta:
        instance_loader_class = KeyLoader

    @classmethod
    def get_result_class(cls) -> type[SheetResult]:
        return SheetResult

    @classmethod
    def get_row_result_class(cls) -> type[SheetRowResult]:
        return SheetRowResult

    @classmethod
    def get_display_name(cls) -> str:
        return str(cls._meta.model._meta.verbose_name) if cls._meta.model else cls.__name__

    def get_queryset(self) -> Any:
        return self._meta.model._default_manager.all()

    def init_instance(self, row: Any = None) -> Any:
        return self._meta.model()

    def columns(self) -> list[Column]:
        return [f for f in self.get_import_fields() if isinstance(f, Column)]

    def export_resource(self, instance: Any, selected_fields: Any = None, **kwargs: Any) -> list[Any]:
        """One row of an export, as the library's: each field's ``dehydrate_<name>`` method if the
        Resource has one, else its widget's rendering. The fields and methods are looked up once
        per export, not for every cell (the library searches the field list for each cell's name)."""
        key = tuple(selected_fields or ())
        plans: dict[tuple[Any, ...], list[tuple[Any, Any]]] = self.__dict__.setdefault("_export_plans", {})
        if key not in plans:
            plans[key] = []
            for field in self.get_export_fields(selected_fields):
                method = field.get_dehydrate_method(self.get_field_name(field))
                plans[key].append((field, method if callable(method) else getattr(self, method, None)))
        return [
            method(instance) if method else field.export(instance, **kwargs) for field, method in plans[key]
        ]

    def import_data(
        self,
        dataset: Dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = True,
        **kwargs: Any,
    ) -> SheetResult:
        """The library's import of the dataset, after its header line is checked; any wrong row
        rolls everything back (``rollback_on_validation_errors`` is forced on)."""
        mapped, problems = map_headers(dataset, self.columns())
        if problems:
            result = self.get_result_class()()
            result.add_problems(problems)
            return result
        self.file_columns = [c for c in self.columns() if c.column_name in mapped.headers]
        with gc_paused():
            result = super().import_data(
                mapped,
                dry_run=dry_run,
                raise_errors=raise_errors,
                use_transactions=use_transactions,
                collect_failed_rows=collect_failed_rows,
                rollback_on_validation_errors=True,
                **kwargs,
            )
        if not result.row_count and not result.has_errors():
            result.add_problems([_("見出し行のほかにデータの行がありません。")])
        return result

    def import_row(self, row: dict[str, Any], instance_loader: Any, **kwargs: Any) -> SheetRowResult:
        line = kwargs["row_number"] + 1
        if not any(cells.text(value) for value in row.values()):
            blank = self.get_row_result_class()()
            blank.line = line
            return blank
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.line = line
        return row_result

    def import_instance(self, instance: Any, row: dict[str, Any], **kwargs: Any) -> None:
        """Like the library's: each column of the file reads its cell onto the instance, and a
        cell that cannot be read is that column's error — here already the row-numbered message;
        `check_row` adds the row's own problems."""
        line = kwargs["row_number"] + 1
        errors: dict[str, list[str]] = {}
        for column in self.file_columns:  # our widgets need no keyword arguments (cheaper per cell)
            try:
                column.save(instance, row)
            except ValueError as exc:
                header = column.column_name
                errors[column.attribute] = [problem_text(line, header, cells.text(row.get(header)), str(exc))]
        problems = self.check_row(instance, row, line=line, failed=set(errors))
        if problems:
            errors[NON_FIELD_ERRORS] = [
                _("%(line)d行目: %(problem)s") % {"line": line, "problem": p} for p in problems
            ]
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance: Any, row: dict[str, Any], *, line: int, failed: set[str]) -> list[str]:
        """Problems of the row as a whole (duplicates, dates in the wrong order…), each a sentence
        without the line number; ``failed`` names the attributes whose cell could not be read."""
        return []
