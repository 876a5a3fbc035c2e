"""Demo events: every event of the demo platforms (熊本市, 北九州市, 宇和島市) in the reports'
extraction (fixtures/domain/events.csv), with the OCR errors listed in its notes corrected.

Corrections and readings that are ours, not the reports':
- vendor spellings unified (グラフィアー → グラフィア, アソウ・ヒューマニーセンター → アソウ・
  ヒューマンセンター); 招機 → 抱樸; 「熊本県窓口二協会」 is kept as printed (the right name is unknown);
- the per-date rows of 宇和島's 市中 food distribution become sessions of their project (the
  counts are households);
- the 「R5 試行的事業 合計」 row is not an event: the report computes the total;
- recurring meetings and activities outside the numbered project tables are not 試行的事業;
- month-only dates stay as written (実施時期), never invented days.
Idempotent: events are found by their code (event_id) and replaced in place.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from orgs.demo import fix_ocr
from orgs.models import Organisation
from platform_site.audit import audit_write
from platform_site.lib import japanese as jp
from platform_site.models import Platform

from . import events as ev
from .models import (
    Contractor,
    Distribution,
    Event,
    EventChange,
    EventSession,
    EventStatus,
    EventType,
    Format,
    Kpi,
    MediaMetric,
    OrganiserKind,
    Unit,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "domain"
PLATFORMS = {"KUM": "kumamoto", "KIT": "kitakyushu", "UWA": "uwajima"}

BUILTIN = {
    "food_distribution_project": "food_distribution",
    "food_distribution": "food_distribution",
    "training": "training",
    "training_lecture": "training",
    "training_bus_tour": "training",
    "bus_tour": "bus_tour",
    "symposium": "symposium",
    "symposium_lecture": "symposium",
    "forum": "symposium",
    "platform_meeting": "pf_meeting",
    "platform_meeting_training": "pf_meeting",
    "case_study": "case_study",
    "ad_campaign_newspaper": "newspaper_ad",
    "ad_campaign_web": "web_ad",
    "video": "video",
    "novelty": "novelty",
    "leaflet": "leaflet",
    "survey": "survey",
    "survey_reanalysis": "survey",
}
# The platforms' own types (the product does not ship these).
CUSTOM = {
    "study_session": "勉強会",
    "internal_pt_activities": "庁内プロジェクトチーム",
    "network_meeting": "ネットワーク会議",
    "platform_building": "PFの体制づくり",
    "platform_founding": "PF・協議会の設立",
    "ad_campaign_tv": "テレビCM",
    "consultation_service": "相談事業",
    "verification_study": "検証業務",
    "website": "ウェブサイト",
    "planning_support": "企画推進支援",
    "capacity_building": "活動基盤整備",
}
NOT_TRIAL = {
    "KUM-E01", "KUM-E02", "KUM-E03", "KUM-E07", "KUM-E08", "KUM-E09", "KUM-E16", "KUM-E17",
    "KIT-E01", "KIT-E02", "KIT-E03", "KIT-E10", "KIT-E21",
    "UWA-E01", "UWA-E05",
}  # fmt: skip
PUBLIC = {"KIT-E05", "KIT-E12", "KUM-E14", "UWA-E02"}

# Contractor as printed → (legal form, name, registry ref when it is a member organisation).
CONTRACTORS = {
    "(株)FROMワン": ("株式会社", "FROMワン", None),
    "(株)グラフィア": ("株式会社", "グラフィア", None),
    "株式会社グラフィアー": ("株式会社", "グラフィア", None),
    "アソウ・ヒューマンセンター": ("株式会社", "アソウ・ヒューマンセンター", None),
    "株式会社アソウ・ヒューマニーセンター": ("株式会社", "アソウ・ヒューマンセンター", None),
    "NTTデータ経営研究所": ("", "NTTデータ経営研究所", None),
    "北九州市社会福祉協議会": ("", "北九州市社会福祉協議会", "KIT-08"),
    "株式会社成田屋": ("株式会社", "成田屋", None),
    "株式会社コムディア": ("株式会社", "コムディア", None),
    "熊本県窓口二協会": ("", "熊本県窓口二協会", None),
    "熊本シティエフエム": ("", "熊本シティエフエム", None),
    "株式会社九州みらい研究所": ("株式会社", "九州みらい研究所", None),
    "株式会社ON-do": ("株式会社", "ON-do", None),
    "株式会社広明通信社": ("株式会社", "広明通信社", None),
    "NPO U.grandma": ("特定非営利活動法人", "U.grandma Japan", "UWA-04"),
    "NPO_宇和島 NPOセンター": ("特定非営利活動法人", "宇和島NPOセンター", "UWA-05"),
    "一社_RCF": ("一般社団法人", "RCF", "UWA-06"),
}
# Organiser (a member organisation) per event; the rest are run by the secretariat (the city).
ORGANISERS = {
    "KIT-E12": "KIT-08", "KIT-E13": "KIT-08", "KIT-E14": "KIT-08", "KIT-E15": "KIT-08", "KIT-E16": "KIT-08",
    "UWA-E02": "UWA-04", "UWA-E03": "UWA-05", "UWA-E06": "UWA-06",
    "KUM-E01": "KUM-05", "KUM-E09": "KUM-05",
}  # fmt: skip
PARTICIPANTS = {
    "KUM-E04": ["KUM-05", "KUM-16", "KUM-18", "KUM-20"],
    "KIT-E04": ["KIT-02"],
    "KIT-E12": ["KIT-01", "KIT-03", "KIT-04", "KIT-05", "KIT-06", "KIT-07", "KIT-08"],
    "UWA-E02": ["UWA-04"],
    "UWA-E03": ["UWA-05", "UWA-01"],
    "UWA-E04": ["UWA-06", "UWA-04", "UWA-05"],
    "UWA-E06": ["UWA-04", "UWA-06", "UWA-01"],
}
# Counts whose cell is not a plain number (read from the reports' wording).
COUNTS: dict[str, dict[str, Any]] = {
    "KIT-E03": {"unit": Unit.ORGANISATIONS, "attendees_in_person": 15},
    "UWA-E03": {"unit": Unit.HOUSEHOLDS, "applicants": 25, "attendees_in_person": 25},
    "UWA-E02": {"unit": Unit.HOUSEHOLDS},
}
KPIS: dict[str, list[dict[str, Any]]] = {
    "KIT-E06": [{"name": "クリック数", "unit": "回", "actual": 7560}, {"name": "広告表示回数", "unit": "回", "actual": 2767314}],
    "KIT-E09": [{"name": "回収数", "unit": "件", "actual": 2179}, {"name": "回収率", "unit": "%", "actual": "31.1"}],
    "KUM-E10": [{"name": "回収団体数", "unit": "団体", "actual": 145}, {"name": "新規に発掘した団体", "unit": "団体", "actual": 18}],
    "KUM-E04": [{"name": "PFに登録する団体", "unit": "団体", "target": 20, "actual": 18}],
    "KUM-E12": [{"name": "掲載団体数", "unit": "団体", "target": None, "actual": 34}],
    "KUM-E06": [{"name": "アンケート回収", "unit": "名", "actual": 19}],
}  # fmt: skip
MEDIA: dict[str, list[dict[str, Any]]] = {
    # Per medium the report gives only the click rate and conversions; the total has the counts.
    "KIT-E06": [
        {"medium": "Google 広告 検索", "conversions": 88},
        {"medium": "Yahoo!広告 検索広告", "conversions": 62},
        {"medium": "Facebook広告", "conversions": 4},
        {"medium": "Twitter広告", "conversions": 40},
        {"medium": "LINE広告", "conversions": 56},
        {"medium": "合計", "impressions": 2767314, "clicks": 7560, "conversions": 250},
    ]
}
DISTRIBUTIONS = {
    "KIT-E10": [
        {"item": "アルコールスプレー（お悩みハンドブックのQRコード付き）", "quantity": 50, "unit": "個"}
    ]
}
NO_CONTRACTOR = {"委託なし", "発注なし", "—（記載なし）", "（記載なし）"}
_COUNT = re.compile(r"^約?([\d,]+)\s*(名|人|団体|世帯)?$")


def _fix(text: str) -> str:
    return fix_ocr(text).strip()


def _date(raw: str) -> dt.date | None:
    return dt.date.fromisoformat(raw) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw or "") else None


def _fiscal_year(raw: str) -> int:
    return int(re.search(r"\((\d{4})", raw).group(1))  # type: ignore[union-attr]


def _format(raw: str) -> str:
    if "ハイブリッド" in raw:
        return Format.HYBRID
    if raw.startswith("対面"):
        return Format.IN_PERSON
    return ""


def _count(raw: str) -> tuple[int | None, str]:
    match = _COUNT.match(raw.strip()) if raw else None
    if not match:
        return None, ""
    unit = {"団体": Unit.ORGANISATIONS, "世帯": Unit.HOUSEHOLDS}.get(match.group(2) or "", Unit.PEOPLE)
    return int(match.group(1).replace(",", "")), unit


def _types(platform: Platform) -> dict[str, EventType]:
    types = {t.code: t for t in EventType.objects.filter(platform__isnull=True)}
    for order, (code, name) in enumerate(CUSTOM.items()):
        types[code], _ = EventType.objects.update_or_create(
            platform=platform, code=code.replace("_", "-"), defaults={"name": name, "order": 100 + order}
        )
    return {csv_type: types[BUILTIN.get(csv_type, csv_type)] for csv_type in {*BUILTIN, *CUSTOM}}


def _contractor(platform: Platform, raw: str) -> tuple[Contractor | None, str]:
    raw = raw.strip()
    if not raw or raw in NO_CONTRACTOR or raw.startswith("（会場）"):
        return None, _fix(raw.replace("（会場）", "会場: "))
    legal, name, ref = CONTRACTORS[raw]
    org = Organisation.objects.filter(ref=ref).first() if ref else None
    contractor, _ = Contractor.objects.update_or_create(
        platform=platform, name=name, defaults={"legal_form": legal, "organisation": org}
    )
    return contractor, ""


def _fields(
    row: dict[str, str], platform: Platform, types: dict[str, EventType], order: int
) -> dict[str, Any]:
    rid = row["event_id"]
    contractor, contractor_note = _contractor(platform, row["contractor"])
    applicants, unit_a = _count(row["applicants"])
    attendees, unit_b = _count(row["attendees_total"])
    organiser_ref = ORGANISERS.get(rid)
    budget = int(row["budget_yen"]) if row["budget_yen"] else None
    raw_budget = row["budget_raw"]
    fields: dict[str, Any] = {
        "fiscal_year": _fiscal_year(row["fiscal_year"]),
        "order": order,
        "name": _fix(row["name"]),
        "event_type": types[row["type"]],
        "is_trial": rid not in NOT_TRIAL and not row["fiscal_year"].startswith(("R4-", "R3")),
        "status": EventStatus.PLANNED if row["status"] == "planned" else EventStatus.DONE,
        "description": _fix(row["program_speakers"] or row["schedule_plan"]),
        "purpose": _fix(row["target_kpi"]),
        "target_audience": _fix(row["target_audience"]),
        "date_start": _date(row["date_start"]),
        "date_end": _date(row["date_end"]),
        "period_note": _fix(row["dates_raw"])[:300],
        "venue": _fix(
            row["venue"].replace("（会場名記載なし）", "").replace("くまもと県民会館", "くまもと県民交流会館")
        ),
        "format": _format(row["format"]),
        "organiser_kind": OrganiserKind.MEMBER if organiser_ref else OrganiserKind.SECRETARIAT,
        "organiser": Organisation.objects.get(ref=organiser_ref) if organiser_ref else None,
        "organiser_note": _fix(row["organizer"])[:300],
        "contractor": contractor,
        "contractor_note": contractor_note[:300],
        "budget_yen": budget,
        "budget_approx": "約" in raw_budget,
        "budget_note": "" if re.fullmatch(r"計?\s*\([\d,]+\)", raw_budget) else _fix(raw_budget)[:300],
        "unit": unit_b or unit_a or Unit.PEOPLE,
        "applicants": applicants,
        "attendees_in_person": attendees,
        "attendance_note": "" if attendees is not None else _fix(row["attendees_total"])[:300],
        "results": _fix(row["outcome_figures"]),
        "feedback": _fix(row["feedback_figures"]),
        "is_public": rid in PUBLIC,
    }
    if fields["date_start"] is None and fields["date_end"] is not None and fields["date_end"].year < 2000:
        fields["date_end"] = None
    return fields | COUNTS.get(rid, {})


@transaction.atomic
def load(stdout: Any = None) -> dict[str, int]:
    say = (lambda msg: stdout.write(msg)) if stdout else (lambda msg: None)
    platforms = {p: Platform.objects.filter(slug=slug).first() for p, slug in PLATFORMS.items()}
    with open(FIXTURES / "events.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if platforms.get(r["event_id"][:3])]
    children: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        if row["parent_id"]:
            children.setdefault(row["parent_id"], []).append(row)
    made = 0
    orders: dict[tuple[str, int], int] = {}
    types = {p: _types(platform) for p, platform in platforms.items() if platform}
    for row in rows:
        if row["parent_id"] or row["type"] == "budget_total":
            continue
        rid, prefix = row["event_id"], row["event_id"][:3]
        platform = platforms[prefix]
        assert platform is not None
        year = _fiscal_year(row["fiscal_year"])
        orders[(prefix, year)] = orders.get((prefix, year), 0) + 1
        fields = _fields(row, platform, types[prefix], orders[(prefix, year)])
        event, created = Event.objects.update_or_create(platform=platform, ref=rid, defaults=fields)
        if created:
            audit_write(
                EventChange,
                action=ev.EVENT_CREATED,
                platform=platform,
                event=event,
                event_name=event.name,
                changes={"name": [None, event.name]},
            )
        event.participants.set(Organisation.objects.filter(ref__in=PARTICIPANTS.get(rid, [])))
        event.sessions.all().delete()
        EventSession.objects.bulk_create(
            EventSession(
                event=event,
                date=dt.date.fromisoformat(child["date_start"]),
                applicants=int(child["applicants"]),
                attendees=int(child["attendees_total"]),
                note=_fix(child["outcome_figures"].split("; ", 1)[1])
                if "; " in child["outcome_figures"]
                else "",
            )
            for child in children.get(rid, [])
        )
        for model, spec, related in (
            (Kpi, KPIS, "kpis"),
            (MediaMetric, MEDIA, "media"),
            (Distribution, DISTRIBUTIONS, "distributions"),
        ):
            getattr(event, related).all().delete()
            objs: list[Any] = [
                model(event=event, order=i, **values) for i, values in enumerate(spec.get(rid, []))
            ]
            model._default_manager.bulk_create(objs)
        made += 1
    made += _member_run_event()
    say(f"事業・イベント {made} 件を読み込みました。")
    return {"events": made}


# One fictional (架空) event run by a member, so the demo coordinator of 北九州市 (抱樸) can edit
# it and record its results: 北九州's case studies are planned and run by member groups. Not a
# 試行的事業 (the 一覧 holds the reports' facts only); dated two weeks before the demo day.
MEMBER_RUN = {
    "platform": "kitakyushu",
    "organiser": "KIT-01",
    "ref": "DEMO-MEMBER-RUN",
    "name": "【架空】参加団体が企画・運営するケーススタディ（デモ）",
    "description": "架空のデモデータ: 参加団体が事例を持ち寄り、支援者同士の連携を検討する。",
}


def _member_run_event() -> int:
    platform = Platform.objects.filter(slug=MEMBER_RUN["platform"]).first()
    organiser = Organisation.objects.filter(ref=MEMBER_RUN["organiser"]).first()
    if platform is None or organiser is None:
        return 0
    day = timezone.localdate() - dt.timedelta(days=14)
    event, created = Event.objects.get_or_create(
        platform=platform,
        ref=MEMBER_RUN["ref"],
        defaults={
            "fiscal_year": jp.fiscal_year(day),
            "order": 999,
            "name": MEMBER_RUN["name"],
            "event_type": EventType.objects.get(platform__isnull=True, code="case_study"),
            "is_trial": False,
            "status": EventStatus.DONE,
            "description": MEMBER_RUN["description"],
            "date_start": day,
            "format": Format.IN_PERSON,
            "organiser_kind": OrganiserKind.MEMBER,
            "organiser": organiser,
            "attendees_in_person": 18,
            "attendance_note": "架空",
        },
    )
    if created:
        event.participants.set([organiser])
        Kpi.objects.create(event=event, name="持ち寄った事例", unit="件", actual=4)
        audit_write(
            EventChange,
            action=ev.EVENT_CREATED,
            platform=platform,
            event=event,
            event_name=event.name,
            changes={"name": [None, event.name]},
        )
    return 1
