"""Fictional demo cases (every one marked 架空) for the three demo platforms. Safe to run twice.

The five 宇和島 rows are the fictional examples printed on the city's own draft ledger
(「記載内容一式は、架空の(イメージ)情報です」), with the OCR garble the domain notes flag put
right (the cash-on-hand figure, 「お金も」, 「スープ」, 「しっかり」 …), as the notes read them. Dates are set relative to today so
the inbox and the stale-work panels have something to show.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from orgs.models import Organisation
from platform_site.models import Platform, PlatformRole

from . import services
from .capabilities import CASES_CONSENT_OVERRIDE, CASES_EXPORT, CASES_SUPPORTER_INTAKE
from .models import (
    Case,
    ConsentItem,
    FoodNeed,
    IntakeRequest,
    Referral,
    Supporter,
    SupporterReport,
    SupportType,
)

ALL_ITEMS = list(ConsentItem.values)

# (age, sex, household, situation, days ago, handoffs [(days ago, given, noticed, report)], close)
UWAJIMA_ROWS: list[dict[str, Any]] = [
    {
        "age": "78",
        "sex": "male",
        "household": "独居",
        "source": "neighbour",
        "ago": 40,
        "needs": [FoodNeed.NO_COOK],
        # consent without name and contact: the coordinator's screen shows neither
        "items": [ConsentItem.AGE, ConsentItem.SEX, ConsentItem.SITUATION, ConsentItem.FOOD_NEEDS],
        "situation": "近隣住民から「以前から姿を見かけない、ゴミを出している様子がない」と相談があり、福祉課が訪問、意欲や意識はしっかりしつつも、生活保護の申請意思を確認したため、対応中。",
        "handoffs": [
            (
                40,
                "ライフラインが止まっているため未調理で食べられる缶詰/防災食/栄養補助食品を中心にお渡しした。",
                "",
                False,
            )
        ],
    },
    {
        "age": "42",
        "sex": "female",
        "household": "3人世帯（相談者・長男・長女）、ひとり親",
        "source": "self",
        "ago": 80,
        "adults": 1,
        "children": 2,
        "situation": "相談者、長男、長女の3人世帯。先月精神疾患ありと診断され、今月から休職中。養育手当を申請予定であるが、入金まで生活が厳しいとのこと相談あり。",
        "handoffs": [
            (80, "米を含めた食糧を提供し、次回は上旬に取りに来ていただくことを案内した。", "", False),
            (
                67,
                "米が尽きたことと合わせて早めに到着され、米を含めた食糧を提供した。",
                "ひとり親世帯とのこと、弊団体の見守り支援を案内したが、近隣の目が気になるとのことで拒否。",
                False,
            ),
            (
                58,
                "米以外の食糧を提供した。",
                "再度米が尽きたことと合わせて早めに訪問された。月1回程度の提供を依頼した。",
                True,
            ),
        ],
        "close": ("benefit", 50, "養育手当が給付されるため食支援は終了（架空）"),
    },
    {
        "age": "82",
        "sex": "male",
        "household": "独居高齢者",
        "source": "self",
        "ago": 20,
        "needs": [FoodNeed.NO_COOK, FoodNeed.SUPPLEMENT],
        "situation": "独居高齢者。先月及び今月(前日)入金された生活保護費を使い切ってしまう、生活に困っている。生活保護費の貯蓄を相談したい。",
        "handoffs": [
            (20, "調理不要かつ栄養価の高い食糧をお渡しした(缶詰/防災食/栄養補助食品/スープ等)。", "", False)
        ],
    },
    {
        "age": "88",
        "sex": "female",
        "household": "独居（兄弟あり）",
        "source": "self",
        "ago": 10,
        "needs": [FoodNeed.SOFT],
        "situation": "長期入院から退院したばかりで、お金も食べ物もない。兄弟へ食糧支援を依頼したがすぐには届かぬため支援してもらえないかと相談あり。",
        "handoffs": [
            (
                8,
                "本人から簡単な調理は可能と伺ったため、レトルト品を含めた食糧を提供した。",
                "兄弟とは関係良好で、今後は近隣地域への引越し(或いは同居)も含めて相談中とのこと。",
                True,
            )
        ],
    },
    {
        "age": "68",
        "sex": "male",
        "household": "賃貸住宅に単身",
        "source": "third_party",
        "ago": 1,
        "needs": [FoodNeed.NO_COOK],
        "urgency": "urgent",
        "situation": "賃貸住宅から電気/水道が止まっている高齢者であることと情報提供を受け、福祉課が同行訪問。生活保護の申請意思を確認したため保護課へ聞いたが、所持金0円のため緊急の食糧が必要状態",
        "handoffs": None,
    },  # referral sent, not yet answered: shows in ugrandma's inbox
]

OTHER_ROWS: dict[str, list[dict[str, Any]]] = {
    "kumamoto": [
        {
            "org": "KUM-16",
            "age": "30代",
            "sex": "",
            "household": "単身",
            "source": "other_channel",
            "ago": 4,
            "handoffs": None,
            "support_type": SupportType.WATCH,
            "situation": "学校からの情報で把握。家族と離れて暮らし、話す相手がいないとのこと（架空の例）。",
            # the 地域協議会's 作業部会 (架空): two core members and an outside expert (弁護士)
            "working_group": ["dendenmushi", "kvoad", "expert-kumamoto"],
        },
        {
            "org": "KUM-16",
            "age": "70代",
            "sex": "male",
            "household": "独居",
            "source": "outreach",
            "ago": 30,
            "support_type": SupportType.WATCH,
            "situation": "水道メーターの検針で異変に気づいた事業者から連絡（架空の例）。",
            # 「支援先決定まで」: the working group closed when でんでん虫の会 accepted (架空)
            "working_group": ["kvoad", "expert-kumamoto"],
            "handoffs": [
                (25, "訪問して声かけ。交流の場を案内した。", "週末は一人で過ごすことが多い。", False)
            ],
        },
    ],
    "kitakyushu": [
        {
            "org": "KIT-01",
            "age": "50代",
            "sex": "male",
            "household": "単身",
            "source": "third_party",
            "ago": 2,
            "handoffs": None,
            "support_type": SupportType.HOUSING,
            "situation": "家賃滞納で退去を求められていると民生委員から連絡（架空の例）。",
        },
        {
            "org": "KIT-01",
            "age": "60代",
            "sex": "female",
            "household": "単身",
            "source": "self",
            "ago": 45,
            "support_type": SupportType.FOOD,
            "needs": [FoodNeed.ALLERGY],
            "allergy": "そば",
            "situation": "失職し、次の給付まで食べるものがないと窓口に相談（架空の例）。",
            "handoffs": [
                (44, "米と缶詰（そばを含まないもの）", "", False),
                (20, "レトルト食品", "就労の相談をしたいとのこと。", True),
            ],
        },
    ],
}

STAFF = {
    "uwajima": ("jimukyoku-uwajima", "ugrandma"),
    "kumamoto": ("jimukyoku-kumamoto", "dendenmushi"),
    "kitakyushu": ("jimukyoku-kitakyushu", "houboku"),
}


def _make(platform: Platform, staff: Any, coordinator: Any, org: Organisation, row: dict[str, Any]) -> Case:
    today = timezone.localdate()
    intake = today - dt.timedelta(days=row["ago"])
    case = services.case_create(
        platform=platform,
        actor=staff,
        data={
            "intake_date": intake,
            "person_name": "（架空）",
            "age": row["age"],
            "sex": row.get("sex", ""),
            "household": row["household"],
            "source": row["source"],
            "situation": row["situation"],
            "hardship_reason": "（架空）経済状況と世帯状況から自治体支援のみでは対応が困難。",
            "willingness_reason": "（架空）本人が生活の立て直しに取り組む意思を示した。",
        },
    )
    case.is_fictional = True
    Case.objects.filter(pk=case.pk).update(is_fictional=True)
    case = services.case_update(
        case=case,
        actor=staff,
        version=case.version,
        data={
            "support_type": row.get("support_type", SupportType.FOOD),
            "frequency_per_month": 2,
            "city_support": "（架空）福祉課が制度の申請を支援する。",
            "npo_support": "（架空）直近の食支援と見守り。",
        },
    )
    services.consent_record(
        case=case,
        actor=staff,
        organisations=[org],
        data={
            "method": "written",
            "given_by": "本人（架空）",
            "given_on": intake,
            "ack_share": True,
            "ack_no_choice": True,
            "ack_take_support": True,
            "ack_end_rule": True,
            "items": row.get("items", ALL_ITEMS),
        },
    )
    referral = services.referral_send(
        case=case,
        actor=staff,
        organisation=org,
        data={
            "support_type": row.get("support_type", SupportType.FOOD),
            "adults": row.get("adults", 1),
            "children": row.get("children", 0),
            "days": 3,
            "food_needs": row.get("needs", []),
            "allergy_detail": row.get("allergy", ""),
            "urgency": row.get("urgency", "normal"),
            "pickup_at": timezone.now() + dt.timedelta(days=1),
        },
    )
    sent_at = timezone.now() - dt.timedelta(days=row["ago"])
    Referral.objects.filter(pk=referral.pk).update(sent_at=sent_at)
    for member in row.get("working_group", []):
        services.working_group_add(case=case, actor=staff, user=get_user_model().objects.get(username=member))
    if row["handoffs"] is None:
        return case
    services.referral_respond(referral=referral, actor=coordinator, accept=True)
    # Demo realism: answered the day after it was sent, picked up the day after that.
    Referral.objects.filter(pk=referral.pk).update(
        responded_at=sent_at + dt.timedelta(days=1), pickup_at=sent_at + dt.timedelta(days=2)
    )
    referral.status = "accepted"
    for ago, given, noticed, report in row["handoffs"]:
        services.handoff_record(
            referral=referral,
            actor=coordinator,
            data={
                "date": today - dt.timedelta(days=ago),
                "given": given,
                "noticed": noticed,
                "report_to_city": report,
            },
        )
    if "close" in row:
        reason, ago, note = row["close"]
        case.refresh_from_db()
        services.case_close(
            case=case,
            actor=staff,
            reason=reason,
            note=note,
            closed_on=today - dt.timedelta(days=ago),
            version=case.version,
        )
    return case


# The ledger's grantable rights given to the demo staff (carried by no role; docs/roles.md).
DEMO_GRANTS: dict[str, list[str]] = {
    "admin-kumamoto": [CASES_EXPORT, CASES_CONSENT_OVERRIDE],
    # the person 熊本's PF names to receive つながりサポーター's reports
    "jimukyoku-kumamoto": [CASES_EXPORT, CASES_SUPPORTER_INTAKE],
    "admin-kitakyushu": [CASES_EXPORT],
    "jimukyoku-kitakyushu": [CASES_EXPORT],
    "admin-uwajima": [CASES_EXPORT, CASES_CONSENT_OVERRIDE],
    "jimukyoku-uwajima": [CASES_EXPORT],
}


def load(stdout: Any = None) -> dict[str, int]:
    say = (lambda msg: stdout.write(msg)) if stdout else (lambda msg: None)
    users = get_user_model().objects
    for username, grants in DEMO_GRANTS.items():
        PlatformRole.objects.filter(user__username=username).update(grants=grants)
    made = 0
    plan = {"uwajima": [{**r, "org": "UWA-04"} for r in UWAJIMA_ROWS], **OTHER_ROWS}
    for slug, rows in plan.items():
        platform = Platform.objects.filter(slug=slug).first()
        if platform is None or Case.objects.filter(platform=platform, is_fictional=True).exists():
            continue
        staff_name, coordinator_name = STAFF[slug]
        staff, coordinator = users.get(username=staff_name), users.get(username=coordinator_name)
        for row in rows:
            _make(platform, staff, coordinator, Organisation.objects.get(ref=row["org"]), row)
            made += 1
    say(f"架空のケース {made} 件を読み込みました。")
    flow = _uwajima_two_way_flow()
    reports = _kumamoto_supporters()
    return {"cases": made + flow, "supporter_reports": reports}


def _uwajima_two_way_flow() -> int:
    """宇和島's flow both ways (R4: 「②NPO団体から重層的支援体制への緊急性ある世帯の対応依頼」): a
    household U.grandma Japan met at the food outreach, asked of the city with consent, taken into
    a case with U.grandma as its source, referred back, and handed on to 宇和島NPOセンター for
    見守り under the consent. Everything about the household is fictional (架空)."""
    platform = Platform.objects.filter(slug="uwajima").first()
    if platform is None or IntakeRequest.objects.filter(platform=platform).exists():
        return 0
    users = get_user_model().objects
    staff, coordinator = users.get(username="jimukyoku-uwajima"), users.get(username="ugrandma")
    source, watcher = Organisation.objects.get(ref="UWA-04"), Organisation.objects.get(ref="UWA-05")
    today = timezone.localdate()
    request = services.intake_request_send(
        platform=platform,
        actor=coordinator,
        organisation=source,
        data={
            "urgency": "urgent",
            "person_name": "（架空）",
            "age": "40代",
            "household": "ひとり親と子ども2人",
            "situation": "（架空）食のアウトリーチで出会った世帯。電気が止まり、数日食べていないとのこと。",
            "ask": "（架空）生活の立て直しの相談につないでほしい。",
            "consent_method": "oral",
            "consent_given_by": "本人（架空）",
            "consent_given_on": today - dt.timedelta(days=12),
        },
    )
    IntakeRequest.objects.filter(pk=request.pk).update(sent_at=timezone.now() - dt.timedelta(days=12))
    case = services.intake_request_accept(
        intake_request=request,
        actor=staff,
        data={
            "intake_date": today - dt.timedelta(days=12),
            "person_name": "（架空）",
            "age": "40代",
            "household": "ひとり親と子ども2人",
            "situation": request.situation,
            "hardship_reason": "（架空）ライフラインが止まり、給付の開始まで日がある。",
            "willingness_reason": "（架空）本人が福祉課での相談を希望した。",
        },
        answer="（架空）福祉課で受け付けました。食支援はU.grandma Japanさんにお願いします。",
    )
    Case.objects.filter(pk=case.pk).update(is_fictional=True)
    case = services.case_update(
        case=case,
        actor=staff,
        version=case.version,
        data={"support_type": SupportType.FOOD, "frequency_per_month": 2},
    )
    services.consent_record(
        case=case,
        actor=staff,
        organisations=[source, watcher],
        data={
            "method": "written",
            "given_by": "本人（架空）",
            "given_on": today - dt.timedelta(days=11),
            "ack_share": True,
            "ack_no_choice": True,
            "ack_take_support": True,
            "ack_end_rule": True,
            "items": [ConsentItem.AGE, ConsentItem.HOUSEHOLD, ConsentItem.SITUATION, ConsentItem.FOOD_NEEDS],
        },
    )
    referral = services.referral_send(
        case=case,
        actor=staff,
        organisation=source,
        data={"support_type": SupportType.FOOD, "adults": 1, "children": 2, "days": 3, "urgency": "urgent"},
    )
    referral = services.referral_respond(referral=referral, actor=coordinator, accept=True)
    services.handoff_record(
        referral=referral,
        actor=coordinator,
        data={
            "date": today - dt.timedelta(days=10),
            "given": "（架空）調理不要の食品3日分",
            "report_to_city": True,
        },
    )
    services.referral_hand_on(
        case=case,
        actor=coordinator,
        from_referral=referral,
        organisation=watcher,
        data={"support_type": SupportType.WATCH, "adults": 1, "children": 2, "days": 1},
    )
    return 1


KUMAMOTO_SUPPORTERS = [
    # username, training, refresher due (years after), badge, area — fictional
    ("supporter-kumamoto", dt.date(2024, 11, 16), 2, "K-0012", "中央区"),
]


def _kumamoto_supporters() -> int:
    """熊本's PF sends lecturers to つながりサポーター courses (KUM-E14): a fictional supporter with
    their training and refresher dates, and one fictional report to the named intake."""
    platform = Platform.objects.filter(slug="kumamoto").first()
    if platform is None:
        return 0
    users = get_user_model().objects
    for username, trained_on, years, badge, area in KUMAMOTO_SUPPORTERS:
        user = users.filter(username=username).first()
        if user is None:
            continue
        Supporter.objects.update_or_create(
            platform=platform,
            user=user,
            defaults={
                "trained_on": trained_on,
                "renewal_due_on": trained_on.replace(year=trained_on.year + years),
                "badge_number": badge,
                "area": area,
            },
        )
    if SupporterReport.objects.filter(platform=platform).exists():
        return 0
    supporter = users.filter(username=KUMAMOTO_SUPPORTERS[0][0]).first()
    if supporter is None or not services.supporter_intake_users(platform=platform):
        return 0
    report = services.supporter_report_send(
        platform=platform,
        actor=supporter,
        data={
            "body": "（架空）近所の一人暮らしの高齢の方を、この1週間見かけません。郵便受けがいっぱいです。"
        },
    )
    SupporterReport.objects.filter(pk=report.pk).update(sent_at=timezone.now() - dt.timedelta(days=2))
    return 1
