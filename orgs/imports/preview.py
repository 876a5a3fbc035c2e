"""What an import did or would do, for the preview screen and the command: the library's
`Result` of the dry run (or of the save), with the rows sorted into new, changed and unchanged."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from import_export.results import RowResult

from platform_site.lib.sheets import SheetResult, SheetRowResult
from platform_site.models import Platform

from ..models import Membership
from ..resources import OrganisationResource
from .match import PLATFORM_SCOPED

# History keys (``hours``, ``phones``, ``membership.status``) → the column headers.
HEADER_OF = {
    field.attribute.replace("membership__", "membership."): field.column_name
    for field in OrganisationResource.fields.values()
} | {"membership.periods": _("参加期間"), "membership.role_periods": _("PFでの役割の期間")}


class ImportResult(SheetResult):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # organisation id → the other platforms it is a member of (`shared_with`)
        self.shared: dict[int, list[str]] = {}

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


def seen_elsewhere(row: SheetRowResult) -> bool:
    """Whether the row changes what every platform of the organisation sees: the entry itself,
    its phones and languages — not its membership here nor this platform's categories and fields."""
    return any(not key.startswith("membership.") and key not in PLATFORM_SCOPED for key in row.changes)


def shared_with(result: ImportResult, *, platform: Platform) -> None:
    """Note, for each organisation the file changes in a way other platforms see, the other
    platforms it is a member of (one query)."""
    ids = [r.instance.pk for r in result.updates if seen_elsewhere(r)]
    result.shared = {}
    for org_id, name in (
        Membership.objects.filter(organisation_id__in=ids)
        .exclude(platform=platform)
        .order_by("platform__name")
        .values_list("organisation_id", "platform__name")
    ):
        result.shared.setdefault(org_id, []).append(name)


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
        "updated_rows": [
            (r.name, changed_columns(r), "、".join(result.shared.get(r.instance.pk, []))) for r in updates
        ],
        "updated_changes": [
            (r.name, field_changes(r), "、".join(result.shared.get(r.instance.pk, []))) for r in updates[:200]
        ],
        "shared": sum(1 for r in updates if r.instance.pk in result.shared),
        # what was written and what is stored, for the cells read in another form (first 200 rows)
        "readings": [
            (r.name, r.readings) for r in sorted(creates + updates, key=lambda r: r.line) if r.readings
        ][:200],
    }
