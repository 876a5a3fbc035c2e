"""The demo platforms' duty-bound bodies, from the seeds (the shared domain notes: ledger.md §5,
platforms.md). Safe to run twice. Runs after the registry's demo (its users and organisations) and
before the ledger's (whose fictional working groups seat the people recorded here).

- 熊本市: the 地域協議会 is a separate body (the PF holds no personal data), set up from 令和7年度4月
  under 孤独・孤立対策推進法; its 事務局 is the city's 健康福祉政策課, its 調整機関 the PF's four
  core members; 作業部会 last 「支援先決定まで」; outside experts sit in them (有識者・法律専門職).
- 宇和島市: the 孤独・孤立対策検討会 is itself a 分科会 of the city's 重層的支援会議 (cases live in
  the PF; the 支援会議 of 社会福祉法 第106条の6), its 事務局 the city's 福祉課.
- 北九州市: the seeds name no body that holds cases, so none is made (no working group there).
Dates the seeds do not give (the day of the public announcement, a meeting's day) are demo choices;
the meeting and the people are fictional (架空).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from orgs.models import Organisation
from platform_site.models import Platform

from .models import Council, CouncilKind, CouncilLaw, DutyAcknowledgement, Meeting, MemberBody, SeatKind

KUMAMOTO_COUNCIL_FROM = dt.date(2025, 4, 1)  # 「R7年度4月~を予定」; the announcement's day is a demo choice
UWAJIMA_FROM = dt.date(2022, 10, 1)  # the 検討会's members joined in 令和4年度 (the registry's demo day)

DUTY_KODOKU = (
    "地域協議会の事務に従事する者は、孤独・孤立対策推進法により、正当な理由なく協議会の事務に関して"
    "知り得た秘密を漏らしてはなりません。協議会の事務に従事しなくなった後も同じです。"
    "作業部会で知ったケースの情報は、そのケースの支援のためだけに使います。"
)
DUTY_SOCIAL_WELFARE = (
    "支援会議の事務に従事する者は、社会福祉法第106条の6により、正当な理由なく支援会議の事務に関して"
    "知り得た秘密を漏らしてはなりません。従事しなくなった後も同じです。"
)

COUNCILS: dict[str, dict[str, Any]] = {
    "kumamoto": {
        "name": "熊本市孤独・孤立対策地域協議会",
        "kind": CouncilKind.SEPARATE,
        "law": CouncilLaw.KODOKU,
        "established_on": KUMAMOTO_COUNCIL_FROM,
        "announced_on": KUMAMOTO_COUNCIL_FROM,
        "secretariat": "熊本市 健康福祉局 健康福祉部 健康福祉政策課",
        "duty_version": "2025-04 第1版（デモ）",
        "duty_text": DUTY_KODOKU,
        "groups_end_on_decision": True,
    },
    "uwajima": {
        "name": "宇和島市孤独・孤立対策検討会",
        "kind": CouncilKind.IN_PLATFORM,
        "law": CouncilLaw.SOCIAL_WELFARE,
        "parent_body": "宇和島市重層的支援会議（その分科会）",
        "secretariat": "宇和島市 保健福祉部 福祉課",
        "duty_version": "2022-10 第1版（デモ）",
        "duty_text": DUTY_SOCIAL_WELFARE,
        "groups_end_on_decision": False,
    },
}

# (organisation ref or None, city department, coordinating body)
BODIES: dict[str, list[tuple[str | None, str, bool]]] = {
    "kumamoto": [
        (None, "健康福祉政策課", False),  # the 事務局
        ("KUM-05", "", True),  # KVOAD: the core members are the 調整機関
        ("KUM-16", "", True),  # でんでん虫の会
        ("KUM-18", "", True),  # バルビー
        ("KUM-20", "", True),  # minori
        (None, "高齢福祉課", False),  # 健康福祉局内関係課 (R6)
        (None, "障がい福祉課", False),
        (None, "こころの健康センター", False),
    ],
    "uwajima": [
        (None, "福祉課", False),
        ("UWA-01", "", False),  # 社協
        ("UWA-02", "", False),
        ("UWA-03", "", False),
        ("UWA-04", "", False),  # U.grandma Japan
        ("UWA-05", "", False),
        ("UWA-06", "", False),  # RCF
    ],
}

# username → (platform, member body: an organisation ref, a department, or None for an expert)
SEATS: dict[str, tuple[str, str | None, str]] = {
    "jimukyoku-kumamoto": ("kumamoto", "健康福祉政策課", ""),
    "jimukyoku-kvoad": ("kumamoto", "KUM-05", ""),
    "jimukyoku-minori": ("kumamoto", "KUM-20", ""),
    "jimukyoku-dendenmushi": ("kumamoto", "KUM-16", ""),
    "jimukyoku-barbie": ("kumamoto", "KUM-18", ""),
    "kvoad": ("kumamoto", "KUM-05", ""),
    "dendenmushi": ("kumamoto", "KUM-16", ""),
    "expert-kumamoto": ("kumamoto", None, "弁護士（架空）"),
    "jimukyoku-uwajima": ("uwajima", "福祉課", ""),
    "ugrandma": ("uwajima", "UWA-04", ""),
}

MEETINGS: dict[str, list[dict[str, Any]]] = {
    "kumamoto": [
        {
            "held_on": dt.date(2025, 7, 15),
            "title": "令和7年度 第1回 熊本市孤独・孤立対策地域協議会（架空の記録）",
            "agenda": "1. 地域協議会と作業部会の運営について\n2. 有識者からの知見の共有",
            "minutes": "作業部会は緊急性の高いケースごとに立ち上げ、支援先が決まるまで担うことを確認した。"
            "有識者から、支援者どうしの情報共有と本人同意について話題提供があった（架空の記録）。",
        }
    ],
}


def _body(council: Council, ref: str | None, department: str, coordinating: bool, joined: dt.date) -> None:
    org = Organisation.objects.filter(ref=ref).first() if ref else None
    if ref and org is None:
        return
    lookup = {"organisation": org} if org else {"department": department}
    MemberBody.objects.get_or_create(
        council=council, **lookup, defaults={"is_coordinating": coordinating, "joined_on": joined}
    )


@transaction.atomic
def load(stdout: Any = None) -> dict[str, int]:
    say = (lambda msg: stdout.write(msg)) if stdout else (lambda msg: None)
    made = 0
    for slug, spec in COUNCILS.items():
        platform = Platform.objects.filter(slug=slug).first()
        if platform is None:
            continue
        council, created = Council.objects.get_or_create(platform=platform, defaults=spec)
        made += created
        joined = council.established_on or UWAJIMA_FROM
        for ref, department, coordinating in BODIES.get(slug, []):
            _body(council, ref, department, coordinating, joined)
        for meeting in MEETINGS.get(slug, []):
            recorder = platform.roles.filter(role="secretariat", organisation__isnull=True).first()
            if recorder is not None:
                Meeting.objects.get_or_create(
                    council=council,
                    held_on=meeting["held_on"],
                    title=meeting["title"],
                    defaults={**meeting, "recorded_by": recorder.user},
                )
    users = get_user_model().objects
    for username, (slug, body_key, expertise) in SEATS.items():
        seat_council = Council.objects.filter(platform__slug=slug).first()
        user = users.filter(username=username).first()
        if seat_council is None or user is None:
            continue
        if DutyAcknowledgement.objects.filter(
            council=seat_council, user=user, ended_at__isnull=True
        ).exists():
            continue
        body = None
        if body_key:
            body = (
                seat_council.bodies.filter(organisation__ref=body_key).first()
                or seat_council.bodies.filter(department=body_key).first()
            )
        DutyAcknowledgement.objects.create(
            council=seat_council,
            user=user,
            kind=SeatKind.BODY if body else SeatKind.EXPERT,
            body=body,
            expertise=expertise,
            acknowledged_on=seat_council.established_on or UWAJIMA_FROM,
            text_version=seat_council.duty_version,
            recorded_by=user,
        )
    say(f"守秘義務のある会議体 {made} 件を読み込みました。")
    return {"councils": made}
