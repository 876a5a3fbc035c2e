"""The rules of a row beyond its own cells, and what a row changes.

Each cell is read by its column's widget (`orgs.resources`); here are the checks that need more
than one cell, other rows or the database — the same 団体コード or 団体名 twice in the file, two
rows meaning one organisation, a 団体コード another platform's organisation uses (the membership
periods and the pipeline's rules are `orgs.imports.periods`) — and the field diff each row makes, which is both the preview's "what changes" and
the history row (`OrgChange.changes`: ``{"field": [old, new]}``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ..models import Organisation
from .match import Existing

LISTS = ("phones", "worry_categories", "activity_fields", "languages")
NOT_FIELDS = ("leave_reason",)  # a period's, recorded with the periods (membership.periods)


@dataclass
class RowValues:
    """What a row says, by kind: the organisation's fields, its lists (phones as (number, note),
    related objects) and its membership's fields — only the columns the file has."""

    values: dict[str, Any] = field(default_factory=dict)
    lists: dict[str, list[Any]] = field(default_factory=dict)
    membership: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.values.get("name", "")


class Seen:
    """The line that first named each 団体コード, 団体名 and existing organisation."""

    def __init__(self) -> None:
        self.first: dict[str, dict[Any, int]] = {"ref": {}, "name": {}, "org": {}}

    def check(self, line: int, row: RowValues, org: Organisation | None, existing: Existing) -> list[str]:
        problems = []
        ref = row.values.get("ref", "")
        for kind, key in (("ref", ref), ("name", row.name), ("org", org.pk if org else None)):
            if not key:
                continue
            first = self.first[kind].setdefault(key, line)
            if first == line:
                continue
            if kind == "org":
                problems.append(_("%(first)d行目と同じ登録済みの団体を指しています。") % {"first": first})
            else:
                label = _("団体コード") if kind == "ref" else _("団体名")
                problems.append(
                    _("%(label)s「%(key)s」が%(first)d行目と重複しています。")
                    % {"label": label, "key": key, "first": first}
                )
        if ref and ref in existing.refs_elsewhere:
            problems.append(_("団体コード「%(ref)s」は別の団体がすでに使っています。") % {"ref": ref})
        return problems


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _list_names(key: str, objects: Iterable[Any]) -> list[str]:
    return sorted(o.code if key == "languages" else o.name for o in objects)


def _phone_texts(phones: list[tuple[str, str]]) -> list[str]:
    return [f"{number} {note}".strip() for number, note in phones]


def diff(
    org_id: int,
    row: RowValues,
    before: RowValues,
    existing: Existing,
    by_id: dict[str, dict[int, Any]],
) -> dict[str, list[Any]]:
    """What the row changes in an existing organisation: ``{"field": [old, new]}``, lists as
    sorted names (languages as codes), membership fields as ``membership.<field>``. Stored text
    that differs only by surrounding spaces is not a change."""
    changes: dict[str, list[Any]] = {}
    for key, new in row.values.items():
        old = before.values[key]
        if old != new and not (isinstance(old, str) and old.strip() == new):
            changes[key] = [_plain(old), _plain(new)]
    for key, new_list in row.lists.items():
        if key == "phones":
            old_p, new_p = _phone_texts(existing.phones.get(org_id, [])), _phone_texts(new_list)
            if old_p != new_p:
                changes["phones"] = [old_p, new_p]
            continue
        old_n = _list_names(key, (by_id[key][i] for i in existing.lists[key].get(org_id, ())))
        new_n = _list_names(key, new_list)
        if old_n != new_n:
            changes[key] = [old_n, new_n]
    for key, new in row.membership.items():
        old = before.membership[key]
        if old != new and key not in NOT_FIELDS:
            changes[f"membership.{key}"] = [_plain(old), _plain(new)]
    return changes


def snapshot(row: RowValues) -> dict[str, list[Any]]:
    """History of a created organisation: every non-empty value, as organisation_create records it."""
    empty: tuple[Any, ...] = ("", None, False, [])
    changes = {k: [None, _plain(v)] for k, v in row.values.items() if v not in empty}
    for key, items in row.lists.items():
        shown = _phone_texts(items) if key == "phones" else _list_names(key, items)
        if shown:
            changes[key] = [None, shown]
    changes |= {
        f"membership.{k}": [None, _plain(v)]
        for k, v in row.membership.items()
        if v not in empty and k not in NOT_FIELDS
    }
    return changes
