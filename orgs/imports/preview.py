"""What an import did or would do, for the preview screen and the command: the library's
`Result` of the dry run (or of the save), with the rows sorted into new, changed and unchanged."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from import_export.results import RowResult

from platform_site.lib.sheets import SheetResult, SheetRowResult

from ..resources import OrganisationResource

# History keys (``hours``, ``phones``, ``membership.status``) → the column headers.
HEADER_OF = {
    field.attribute.replace("membership__", "membership."): field.column_name
    for field in OrganisationResource.fields.values()
} | {"membership.periods": _("参加期間"), "membership.role_periods": _("PFでの役割の期間")}


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
    return "、".join(str(HEADER_OF.get(key, key)) for key in row.changes)


def plan_summary(result: ImportResult) -> dict[str, Any]:
    creates, updates = result.creates, result.updates
    return {
        "rows": result.row_count,
        "created": len(creates),
        "updated": len(updates),
        "unchanged": len(result.unchanged),
        "created_names": [r.name for r in creates],
        "updated_rows": [(r.name, changed_columns(r)) for r in updates],
    }
