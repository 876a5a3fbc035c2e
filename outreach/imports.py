"""Import of events from CSV or XLSX (the shared table reader): every row is checked first, and
either every row is written or none, with each problem given by row number in Japanese.

A row with a 事業コード already in the platform updates that event; other rows create events.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from platform_site.lib.tabular import ImportRejected, read_table
from platform_site.models import Platform

from . import events as ev
from . import selectors, services
from .models import Event, Format, OrganiserKind, Unit

MAX_ROWS = 5000

# Column header → field. 事業名称, 年度 and 種類 are required.
COLUMNS: dict[str, str] = {
    "年度": "fiscal_year",
    "事業コード": "ref",
    "事業名称": "name",
    "種類": "event_type",
    "事業内容": "description",
    "目的・期待効果": "purpose",
    "対象": "target_audience",
    "開始日": "date_start",
    "終了日": "date_end",
    "実施時期": "period_note",
    "会場": "venue",
    "形式": "format",
    "実施主体": "organiser",
    "発注先": "contractor",
    "予算": "budget",
    "実績額": "spent",
    "単位": "unit",
    "申込数": "applicants",
    "参加数（対面）": "attendees_in_person",
    "参加数（オンライン）": "attendees_online",
    "成果検証結果": "results",
    "試行的事業": "is_trial",
    "公開": "is_public",
}
REQUIRED = ("年度", "事業名称", "種類")
FORMATS = {"対面": Format.IN_PERSON, "オンライン": Format.ONLINE, "ハイブリッド": Format.HYBRID, "": ""}
UNITS = {
    "人": Unit.PEOPLE,
    "名": Unit.PEOPLE,
    "世帯": Unit.HOUSEHOLDS,
    "団体": Unit.ORGANISATIONS,
    "": Unit.PEOPLE,
}
YES = {"はい", "○", "〇", "yes", "1", "true", "公開"}
NO = {"いいえ", "", "no", "0", "false", "×"}
_ERA = {"令和": 2018, "平成": 1988, "R": 2018, "H": 1988}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip() if not isinstance(value, str) else value.strip()


def parse_year(raw: str) -> int:
    raw = unicodedata.normalize("NFKC", raw).replace("年度", "").replace("元", "1").strip()
    if re.fullmatch(r"\d{4}", raw):
        return int(raw)
    match = re.fullmatch(r"(令和|平成|R|H)\s*(\d{1,2})", raw, flags=re.I)
    if match:
        return _ERA[match.group(1).upper() if len(match.group(1)) == 1 else match.group(1)] + int(
            match.group(2)
        )
    raise ValueError


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = unicodedata.normalize("NFKC", _text(value))
    if not raw:
        return None
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", raw)
    if match:
        return dt.date(*map(int, match.groups()))
    match = re.fullmatch(r"(令和|平成)(\d{1,2}|元)年(\d{1,2})月(\d{1,2})日", raw)
    if match:
        year = _ERA[match.group(1)] + (1 if match.group(2) == "元" else int(match.group(2)))
        return dt.date(year, int(match.group(3)), int(match.group(4)))
    raise ValueError


def parse_yen(raw: str) -> tuple[int | None, bool]:
    """「約120万円」→ (1200000, True); 「(1,158,120)」→ (1158120, False); 「」→ (None, False)."""
    text = unicodedata.normalize("NFKC", raw).replace(",", "").replace(" ", "")
    if not text:
        return None, False
    approx = text.startswith("約")
    text = text.lstrip("約").strip("()").removesuffix("円")
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(万)?", text)
    if not match:
        raise ValueError
    amount = float(match.group(1)) * (10000 if match.group(2) else 1)
    if not amount.is_integer():
        raise ValueError
    return int(amount), approx


def _count(raw: str) -> int | None:
    text = unicodedata.normalize("NFKC", raw).replace(",", "")
    if not text:
        return None
    if not text.isdigit():
        raise ValueError
    return int(text)


def _flag(raw: str, default: bool) -> bool:
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return default if text == "" else False
    raise ValueError


class _Row:
    """One row's values by field, and the problems found reading it."""

    def __init__(self, number: int, values: dict[str, Any]) -> None:
        self.number = number
        self.values = values
        self.problems: list[str] = []

    def problem(self, message: str) -> None:
        self.problems.append(_("%(n)d行目: %(message)s") % {"n": self.number, "message": message})


def _plan_row(
    row: _Row, platform: Platform, types: dict[str, Any], members: dict[str, Any]
) -> dict[str, Any]:
    v = row.values
    data: dict[str, Any] = {}
    for column in REQUIRED:
        if not v.get(COLUMNS[column]):
            row.problem(_("「%(column)s」が空です。") % {"column": column})
    try:
        data["fiscal_year"] = parse_year(v.get("fiscal_year", "")) if v.get("fiscal_year") else None
    except ValueError:
        row.problem(_("年度「%(v)s」が読めません（例: 2023、令和5年度）。") % {"v": v["fiscal_year"]})
    for key in (
        "ref",
        "name",
        "description",
        "purpose",
        "target_audience",
        "period_note",
        "venue",
        "results",
    ):
        data[key] = v.get(key, "")
    if v.get("event_type"):
        data["event_type"] = types.get(v["event_type"])
        if data["event_type"] is None:
            row.problem(
                _("種類「%(v)s」はありません。先に「事業の種類」で追加してください。")
                % {"v": v["event_type"]}
            )
    for key, label in (("date_start", "開始日"), ("date_end", "終了日")):
        try:
            data[key] = parse_date(v.get(key))
        except ValueError:
            row.problem(
                _("%(label)s「%(v)s」が日付として読めません（例: 2023-12-14）。")
                % {"label": label, "v": v[key]}
            )
    for key, choices, label in (("format", FORMATS, "形式"), ("unit", UNITS, "単位")):
        if v.get(key, "") not in choices:
            row.problem(_("%(label)s「%(v)s」は選べません（%(choices)s）。") % {
                "label": label, "v": v[key], "choices": "、".join(c for c in choices if c)
            })  # fmt: skip
        else:
            data[key] = choices[v.get(key, "")]
    organiser = v.get("organiser", "")
    if organiser in ("", "事務局"):
        data["organiser_kind"], data["organiser"] = OrganiserKind.SECRETARIAT, None
    elif organiser in members:
        data["organiser_kind"], data["organiser"] = OrganiserKind.MEMBER, members[organiser]
    else:
        row.problem(_("実施主体「%(v)s」は参加団体にありません（事務局なら「事務局」）。") % {"v": organiser})
    for key, prefix, label in (("budget", "budget", "予算"), ("spent", "spent", "実績額")):
        try:
            data[f"{prefix}_yen"], data[f"{prefix}_approx"] = parse_yen(v.get(key, ""))
        except ValueError:
            row.problem(
                _("%(label)s「%(v)s」が金額として読めません（例: 1,158,120、約120万円）。")
                % {"label": label, "v": v[key]}
            )
    for key, label in (
        ("applicants", "申込数"),
        ("attendees_in_person", "参加数（対面）"),
        ("attendees_online", "参加数（オンライン）"),
    ):
        try:
            data[key] = _count(v.get(key, ""))
        except ValueError:
            row.problem(
                _("%(label)s「%(v)s」は0以上の整数で入力してください。") % {"label": label, "v": v[key]}
            )
    for key, label, default in (("is_trial", "試行的事業", True), ("is_public", "公開", False)):
        try:
            data[key] = _flag(v.get(key, ""), default)
        except ValueError:
            row.problem(
                _("%(label)s「%(v)s」は「はい」か「いいえ」で入力してください。")
                % {"label": label, "v": v[key]}
            )
    data["contractor_name"] = v.get("contractor", "")
    if not row.problems:
        try:
            services.validate_event(platform=platform, data=data)
        except ValidationError as error:
            for messages in error.message_dict.values():
                for message in messages:
                    row.problem(message)
    return data


def plan_import(*, platform: Platform, data: bytes, filename: str) -> list[dict[str, Any]]:
    """Read and check every row; raises ImportRejected with every problem, by row."""
    table, _encoding = read_table(data, filename)
    header = [_text(c) for c in table[0]] if table else []
    unknown = [h for h in header if h and h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if missing or unknown:
        problems = [_("1行目: 列「%(c)s」がありません。") % {"c": c} for c in missing]
        problems += [_("1行目: 列「%(c)s」は読み込めません。") % {"c": c} for c in unknown]
        raise ImportRejected(problems)
    body = [r for r in table[1:] if any(_text(c) for c in r)]
    if not body:
        raise ImportRejected([_("取り込む行がありません。")])
    if len(body) > MAX_ROWS:
        raise ImportRejected([_("一度に取り込めるのは%(n)d行までです。") % {"n": MAX_ROWS}])
    types = {t.name: t for t in selectors.event_types_for(platform)} | {
        t.code: t for t in selectors.event_types_for(platform)
    }
    members = {o.name: o for o in services.member_organisations(platform)}
    members |= {o.display_name: o for o in members.values()}
    planned, problems, refs = [], [], set()
    for number, cells in enumerate(table[1:], start=2):
        if not any(_text(c) for c in cells):
            continue
        values: dict[str, Any] = {COLUMNS[h]: _text(c) for h, c in zip(header, cells, strict=False) if h}
        for key in ("date_start", "date_end"):  # keep date cells as read (XLSX gives dates)
            idx = next((i for i, h in enumerate(header) if COLUMNS.get(h) == key), None)
            if idx is not None and idx < len(cells) and isinstance(cells[idx], dt.date):
                values[key] = cells[idx]
        row = _Row(number, values)
        data_row = _plan_row(row, platform, types, members)
        if data_row.get("ref"):
            if data_row["ref"] in refs:
                row.problem(_("事業コード「%(v)s」が重複しています。") % {"v": data_row["ref"]})
            refs.add(data_row["ref"])
        problems += row.problems
        planned.append(data_row)
    if problems:
        raise ImportRejected(problems)
    return planned


@transaction.atomic
def import_events(*, platform: Platform, actor: Any, data: bytes, filename: str) -> ImportResult:
    """All or nothing: ImportRejected (nothing written) or every row created/updated, audited."""
    planned = plan_import(platform=platform, data=data, filename=filename)
    result = ImportResult()
    existing = {e.ref: e for e in Event.objects.filter(platform=platform).exclude(ref="")}
    for row in planned:
        contractor_name = row.pop("contractor_name")
        if contractor_name:
            row["contractor"] = services.contractor_for(platform=platform, name=contractor_name)
        event = existing.get(row["ref"]) if row["ref"] else None
        if event is None:
            services.event_create(platform=platform, actor=actor, data=row, action=ev.EVENT_IMPORTED)
            result.created += 1
        else:
            if services.event_update(event=event, actor=actor, data=row, version=event.version):
                result.updated += 1
    return result
