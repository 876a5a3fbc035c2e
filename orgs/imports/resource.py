"""`OrganisationImport`: the registry's Resource (`orgs.resources.OrganisationResource`) with its
import hooks — the entry point of every registry import, dry run (the preview) or not.

Each row goes through django-import-export's ``import_row``: the `Matcher` (instance loader)
finds the organisation the row means, the columns' widgets read every cell onto it and its
membership, `check_row` adds the rules of the whole row and computes what it changes, an
unchanged row is skipped. With ``use_bulk`` and no ``batch_size`` the library only collects the
rows; its bulk hooks are our save step (`orgs.imports.save`), which writes nothing on a dry run or
when any row is wrong. ``skip_diff``: the library's per-row copy and HTML diff are not made; the
field diff comes from `orgs.imports.checks`, as the history needs it anyway.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.utils import timezone
from import_export.results import RowResult
from tablib import Dataset

from platform_site.lib import cells
from platform_site.lib.cells import CellError
from platform_site.lib.columns import ListColumn
from platform_site.models import Platform

from .. import pipeline
from ..models import Membership, Organisation
from ..pipeline import Period
from ..resources import OrganisationResource
from ..searchtext import search_text_refresh
from .checks import RowValues, Seen, diff, snapshot
from .match import Existing, Lookups, Matcher
from .periods import EarlierSheet, left_without_joining, row_periods, row_roles
from .preview import ImportResult
from .save import save_creates, save_history, save_updates

LIST_KEYS = ("worry_categories", "activity_fields", "languages")
# The columns whose cells are stored in one form however they are written (cells' normalisers).
NORMALISED = ("phones", "postal_code", "corporate_number", "verified_on", "joined_on", "left_on")
MEMBERSHIP = "membership__"


class OrganisationImport(OrganisationResource):
    """Import of one platform's registry; ``lock`` when saving (the rows are planned again
    under row locks, so what is saved is checked against the database as it is then)."""

    class Meta:
        model = Organisation
        instance_loader_class = Matcher
        use_bulk = True
        batch_size = None  # hold every row until all are read: nothing is written unless all are good
        skip_diff = True
        use_transactions = True
        store_instance = True

    def __init__(
        self,
        *,
        platform: Platform,
        actor: Any = None,
        actor_label: str = "",
        lock: bool = False,
        earlier: Dataset | None = None,
    ) -> None:
        super().__init__()
        self.platform, self.actor, self.actor_label, self.lock = platform, actor, actor_label, lock
        self.earlier_sheet = EarlierSheet.read(earlier) if earlier is not None else None
        self.ambiguous = ""  # why the current row's organisation could not be told (Matcher.find)
        self.before = RowValues()  # the current row's organisation as it was

    @classmethod
    def get_result_class(cls) -> type[ImportResult]:
        return ImportResult

    # --- before the rows ------------------------------------------------------------------

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        lookups = Lookups.load(self.platform)
        for key in LIST_KEYS:
            self.fields[key].widget.choices = getattr(lookups, key)
        self.by_id = {key: {o.pk: o for o in getattr(lookups, key).values()} for key in LIST_KEYS}
        self.existing = Existing.load(self.platform, lock=self.lock)
        self.seen = Seen()
        headers = set(dataset.headers or [])
        self.all_columns = self._kinds([c for c in self.columns() if not isinstance(c, ListColumn)])
        self.present = self._kinds([c for c in self.columns() if c.column_name in headers])
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.sheet_problems = list(self.earlier_sheet.problems) if self.earlier_sheet else []
        if self.earlier_sheet is not None:
            refs, names = set(), set()
            for row in dataset.dict:
                keys = self.keys(row)
                refs.add(keys.get("ref", ""))
                names.add(keys.get("name", ""))
            self.sheet_problems += self.earlier_sheet.unmatched(refs, names)

    def import_data(self, dataset: Dataset, *args: Any, **kwargs: Any) -> Any:
        """The library's import; the second sheet's problems are the result's too (listed after
        the main sheet's)."""
        self.sheet_problems = []
        result = super().import_data(dataset, *args, **kwargs)
        if self.sheet_problems:
            result.add_problems(self.sheet_problems)
        return result

    # --- each row -------------------------------------------------------------------------

    def keys(self, row: dict[str, Any]) -> dict[str, str]:
        """The cells an organisation is matched by, as read (a cell that cannot be read is no key)."""
        found = {}
        for name in ("ref", "corporate_number", "name"):
            column = self.fields[name]
            if column.column_name in row:
                try:
                    found[name] = column.clean(row)
                except CellError:
                    pass
        return found

    def get_or_init_instance(
        self, instance_loader: Matcher, row: dict[str, Any]
    ) -> tuple[Organisation, bool]:
        org, self.ambiguous = instance_loader.find(self.keys(row))
        new = org is None
        if org is None:
            org = Organisation()
            org.membership = Membership(platform=self.platform)
            org.membership.leave_reason = ""
        else:
            org.membership = self.existing.memberships[org.pk]
        org.import_lists, org.import_changes = {}, {}
        self.before = RowValues() if new else self._values(org, self.all_columns)
        return org, new

    @staticmethod
    def _kinds(columns: list[Any]) -> list[tuple[str, str, str]]:
        """(kind, attribute, name) of each column: an organisation field, a list or a membership field."""
        return [
            (
                "list"
                if isinstance(c, ListColumn)
                else "member"
                if c.attribute.startswith(MEMBERSHIP)
                else "org",
                c.attribute,
                c.attribute.removeprefix(MEMBERSHIP),
            )
            for c in columns
        ]

    def _values(
        self, org: Organisation, kinds: list[tuple[str, str, str]], failed: Collection[str] = ()
    ) -> RowValues:
        """The organisation's values in these columns (the lists as the row gave them)."""
        values = RowValues()
        member = org.membership
        for kind, attribute, name in kinds:
            if attribute in failed:
                continue
            if kind == "org":
                values.values[attribute] = getattr(org, attribute)
            elif kind == "member":
                values.membership[name] = getattr(member, name)
            elif attribute in org.import_lists:
                values.lists[attribute] = org.import_lists[attribute]
        return values

    def check_row(
        self, instance: Organisation, row: dict[str, Any], *, line: int, failed: set[str]
    ) -> list[str]:
        values = self._values(instance, self.present, failed)
        existing = instance if instance.pk else None
        problems = [self.ambiguous] if self.ambiguous else []
        problems += self.seen.check(line, values, existing, self.existing)
        if not failed:
            problems += self._check_periods(instance, values)
        if not problems and not failed:
            instance.import_changes = (
                diff(instance.pk, values, self.before, self.existing, self.by_id)
                if existing
                else snapshot(values)
            ) | self._period_changes(instance)
        return problems

    def _check_periods(self, org: Organisation, values: RowValues) -> list[str]:
        """The pipeline's rules on the row (orgs.pipeline): the move from the stored status, and
        the periods the row ends with (`orgs.imports.periods`); sets ``org.import_periods``."""
        member, given, before = org.membership, values.membership, self.before.membership
        defaults = {f: getattr(member, f) for f in ("status", "is_core", "pf_role")} if not org.pk else {}

        def value(name: str, default: Any = None) -> Any:
            return given.get(name, before.get(name, defaults.get(name, default)))

        status = value("status")
        joined, left, reason = value("joined_on"), value("left_on"), value("leave_reason", "") or ""
        problems = []
        if org.pk and (move := pipeline.move_problem(before["status"], status)):
            problems.append(move)
        if declined := left_without_joining(status, joined, left):
            problems.append(declined)
        stored = self.existing.periods.get(member.pk, []) if member.pk else []
        earlier = (
            self.earlier_sheet.for_row(values.values.get("ref", ""), values.name)
            if self.earlier_sheet is not None
            else None
        )
        current = Period(joined, left, reason if left else "") if joined else None
        periods, found = row_periods(
            status=status, current=current, earlier=earlier, stored=stored, today=self.today
        )
        roles = row_roles(
            stored=self.existing.roles.get(member.pk, []) if member.pk else [],
            periods=periods,
            pf_role=value("pf_role"),
            is_core=value("is_core"),
            today=self.today,
        )
        org.import_periods = (
            stored,
            periods,
            self.existing.roles.get(member.pk, []) if member.pk else [],
            roles,
        )
        return problems + found

    @staticmethod
    def _period_changes(org: Organisation) -> dict[str, list[Any]]:
        stored, periods, stored_roles, roles = org.import_periods
        changes: dict[str, list[Any]] = {}
        if stored != periods:
            changes["membership.periods"] = [
                pipeline.texts(stored) if org.pk else None,
                pipeline.texts(periods),
            ]
        if stored_roles != roles:
            changes["membership.role_periods"] = [
                pipeline.texts(stored_roles) if org.pk else None,
                pipeline.texts(roles),
            ]
        return changes

    def skip_row(
        self, instance: Organisation, original: Any, row: Any, import_validation_errors: Any = None
    ) -> bool:
        """An existing organisation the row leaves as it is: counted as unchanged, not saved."""
        return not import_validation_errors and instance.pk is not None and not instance.import_changes

    def after_import_row(self, row: Any, row_result: RowResult, **kwargs: Any) -> None:
        row_result.changes = row_result.instance.import_changes
        if row_result.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            row_result.readings = self.readings(row)

    def readings(self, row: dict[str, Any]) -> list[tuple[str, str, str]]:
        """(header, as written, as stored) for each normalised cell of a good row whose written
        text is not what is stored: 「R6.4.1」 → 「2024-04-01」, 「〒８６０－０００１」 → 「860-0001」,
        「０９６－１２３－４５６７ 内線１２」 → 「096-123-4567（内線12）」 (the preview shows them)."""
        found = []
        for name in NORMALISED:
            column = self.fields[name]
            if column.column_name not in row:
                continue
            written = cells.text(row[column.column_name])
            stored = str(column.widget.render(column.clean(row)))
            if written and written != stored:
                found.append((column.column_name, written, stored))
        return found

    # --- the save step (the library's bulk hooks) -----------------------------------------

    def _saving(self, dry_run: bool, result: Any) -> bool:
        return (
            not dry_run
            and not self.sheet_problems
            and not result.has_errors()
            and not result.has_validation_errors()
        )

    def bulk_create(
        self,
        using_transactions: bool,
        dry_run: bool,
        raise_errors: bool,
        batch_size: Any = None,
        result: Any = None,
    ) -> None:
        try:
            if self.create_instances and self._saving(dry_run, result):
                save_creates(self.create_instances, now=self.now)
                self._history(self.create_instances, created=True)
                search_text_refresh(ids=[org.pk for org in self.create_instances])
        finally:
            self.create_instances.clear()

    def bulk_update(
        self,
        using_transactions: bool,
        dry_run: bool,
        raise_errors: bool,
        batch_size: Any = None,
        result: Any = None,
    ) -> None:
        try:
            if self.update_instances and self._saving(dry_run, result):
                save_updates(self.update_instances, platform=self.platform, now=self.now)
                self._history(self.update_instances, created=False)
                search_text_refresh(ids=[org.pk for org in self.update_instances])
        finally:
            self.update_instances.clear()

    def _history(self, orgs: list[Organisation], *, created: bool) -> None:
        save_history(
            orgs,
            created=created,
            platform=self.platform,
            actor=self.actor,
            actor_label=self.actor_label,
            now=self.now,
        )
