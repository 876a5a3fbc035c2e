"""Importing the registry from Excel (XLSX) or CSV: read, check every row, then save all or nothing.

pretix's import steps, without the mapping screen (our columns are fixed, see orgs.resources):
read the file in memory → clean **all** rows, collecting every problem with its row number →
preview (``import_plan``) → save in **one** transaction (``import_apply``), which plans again
under row locks so what is saved is checked against the database as it is then.

Rows are validated here rather than through django-import-export's per-row ``full_clean`` and
``save()``: 10,000 rows must import in seconds, so writes are ``bulk_create``/``bulk_update``.
Those skip ``save()`` and signals, so the change history (OrgChange, source "import") is written
here explicitly, one row per created or updated organisation with its field diff.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_site.lib import japanese as jp
from platform_site.lib.bulk import chunks, insert_rows
from platform_site.lib.tabular import ImportRejected, read_table
from platform_site.models import Platform

from .models import ActivityField, Language, Membership, Organisation, OrgChange, PFRole, Phone, WorryCategory
from .resources import CHOICE_LABELS, CHOICES, COLUMNS, Column

M2M_KINDS = {"categories": "worry_categories", "fields": "activity_fields", "languages": "languages"}
TRUE_VALUES = {"○", "〇", "◯", "はい", "1", "true", "yes", "y", "有", "あり"}
FALSE_VALUES = {"", "×", "✕", "いいえ", "0", "false", "no", "n", "無", "なし", "-"}
PHONE_RE = re.compile(r"^[0-9０-９\-－‐ー()（） +＋]{6,20}$")
POSTAL_RE = re.compile(r"^\d{3}-?\d{4}$")
DATE_RE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
LIST_SPLIT_RE = re.compile(r"\s*[、;；,，]\s*")
PHONE_SPLIT_RE = re.compile(r"\s*[;；\n]\s*")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_url = URLValidator(schemes=["http", "https"])
_email = EmailValidator()


@dataclass
class RowPlan:
    line: int
    name: str
    org: Organisation | None  # the existing organisation this row updates, None to create
    values: dict[str, Any]  # Organisation fields present in the file
    lists: dict[str, list[Any]]  # phones as (number, note); m2m as model objects
    membership: dict[str, Any]
    changes: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class ImportPlan:
    encoding: str = ""
    rows: int = 0
    creates: list[RowPlan] = field(default_factory=list)
    updates: list[RowPlan] = field(default_factory=list)
    unchanged: list[RowPlan] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    existing: Existing | None = None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "○" if value else ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_map(header: list[Any]) -> tuple[dict[str, int], list[str]]:
    wanted = {unicodedata.normalize("NFKC", c.header): c.header for c in COLUMNS}
    positions: dict[str, int] = {}
    problems: list[str] = []
    for index, raw in enumerate(header):
        title = wanted.get(unicodedata.normalize("NFKC", _text(raw)))
        if title is None:
            continue
        if title in positions:
            problems.append(_("1行目: 列「%(col)s」が2つあります。") % {"col": title})
        positions[title] = index
    if not positions:
        problems.append(
            _(
                "1行目の見出しに、知っている列名がひとつもありません。1行目が見出し（団体名、名称カナ…）か、文字コード（UTF-8 または Shift_JIS/CP932）を確かめてください。"
            )
        )
        return positions, problems
    for column in COLUMNS:
        if column.required and column.header not in positions:
            problems.append(_("1行目: 必須の列「%(col)s」がありません。") % {"col": column.header})
    return positions, problems


# --- one cell at a time -------------------------------------------------------------------


class CellError(ValueError):
    pass


def _unquote(value: str, *, phone: bool = False) -> str:
    """Refuse formulas; undo our own export's neutralising quote ('=… is text by intent)."""
    if CONTROL_RE.search(value):  # NUL, or what XLSX cannot hold (the export would fail on it)
        raise CellError(
            _("に制御文字が含まれています（Word から貼り付けた改行などは、Excel の改行に直してください）。")
        )
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return value[1:]
    head, rest = value[:1], value[1:2]
    if len(value) > 1 and (
        head in "=@" or (head == "+" and not phone) or (head == "-" and rest not in " 　-ー")
    ):
        raise CellError(
            _(
                "は数式のように見えます（=、+、-、@ で始まるセルは取り込めません。文字として入れるときは先頭に ' を付けてください）。"
            )
        )
    return value


def _bool(value: str) -> bool:
    key = unicodedata.normalize("NFKC", value).strip().lower()
    if key in TRUE_VALUES or value in TRUE_VALUES:
        return True
    if key in FALSE_VALUES:
        return False
    raise CellError(_("は ○ か空欄で入力してください。"))


def _date(value: str) -> dt.date | None:
    if not value:
        return None
    match = DATE_RE.match(unicodedata.normalize("NFKC", value).split(" ")[0])
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3])) if match else _bad_date()
    except ValueError:
        return _bad_date()


def _bad_date() -> dt.date:
    raise CellError(_("は日付として読めません（2024-04-01 か 2024/04/01 の形で入力してください）。"))


def _phones(value: str) -> list[tuple[str, str]]:
    phones = []
    for item in PHONE_SPLIT_RE.split(value.strip()):
        if not item:
            continue
        match = re.fullmatch(r"(.+?)\s*（(.*)）", item) or re.fullmatch(
            r"(.+?)\s*\((.*[^0-9()\- ].*)\)", item
        )
        number, note = (match[1].strip(), match[2].strip()) if match else (item, "")
        if not PHONE_RE.match(number):
            raise CellError(
                _(
                    "の「%(item)s」は電話番号として読めません（「番号（備考）; 番号」の形で、番号は数字とハイフンで）。"
                )
                % {"item": item}
            )
        if len(note) > 100:
            raise CellError(_("の備考は100文字以内にしてください。"))
        phones.append((number, note))
    return phones


@dataclass
class Lookups:
    """Name → object maps for this platform, loaded once per import."""

    categories: dict[str, WorryCategory]
    fields: dict[str, ActivityField]
    languages: dict[str, Language]

    @classmethod
    def load(cls, platform: Platform) -> Lookups:
        languages: dict[str, Language] = {}
        for lang in Language.objects.all():
            languages.setdefault(lang.name, lang)
            languages[lang.code.lower()] = lang
        return cls(
            categories={c.name: c for c in WorryCategory.objects.filter(platform=platform)},
            fields={f.name: f for f in ActivityField.objects.filter(platform=platform)},
            languages=languages,
        )


def _names(value: str, table: dict[str, Any], kind: str) -> list[Any]:
    found, unknown = [], []
    for name in (n for n in LIST_SPLIT_RE.split(value.strip()) if n):
        item = table.get(name) or (table.get(name.lower()) if kind == "languages" else None)
        if item is None:
            unknown.append(f"「{name}」")
        elif item not in found:
            found.append(item)
    if unknown:
        hint = {
            "categories": _("このプラットフォームの悩みのカテゴリ名"),
            "fields": _("このプラットフォームの活動分野名"),
            "languages": _("言語名か言語コード（例: 英語、en）"),
        }[kind]
        raise CellError(
            _("の%(names)sはありません（%(hint)sを使ってください）。")
            % {"names": "".join(unknown), "hint": hint}
        )
    return found


def _parse(column: Column, raw: str, lookups: Lookups) -> Any:
    value = _unquote(raw, phone=column.kind == "phones")
    kind = column.kind
    if kind == "bool":
        return _bool(value)
    if kind == "date":
        return _date(value)
    if kind == "phones":
        return _phones(value)
    if kind in M2M_KINDS:
        return _names(value, getattr(lookups, kind), kind)
    if kind in CHOICES:
        return _choice(kind, value)
    if column.max_length and len(value) > column.max_length:
        raise CellError(
            _("は長すぎます（%(max)d文字以内、いま%(len)d文字）。")
            % {"max": column.max_length, "len": len(value)}
        )
    if kind == "kana":
        return _kana(value)
    if kind == "corporate_number":
        return _corporate_number(value)
    if kind in ("url", "email") and value:
        _check(_url if kind == "url" else _email, value, kind)
    if kind == "postal" and value and not POSTAL_RE.match(unicodedata.normalize("NFKC", value)):
        raise CellError(_("は 860-0001 のように7桁で入力してください。"))
    return value


def _choice(kind: str, value: str) -> str:
    if not value:
        if kind == "status":
            raise CellError(
                _("が空欄です（%(labels)s のどれかを入れてください）。")
                % {"labels": "・".join(CHOICES[kind])}
            )
        return PFRole.MEMBER.value if kind == "pf_role" else ""
    if value in CHOICES[kind]:
        return CHOICES[kind][value]
    if value in CHOICE_LABELS[kind]:
        return value
    raise CellError(_("は %(labels)s のどれかにしてください。") % {"labels": "・".join(CHOICES[kind])})


def _kana(value: str) -> str:
    kana = jp.to_katakana(value)
    if not kana:
        raise CellError(_("が空欄です（団体名の読みをカタカナで入れてください）。"))
    if not jp.is_kana_reading(kana):
        raise CellError(_("はカタカナで入力してください。"))
    return kana


def _corporate_number(value: str) -> str:
    digits = unicodedata.normalize("NFKC", value).replace("-", "").replace(" ", "")
    if digits and not re.fullmatch(r"\d{13}", digits):
        raise CellError(_("は13桁の数字で入力してください。"))
    if digits and not jp.is_valid_corporate_number(digits):
        raise CellError(_("のチェックデジットが正しくありません。"))
    return digits


def _check(validator: Any, value: str, kind: str) -> None:
    try:
        validator(value)
    except ValidationError as exc:
        message = (
            _("は URL の形式ではありません（http:// か https:// で始めてください）。")
            if kind == "url"
            else _("はメールアドレスの形式ではありません。")
        )
        raise CellError(message) from exc


def problem_text(line: int, column: Column, raw: str, error: CellError | str) -> str:
    """「3行目: 法人番号「1234567890123」のチェックデジットが正しくありません。」"""
    if not raw:
        return _("%(line)d行目: %(col)s%(error)s") % {"line": line, "col": column.header, "error": error}
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    return _("%(line)d行目: %(col)s「%(value)s」%(error)s") % {
        "line": line,
        "col": column.header,
        "value": shown,
        "error": error,
    }


# --- what is in the database now --------------------------------------------------------

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
class Existing:
    """The platform's organisations with their membership, phones and lists, as lookup maps."""

    orgs: list[Organisation]
    memberships: dict[int, Membership]
    phones: dict[int, list[tuple[str, str]]]
    lists: dict[str, dict[int, set[int]]]  # m2m key → org id → related ids
    refs_elsewhere: set[str]

    @classmethod
    def load(cls, platform: Platform, *, lock: bool) -> Existing:
        memberships = Membership.objects.filter(platform=platform)
        orgs = Organisation.objects.filter(memberships__platform=platform)
        if lock:  # confirm: nobody edits these rows between our check and our write
            memberships, orgs = memberships.select_for_update(), orgs.select_for_update(of=("self",))
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
        return cls(
            orgs=org_list,
            memberships={m.organisation_id: m for m in memberships},
            phones=phones,
            lists=lists,
            refs_elsewhere=elsewhere,
        )


class Matcher:
    """Finds the existing organisation a row means: by 団体コード, else 法人番号, else 団体名.

    Only organisations of this platform are candidates: a file never reaches into another
    platform's entries. A fallback match (法人番号 or 団体名) only takes an organisation with no
    団体コード of its own, so a row with a new code never overwrites a differently coded one.
    """

    def __init__(self, existing: Existing) -> None:
        self.by_ref = {o.ref: o for o in existing.orgs if o.ref}
        self.by_number: dict[str, list[Organisation]] = {}
        self.by_name: dict[str, list[Organisation]] = {}
        for org in existing.orgs:
            if org.corporate_number:
                self.by_number.setdefault(org.corporate_number, []).append(org)
            self.by_name.setdefault(org.name, []).append(org)

    def find(self, values: dict[str, Any]) -> tuple[Organisation | None, str]:
        ref = values.get("ref", "")
        if ref and ref in self.by_ref:
            return self.by_ref[ref], ""
        for key, table, label in (
            (values.get("corporate_number", ""), self.by_number, _("法人番号")),
            (values.get("name", ""), self.by_name, _("団体名")),
        ):
            candidates = [o for o in table.get(key, []) if not (ref and o.ref)] if key else []
            if len(candidates) > 1:
                return None, _(
                    "%(label)s「%(key)s」の団体がこのプラットフォームに複数あります。団体コードで指定してください。"
                ) % {"label": label, "key": key}
            if candidates:
                return candidates[0], ""
        return None, ""


# --- planning: every row checked, nothing written ------------------------------------------


def _parse_row(
    line: int, cells: list[Any], positions: dict[str, int], lookups: Lookups
) -> tuple[dict[str, Any], list[str]]:
    parsed: dict[str, Any] = {}
    problems: list[str] = []
    for column in COLUMNS:
        index = positions.get(column.header)
        if index is None:
            continue
        raw = _text(cells[index]) if index < len(cells) else ""
        try:
            parsed[column.key] = _parse(column, raw, lookups)
        except CellError as error:
            problems.append(problem_text(line, column, raw, error))
    if parsed.get("name", None) == "":
        problems.append(problem_text(line, COLUMNS[1], "", CellError(_("が空欄です。"))))
    return parsed, problems


def _split(parsed: dict[str, Any], line: int, org: Organisation | None) -> RowPlan:
    values = {k: v for k, v in parsed.items() if "." not in k and k != "phones" and k not in THROUGH_COLUMN}
    lists = {k: v for k, v in parsed.items() if k == "phones" or k in THROUGH_COLUMN}
    membership = {k.removeprefix("membership."): v for k, v in parsed.items() if k.startswith("membership.")}
    return RowPlan(
        line=line, name=values.get("name", ""), org=org, values=values, lists=lists, membership=membership
    )


def _check_dates(row: RowPlan, member: Membership | None) -> str:
    joined = row.membership.get("joined_on", member.joined_on if member else None)
    left = row.membership.get("left_on", member.left_on if member else None)
    if joined and left and left < joined:
        return _("%(line)d行目: 退会日（%(left)s）が参加日（%(joined)s）より前です。") % {
            "line": row.line,
            "left": left.isoformat(),
            "joined": joined.isoformat(),
        }
    return ""


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _list_names(key: str, objects: Iterable[Any]) -> list[str]:
    return sorted(o.code if key == "languages" else o.name for o in objects)


def _phone_texts(phones: list[tuple[str, str]]) -> list[str]:
    return [f"{number} {note}".strip() for number, note in phones]


def _diff(row: RowPlan, existing: Existing, by_id: dict[str, dict[int, Any]]) -> dict[str, list[Any]]:
    org, changes = row.org, {}
    assert org is not None
    for key, new in row.values.items():
        old = getattr(org, key)
        if old != new and not (isinstance(old, str) and old.strip() == new):
            changes[key] = [_plain(old), _plain(new)]
    for key, new_list in row.lists.items():
        if key == "phones":
            old_p, new_p = _phone_texts(existing.phones.get(org.pk, [])), _phone_texts(new_list)
            if old_p != new_p:
                changes["phones"] = [old_p, new_p]
            continue
        old_n = _list_names(key, (by_id[key][i] for i in existing.lists[key].get(org.pk, ())))
        new_n = _list_names(key, new_list)
        if old_n != new_n:
            changes[key] = [old_n, new_n]
    member = existing.memberships[org.pk]
    for key, new in row.membership.items():
        if getattr(member, key) != new:
            changes[f"membership.{key}"] = [_plain(getattr(member, key)), _plain(new)]
    return changes


def _snapshot(row: RowPlan) -> dict[str, list[Any]]:
    """History of a created organisation: every non-empty value, as organisation_create records it."""
    empty: tuple[Any, ...] = ("", None, False, [])
    changes = {k: [None, _plain(v)] for k, v in row.values.items() if v not in empty}
    for key, items in row.lists.items():
        shown = _phone_texts(items) if key == "phones" else _list_names(key, items)
        if shown:
            changes[key] = [None, shown]
    changes |= {f"membership.{k}": [None, _plain(v)] for k, v in row.membership.items() if v not in empty}
    return changes


def _check_keys(
    row: RowPlan, parsed: dict[str, Any], seen: dict[str, dict[Any, int]], existing: Existing
) -> list[str]:
    problems = []
    ref = parsed.get("ref", "")
    keys = (
        ("ref", ref, _("団体コード")),
        ("name", row.name, _("団体名")),
        ("org", row.org.pk if row.org else None, ""),
    )
    for kind, key, label in keys:
        if not key:
            continue
        first = seen[kind].setdefault(key, row.line)
        if first != row.line and kind == "org":
            problems.append(
                _("%(line)d行目: %(first)d行目と同じ登録済みの団体を指しています。")
                % {"line": row.line, "first": first}
            )
        elif first != row.line:
            problems.append(
                _("%(line)d行目: %(label)s「%(key)s」が%(first)d行目と重複しています。")
                % {"line": row.line, "label": label, "key": key, "first": first}
            )
    if ref and ref in existing.refs_elsewhere:
        problems.append(
            _("%(line)d行目: 団体コード「%(ref)s」は別の団体がすでに使っています。")
            % {"line": row.line, "ref": ref}
        )
    return problems


def import_plan(*, platform: Platform, data: bytes, filename: str, lock: bool = False) -> ImportPlan:
    """Read and check the whole file; say what would be created, updated or left as it is.

    Writes nothing. ``plan.problems`` holds every problem found (file-level ones stop early).
    """
    table, encoding = read_table(data, filename)
    plan = ImportPlan(encoding=encoding)
    header, body = (table[0] if table else []), table[1:]
    positions, plan.problems = _header_map(header)
    if plan.problems:
        return plan
    rows = [(n, cells) for n, cells in enumerate(body, start=2) if any(_text(c) for c in cells)]
    if not rows:
        plan.problems.append(_("見出し行のほかにデータの行がありません。"))
        return plan
    lookups, existing = Lookups.load(platform), Existing.load(platform, lock=lock)
    matcher = Matcher(existing)
    by_id: dict[str, dict[int, Any]] = {
        "worry_categories": {c.pk: c for c in lookups.categories.values()},
        "activity_fields": {f.pk: f for f in lookups.fields.values()},
        "languages": {lang.pk: lang for lang in lookups.languages.values()},
    }
    seen: dict[str, dict[Any, int]] = {"ref": {}, "name": {}, "org": {}}
    for line, cells in rows:
        parsed, problems = _parse_row(line, cells, positions, lookups)
        org, ambiguous = matcher.find(parsed)
        row = _split(parsed, line, org)
        problems += (
            [_("%(line)d行目: %(problem)s") % {"line": line, "problem": ambiguous}] if ambiguous else []
        )
        problems += _check_keys(row, parsed, seen, existing)
        problems += [p for p in [_check_dates(row, existing.memberships.get(org.pk) if org else None)] if p]
        plan.problems += problems
        if problems:
            continue
        if org is None:
            row.changes = _snapshot(row)
            plan.creates.append(row)
        else:
            row.changes = _diff(row, existing, by_id)
            (plan.updates if row.changes else plan.unchanged).append(row)
    plan.rows = len(rows)
    plan.existing = existing
    return plan


# --- saving: one transaction, bulk writes, history written explicitly -----------------------

BATCH = 1000


_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.ForeignKey,
)


def _db_rows(objs: list[Any], now: dt.datetime) -> tuple[list[str], list[tuple[Any, ...]]]:
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
    getters = [(f.attname, None if isinstance(f, _PLAIN_FIELDS) else f.get_db_prep_save) for f in fields]
    rows = [
        tuple(
            getattr(obj, name) if prep is None else prep(getattr(obj, name), connection)
            for name, prep in getters
        )
        for obj in objs
    ]
    return [f.column for f in fields], rows


def _insert_objects(objs: list[Any], now: dt.datetime) -> None:
    """bulk_create for rows whose ids we do not need back (memberships, history)."""
    if objs:
        columns, rows = _db_rows(objs, now)
        insert_rows(type(objs[0]), columns, rows)


def _insert_returning_ids(objs: list[Any], now: dt.datetime) -> None:
    """bulk_create that sets each new object's pk."""
    if not objs:
        return
    columns, rows = _db_rows(objs, now)
    ids = insert_rows(type(objs[0]), columns, rows, returning=True)
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias


def _add_lists(rows: list[RowPlan], *, only_changed: bool) -> None:
    """Phones and list links for the rows (for updates: only the lists that changed)."""
    wanted = [(row, row.org) for row in rows if row.org is not None]
    insert_rows(
        Phone,
        ["organisation_id", "number", "note", "order"],
        [
            (org.pk, number, note, i)
            for row, org in wanted
            if "phones" in row.lists and (not only_changed or "phones" in row.changes)
            for i, (number, note) in enumerate(row.lists["phones"])
        ],
    )
    for key, column in THROUGH_COLUMN.items():
        insert_rows(
            getattr(Organisation, key).through,
            ["organisation_id", column],
            [
                (org.pk, item.pk)
                for row, org in wanted
                if key in row.lists and (not only_changed or key in row.changes)
                for item in row.lists[key]
            ],
        )


def _save_creates(rows: list[RowPlan], platform: Platform, now: dt.datetime) -> None:
    orgs = []
    for row in rows:
        row.org = Organisation(**row.values)
        row.org.sort_key = jp.kana_sort_key(row.org.name_kana)
        orgs.append(row.org)
    _insert_returning_ids(orgs, now)
    _insert_objects(
        [Membership(platform=platform, organisation=row.org, **row.membership) for row in rows], now
    )
    _add_lists(rows, only_changed=False)


def _update_changed(items: list[tuple[Any, list[str]]]) -> None:
    """UPDATE only the changed columns: one executemany per set of changed fields.

    Django's bulk_update writes every listed field through a CASE per row: for 10,000 rows
    that took a minute and 400 MB here; this takes about a second.
    """
    groups: dict[tuple[str, ...], list[Any]] = {}
    for obj, changed in items:
        groups.setdefault(tuple(sorted(changed)), []).append(obj)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for names, objs in groups.items():
            meta = type(objs[0])._meta
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


def _save_updates(rows: list[RowPlan], platform: Platform, existing: Existing, now: dt.datetime) -> None:
    """Changed fields only; version + 1 is safe here because the rows are locked (select_for_update)."""
    orgs, members = [], []
    for row in rows:
        org = row.org
        assert org is not None
        changed = [k for k in row.changes if k in row.values]
        for key in changed:
            setattr(org, key, row.values[key])
        if any("." not in k for k in row.changes):  # the entry itself, its phones or lists
            org.sort_key, org.version, org.updated_at = jp.kana_sort_key(org.name_kana), org.version + 1, now
            orgs.append((org, [*changed, "sort_key", "version", "updated_at"]))
        member_changed = [k.removeprefix("membership.") for k in row.changes if k.startswith("membership.")]
        if member_changed:
            member = existing.memberships[org.pk]
            for key in member_changed:
                setattr(member, key, row.membership[key])
            member.updated_at = now
            members.append((member, [*member_changed, "updated_at"]))
    _update_changed(orgs)
    _update_changed(members)
    for key in ("phones", *THROUGH_COLUMN):
        ids = [r.org.pk for r in rows if key in r.changes and r.org is not None]
        for chunk in chunks(ids):
            if key == "phones":
                Phone.objects.filter(organisation_id__in=chunk).delete()
                continue
            links = getattr(Organisation, key).through.objects.filter(organisation_id__in=chunk)
            links.filter(**{PLATFORM_SCOPED[key]: platform} if key in PLATFORM_SCOPED else {}).delete()
    _add_lists(rows, only_changed=True)


def _save_history(
    plan: ImportPlan, platform: Platform, actor: Any, actor_label: str, now: dt.datetime
) -> None:
    user = actor if getattr(actor, "pk", None) else None
    label = actor_label or getattr(actor, "username", "")
    records = [
        OrgChange(
            organisation=row.org,
            platform=platform,
            actor=user,
            actor_label=label,
            action=action,
            source=OrgChange.Source.IMPORT,
            changes=row.changes,
        )
        for action, rows in (
            ("orgs.organisation.created", plan.creates),
            ("orgs.organisation.updated", plan.updates),
        )
        for row in rows
    ]
    _insert_objects(records, now)


@transaction.atomic
def import_apply(
    *, platform: Platform, actor: Any, data: bytes, filename: str, actor_label: str = ""
) -> ImportPlan:
    """Save the whole file or nothing. Plans again under row locks: the preview may be stale.

    Raises ImportRejected with every problem when any row is wrong; nothing is written then.
    """
    plan = import_plan(platform=platform, data=data, filename=filename, lock=True)
    if plan.problems:
        raise ImportRejected(plan.problems)
    now = timezone.now()
    _save_creates(plan.creates, platform, now)
    assert plan.existing is not None  # import_plan sets it whenever the file has no problems
    _save_updates(plan.updates, platform, plan.existing, now)
    _save_history(plan, platform, actor, actor_label, now)
    return plan


HEADER_OF = {c.key: c.header for c in COLUMNS}


def changed_columns(row: RowPlan) -> str:
    """「受付時間、電話番号」: the columns a row changes, by their headers."""
    return "、".join(HEADER_OF.get(key, key) for key in row.changes)


def plan_summary(plan: ImportPlan) -> dict[str, Any]:
    return {
        "rows": plan.rows,
        "created": len(plan.creates),
        "updated": len(plan.updates),
        "unchanged": len(plan.unchanged),
        "created_names": [r.name for r in plan.creates],
        "updated_rows": [(r.name, changed_columns(r)) for r in plan.updates],
    }
