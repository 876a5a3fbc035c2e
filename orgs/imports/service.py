"""Importing the registry from Excel (XLSX) or CSV: the two calls the screens and the command make.

pretix's import steps without the mapping screen (our columns are fixed, see orgs.resources):
read the file in memory (the registry sheet, and the earlier membership periods' sheet when the
workbook has one) → check **all** rows, collecting every problem with its row number →
preview (`import_plan`, the Resource's dry run) → save in **one** transaction (`import_apply`),
which plans again under row locks, so what is saved is checked against the database as it is
then.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from platform_site.lib.formats import read_dataset, read_sheet
from platform_site.lib.tabular import ImportRejected
from platform_site.models import Platform

from ..resources import EARLIER_SHEET
from .preview import ImportResult, shared_with
from .resource import OrganisationImport


def import_plan(*, platform: Platform, data: bytes, filename: str) -> ImportResult:
    """Read and check the whole file; say what would be created, updated or left as it is.

    Writes nothing. ``result.problems`` holds every problem found; a file that cannot be read
    at all raises ImportRejected.
    """
    dataset, encoding = read_dataset(data, filename)
    earlier = read_sheet(data, filename, EARLIER_SHEET)
    result = OrganisationImport(platform=platform, earlier=earlier).import_data(dataset, dry_run=True)
    result.raise_unexpected()
    result.encoding = encoding
    shared_with(result, platform=platform)
    return result


@transaction.atomic
def import_apply(
    *, platform: Platform, actor: Any, data: bytes, filename: str, actor_label: str = ""
) -> ImportResult:
    """Save the whole file or nothing. Raises ImportRejected with every problem when any row is
    wrong; nothing is written then.

    One import of a platform's registry at a time: the platform's row is locked first, so a
    second import confirmed at the same moment waits, then plans against what the first saved
    (its new organisations are found, not created twice). On SQLite the IMMEDIATE transaction
    does the same (settings.py)."""
    Platform.objects.select_for_update(no_key=True).filter(pk=platform.pk).first()
    dataset, encoding = read_dataset(data, filename)
    earlier = read_sheet(data, filename, EARLIER_SHEET)
    resource = OrganisationImport(
        platform=platform, actor=actor, actor_label=actor_label, lock=True, earlier=earlier
    )
    result = resource.import_data(dataset, dry_run=False, use_transactions=True)
    result.raise_unexpected()
    if result.problems:
        raise ImportRejected(result.problems)
    result.encoding = encoding
    return result
