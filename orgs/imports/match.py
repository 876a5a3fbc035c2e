"""What the database holds before an import, and which existing organisation a row means.

`Existing` is the platform's registry loaded once (organisations, memberships and their periods,
phones, lists),
under row locks when the import saves; `Lookups` are the names a row may use for categories,
fields and languages; `Matcher` is the Resource's instance loader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from import_export.instance_loaders import BaseInstanceLoader

from platform_site.models import Platform

from ..models import (
    ActivityField,
    Language,
    Membership,
    MembershipPeriod,
    Organisation,
    Phone,
    RolePeriod,
    WorryCategory,
)
from ..pipeline import Period, RoleSpan

# The through table's column for each list, and how a list is scoped to the platform: an import
# replaces only this platform's categories and fields, never those another platform gave.
THROUGH_COLUMN = {
    "worry_categories": "worrycategory_id",
    "activity_fields": "activityfield_id",
    "languages": "language_id",
}
PLATFORM_SCOPED = {
    "worry_categories": "worrycategory__platform",
    "activity_fields": "activityfield__platform",
}


@dataclass
class Lookups:
    """Name → object maps for this platform, loaded once per import."""

    worry_categories: dict[str, WorryCategory]
    activity_fields: dict[str, ActivityField]
    languages: dict[str, Language]  # by name and by lower-case code

    @classmethod
    def load(cls, platform: Platform) -> Lookups:
        languages: dict[str, Language] = {}
        for lang in Language.objects.all():
            languages.setdefault(lang.name, lang)
            languages[lang.code.lower()] = lang
        return cls(
            worry_categories={c.name: c for c in WorryCategory.objects.filter(platform=platform)},
            activity_fields={f.name: f for f in ActivityField.objects.filter(platform=platform)},
            languages=languages,
        )


@dataclass
class Existing:
    """The platform's organisations with their membership, phones and lists, as lookup maps."""

    orgs: list[Organisation]
    memberships: dict[int, Membership]
    phones: dict[int, list[tuple[str, str]]]
    lists: dict[str, dict[int, set[int]]]  # list name → org id → related ids
    refs_elsewhere: set[str]
    periods: dict[int, list[Period]]  # membership id → its periods, oldest first
    roles: dict[int, list[RoleSpan]]  # membership id → its role periods, oldest first

    @classmethod
    def load(cls, platform: Platform, *, lock: bool) -> Existing:
        memberships = Membership.objects.filter(platform=platform)
        orgs = Organisation.objects.filter(memberships__platform=platform)
        if lock:  # saving: nobody edits these rows between our check and our write
            memberships, orgs = (
                memberships.select_for_update(no_key=True),
                orgs.select_for_update(of=("self",), no_key=True),
            )
        org_list = list(orgs)
        phones: dict[int, list[tuple[str, str]]] = {}
        for org_id, number, note in (
            Phone.objects.filter(organisation__memberships__platform=platform)
            .order_by("order", "id")
            .values_list("organisation_id", "number", "note")
        ):
            phones.setdefault(org_id, []).append((number, note))
        lists: dict[str, dict[int, set[int]]] = {}
        for key, column in THROUGH_COLUMN.items():
            through = getattr(Organisation, key).through.objects.filter(
                organisation__memberships__platform=platform
            )
            if key in PLATFORM_SCOPED:
                through = through.filter(**{PLATFORM_SCOPED[key]: platform})
            lists[key] = {}
            for org_id, related_id in through.values_list("organisation_id", column):
                lists[key].setdefault(org_id, set()).add(related_id)
        ids = {o.pk for o in org_list}
        elsewhere = {
            ref for pk, ref in Organisation.objects.exclude(ref="").values_list("pk", "ref") if pk not in ids
        }
        periods: dict[int, list[Period]] = {}
        for member_id, joined_on, left_on, reason in (
            MembershipPeriod.objects.filter(membership__platform=platform)
            .order_by("joined_on")
            .values_list("membership_id", "joined_on", "left_on", "leave_reason")
        ):
            periods.setdefault(member_id, []).append(Period(joined_on, left_on, reason))
        roles: dict[int, list[RoleSpan]] = {}
        for member_id, pf_role, is_core, started_on, ended_on in (
            RolePeriod.objects.filter(membership__platform=platform)
            .order_by("started_on")
            .values_list("membership_id", "pf_role", "is_core", "started_on", "ended_on")
        ):
            roles.setdefault(member_id, []).append(RoleSpan(pf_role, is_core, started_on, ended_on))
        by_org = {}
        for member in memberships:
            latest = periods.get(member.pk, [])[-1:]
            member.leave_reason = latest[0].leave_reason if latest else ""  # the main sheet's 退会理由
            by_org[member.organisation_id] = member
        return cls(
            orgs=org_list,
            memberships=by_org,
            phones=phones,
            lists=lists,
            refs_elsewhere=elsewhere,
            periods=periods,
            roles=roles,
        )


class Matcher(BaseInstanceLoader):
    """Finds the existing organisation a row means: by 団体コード, else 法人番号, else 団体名.

    Only organisations of this platform are candidates: a file never reaches into another
    platform's entries. A fallback match (法人番号 or 団体名) only takes an organisation with no
    団体コード of its own, so a row with a new code never overwrites a differently coded one.
    The Resource (``resource.existing``, ``resource.keys(row)``) is loaded before the rows.
    """

    def __init__(self, resource: Any, dataset: Any = None) -> None:
        super().__init__(resource, dataset)
        existing: Existing = resource.existing
        self.by_ref = {o.ref: o for o in existing.orgs if o.ref}
        self.by_number: dict[str, list[Organisation]] = {}
        self.by_name: dict[str, list[Organisation]] = {}
        for org in existing.orgs:
            if org.corporate_number:
                self.by_number.setdefault(org.corporate_number, []).append(org)
            self.by_name.setdefault(org.name, []).append(org)

    def find(self, keys: dict[str, str]) -> tuple[Organisation | None, str]:
        """(the organisation, "") or (None, "") for a new one, or (None, why) when ambiguous."""
        ref = keys.get("ref", "")
        if ref and ref in self.by_ref:
            return self.by_ref[ref], ""
        for key, table in (
            (keys.get("corporate_number", ""), self.by_number),
            (keys.get("name", ""), self.by_name),
        ):
            candidates = [o for o in table.get(key, []) if not (ref and o.ref)] if key else []
            if len(candidates) > 1:
                label = _("法人番号") if table is self.by_number else _("団体名")
                return None, _(
                    "%(label)s「%(key)s」の団体がこのプラットフォームに複数あります。団体コードで指定してください。"
                ) % {"label": label, "key": key}
            if candidates:
                return candidates[0], ""
        return None, ""

    def get_instance(self, row: dict[str, Any]) -> Organisation | None:
        return self.find(self.resource.keys(row))[0]
