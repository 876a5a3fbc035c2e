"""What an import did or would do, for the preview screen and the command: the library's
`Result` of the dry run (or of the save), with the rows sorted into new, changed and unchanged."""

from __future__ import annotations

from typing import Any

from import_export.results import RowResult

from platform_site.lib.sheets import SheetResult, SheetRowResult

from ..resources import OrganisationResource

# History keys (``hours``, ``phones``, ``membership.status``) → the column headers.
HEADER_OF = {
    field.attribute.replace("membership__", "membership."): field.column_name
    for field in OrganisationResource.fields.values()
}


class ImportResult(SheetResult):
    @property
    def creates(self) -> list[SheetRowResult]:
        return self.rows_of(RowResult.IMPORT_TYPE_NEW)

    @property
    def updates(self) -> list[SheetRowResult]:
        return self.rows_of(RowResult.IMPORT_TYPE_UPDATE)

    @property
    def unchanged(self) -> list[SheetRowResult]:
        return self.rows_of(RowResult.IMPORT_TYPE_SKIP)


def changed_columns(row: SheetRowResult) -> str:
    """「受付時間、電話番号」: the columns a row changes, by their headers."""
    return "、".join(HEADER_OF.get(key, key) for key in row.changes)


def _shown(value: Any, limit: int = 80) -> str:
    """A value of the history as a clerk reads it: blank, a list joined, a long text cut short."""
    if value in (None, "", []):
        return "（空欄）"
    if isinstance(value, bool):
        return "○" if value else "（空欄）"
    if isinstance(value, list | tuple):
        value = "、".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def field_changes(row: SheetRowResult) -> list[tuple[str, str, str]]:
    """(column header, old, new) for each column a row changes: the preview's 「旧 → 新」."""
    return [
        (HEADER_OF.get(key, key), _shown(old_new[0]), _shown(old_new[1]))
        for key, old_new in row.changes.items()
        if isinstance(old_new, list | tuple) and len(old_new) == 2
    ]


def plan_summary(result: ImportResult) -> dict[str, Any]:
    creates, updates = result.creates, result.updates
    return {
        "rows": result.row_count,
        "created": len(creates),
        "updated": len(updates),
        "unchanged": len(result.unchanged),
        "created_names": [r.name for r in creates],
        "updated_rows": [(r.name, changed_columns(r)) for r in updates],
        "updated_changes": [(r.name, field_changes(r)) for r in updates[:200]],
    }
