"""Demo registry from the public facts in the source reports (shared/domain orgs.csv, platforms.md).

Facts (names, legal forms, websites, phones, hours, activity text, core members, joined fiscal
year) are the reports'. What the reports do not give is marked as demo inference in
fixtures/README.md: name readings, the worry-category assignment and day-of-month of joining.
The OCR errors the reports' notes flag are corrected (``OCR_CORRECTIONS``, shared with the other
demo loaders); the value columns of the domain table stay verbatim.
Idempotent: every row is found by a natural key and updated in place.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from platform_site.lib import japanese as jp
from platform_site.models import MembershipTarget, Platform, PlatformRole, Role

from . import events as ev
from .models import (
    ActivityField,
    ApplicationWish,
    Language,
    ListingApplication,
    Membership,
    MembershipSource,
    MembershipStatus,
    Notice,
    NoticeKind,
    Organisation,
    OrgChange,
    PFRole,
    Phone,
    WorryCategory,
)
from .pipeline import RoleSpan
from .searchtext import search_text_refresh
from .services import change_record, set_single_period

# OCR errors flagged in the domain notes, corrected wherever the demo shows report text.
OCR_CORRECTIONS: list[tuple[str, str]] = [
    ("招機", "抱樸"),
    ("ワークスコープ", "ワーカーズコープ"),
    ("とにもろく", "ともに拓く"),
    ("グラフィアー", "グラフィア"),
    ("特別非営利活動法人", "特定非営利活動法人"),
    ("津久喜市", "津久見市"),
]


def fix_ocr(text: str) -> str:
    """The report's text with the flagged OCR errors corrected."""
    for wrong, right in OCR_CORRECTIONS:
        text = text.replace(wrong, right)
    return text


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DEMO_PASSWORD = "tsunagu-demo-2026"

# #9999 (national line) menu first, then what 熊本's leaflet groups by.
WORRY_CATEGORIES = [
    ("孤独・孤立", "ひとりぼっちと感じる、話を聞いてほしい"),
    ("生活に困窮", "お金や食べ物、暮らしに困っている"),
    ("住まい", "住む場所に困っている、住まいを探したい"),
    ("仕事", "働きたい、仕事のことで悩んでいる"),
    ("18歳以下", "子ども・若者本人の悩み、居場所"),
    ("シングルマザー", "ひとり親・子育ての悩み"),
    ("外国語での相談", "日本語以外で相談したい"),
    ("性別の違和や同性愛", "LGBTQ+ に関すること、家族や友人として"),
    ("DVや性暴力など女性の悩み", "暴力や性被害、女性の悩み"),
    ("死にたいほどつらい", "とてもつらい気持ちを聞いてほしい"),
    ("障がい・心の健康", "障がいや心の不調、家族として"),
    ("依存症", "お酒・薬物・ギャンブルなど"),
    ("高齢・介護", "高齢の方、介護、成年後見"),
    ("犯罪被害", "犯罪の被害にあった、家族が被害にあった"),
    ("災害", "被災した、災害の備え"),
    ("居場所・交流", "気軽に集まれる場所、交流の場"),
]
# The same categories in English (the directory's /en/ pages and the English leaflet).
WORRY_CATEGORIES_EN = {
    "孤独・孤立": ("Loneliness and isolation", "You feel alone and want someone to listen"),
    "生活に困窮": ("Money and daily living", "Trouble with money, food or daily life"),
    "住まい": ("Housing", "You have nowhere to live or are looking for a home"),
    "仕事": ("Work", "You want to work or have worries about your job"),
    "18歳以下": ("Under 18", "Worries of children and young people, places to be"),
    "シングルマザー": ("Single parents", "Raising children alone, parenting worries"),
    "外国語での相談": ("Help in other languages", "You want to talk in a language other than Japanese"),
    "性別の違和や同性愛": ("Gender identity and sexuality", "LGBTQ+ matters, also as family or friends"),
    "DVや性暴力など女性の悩み": (
        "Domestic and sexual violence, women's worries",
        "Violence, sexual assault and other worries of women",
    ),
    "死にたいほどつらい": ("Feeling like you want to die", "You feel very low and want someone to listen"),
    "障がい・心の健康": ("Disability and mental health", "Disability or poor mental health, also as family"),
    "依存症": ("Addiction", "Alcohol, drugs, gambling and more"),
    "高齢・介護": ("Older people and care", "Older people, nursing care, adult guardianship"),
    "犯罪被害": ("Victims of crime", "You or your family were harmed by a crime"),
    "災害": ("Disasters", "You were hit by a disaster, or want to be prepared"),
    "居場所・交流": ("Places to meet", "Easy-going places to drop in and meet people"),
}
ACTIVITY_FIELDS = [
    ("相談", "相"),
    ("居場所", "居"),
    ("食支援", "食"),
    ("訪問・見守り", "訪"),
    ("就労", "就"),
    ("住まい", "住"),
]
ACTIVITY_FIELDS_EN = {
    "相談": "Counselling",
    "居場所": "Places to be",
    "食支援": "Food support",
    "訪問・見守り": "Home visits",
    "就労": "Employment",
    "住まい": "Housing",
}
LANGUAGES = [
    ("en", "英語", "English"),
    ("zh", "中国語", "Chinese"),
    ("ko", "韓国語", "Korean"),
    ("vi", "ベトナム語", "Vietnamese"),
    ("tl", "タガログ語", "Tagalog"),
    ("pt", "ポルトガル語", "Portuguese"),
    ("ne", "ネパール語", "Nepali"),
    ("id", "インドネシア語", "Indonesian"),
]

# 「いつでも電話できる窓口」 (platform setting): #9999 is the national 孤独・孤立 line the product
# brief names; its hours are not in our sources, so none are printed. The second line is a demo
# entry with an obviously fictional number, marked as such: each city enters the lines it chooses.
DEMO_PHONE_LINES = (
    "孤独・孤立相談ダイヤル（全国）｜#9999｜孤独や孤立の悩みを相談できる国の窓口\n"
    "【デモ用の架空の窓口】こころの相談電話｜0000-00-0000｜架空の番号です。設定画面で実際の窓口に置き換えてください"
)

PLATFORMS: dict[str, dict[str, Any]] = {
    "kumamoto": {
        "prefix": "KUM",
        "name": "熊本市孤独・孤立対策官民連携プラットフォーム",
        "municipality": "熊本市",
        "municipality_code": "431001",
        "secretariat": "熊本市 健康福祉局 健康福祉部 健康福祉政策課",
        "secretariat_phone": "096-328-2340",
        "founded_on": dt.date(2023, 3, 1),
        "founded_note": "令和5年3月（令和4年度）",
        # R4 KPI 「まずは 20~30 団体程度」 (000 §6①); 30 by R6 is the demo's reading of it
        "targets": {2022: 20, 2024: 30},
        "leaflet_title": "相談先一覧",
        "leaflet_header": "熊本市は民間団体と協力した 孤独・孤立対策に取り組んでいます",
        "leaflet_message": "ひとりぼっちと感じるとき ひとりで抱えているのが辛くなったとき 話せる場所を探してみませんか？\nあなたに寄り添う地域の支援を掲載しています。\nIf you feel alone, there may be a place to talk to in your language.",
        "leaflet_contact": "リーフレットに関する問い合わせ先 熊本市 健康福祉政策課 ☎096-328-2340",
        "leaflet_issued_label": "令和7年(2025年)3月作成",
        "leaflet_phone_lines": DEMO_PHONE_LINES,
    },
    "kitakyushu": {
        "prefix": "KIT",
        "name": "北九州市孤独・孤立対策等連携協議会",
        "municipality": "北九州市",
        "municipality_code": "401005",
        "secretariat": "北九州市社会福祉協議会（協働型委託）／北九州市 保健福祉局 地域福祉部 地域福祉推進課",
        "secretariat_phone": "093-582-2060",
        "founded_on": dt.date(2022, 2, 1),
        "founded_note": "令和4年2月",
        # 15 at founding (R4年2月), 「5年後30団体」 (004, R5 report); the steps between are a demo line
        "targets": {2023: 18, 2024: 21, 2025: 24, 2026: 27, 2027: 30},
        "leaflet_title": "相談先一覧",
        "leaflet_header": "北九州市孤独・孤立対策等連携協議会の参加団体",
        "leaflet_message": "どこに相談しても必要な支援にたどり着けるように。",
        "leaflet_contact": "北九州市 地域福祉推進課 TEL. 093-582-2060",
        "leaflet_issued_label": "",
        "leaflet_phone_lines": DEMO_PHONE_LINES,
    },
    "uwajima": {
        "prefix": "UWA",
        "name": "宇和島市孤独・孤立対策検討会",
        "municipality": "宇和島市",
        "municipality_code": "382035",
        "secretariat": "宇和島市 保健福祉部 福祉課",
        "secretariat_phone": "",
        "founded_on": None,
        "founded_note": "令和4年度（重層的支援会議の分科会として設置）",
        "targets": {},  # no target in the reports
        "leaflet_title": "相談先一覧",
        "leaflet_header": "宇和島市の食支援・相談先",
        "leaflet_message": "",
        "leaflet_contact": "宇和島市 福祉課 くらしの相談窓口",
        "leaflet_issued_label": "",
        "leaflet_phone_lines": DEMO_PHONE_LINES,
    },
}

# English names and descriptions: not in the reports; written for the demo (demo inference),
# so the /en/ pages show both cases: an organisation with its English entry, and one without.
NAMES_EN = {
    "KUM-03": ("Kumamoto YWCA Colorful Pace", "A place to talk and meet for women and young people."),
    "KUM-07": ("Kumamoto DARC", "Recovery support for people with drug and other addictions."),
    "KUM-14": ("Comstuka: Living Together with Foreigners", "Counselling for foreign residents."),
    "KUM-19": ("The Big Issue Kumamoto team", ""),
}

# Readings (名称カナ): not in the reports; given here for 五十音 order.
READINGS = {
    "KUM-01": "エルジービーティーノカゾクトユウジンヲツナグカイ",
    "KUM-02": "ジリツセイカツシエンクマモトホホエミノカイ",
    "KUM-03": "クマモトワイダブリューシーエーカラフルペース",
    "KUM-04": "クマモトケンコドモショクドウネットワーク",
    "KUM-05": "クマモトサイガイボランティアダンタイネットワーク",
    "KUM-06": "クマモトソウダンジョ",
    "KUM-07": "クマモトダルク",
    "KUM-08": "クマモトドングリ",
    "KUM-09": "クマニジ",
    "KUM-10": "ケイチョウネットキーステーション",
    "KUM-11": "フレンズ",
    "KUM-12": "グリーンコープ",
    "KUM-13": "グリーンコープセイカツキョウドウクミアイクマモト",
    "KUM-14": "コムスタカ ガイコクジントトモニイキルカイ",
    "KUM-15": "デコボコライフデザイン",
    "KUM-16": "デンデンムシノカイ",
    "KUM-17": "トモニヒラクエルジービーティーキュープラスノカイクマモト",
    "KUM-18": "バルビー",
    "KUM-19": "ビッグイシュークマモトチーム",
    "KUM-20": "ミノリ",
    "KUM-21": "セイネンコウケンアンシンサポートネットクマモト",
    "KUM-22": "フリースクールテラコヤ",
    "KUM-23": "ガット",
    "KUM-24": "ミルクラブ",
    "KUM-25": "コソダテネットワークエンガワモヤイ",
    "KUM-26": "クマモトシココロノショウガイシャカゾクカイ",
    "KUM-27": "クマモトシキョジュウシエンキョウギカイ",
    "KUM-28": "クマモトケンシュウロウシエンジギョウシャキコウ",
    "KUM-29": "ミジカナハンザイヒガイシャヲシエンスルカイ",
    "KUM-30": "ウィメンズカウンセリングルームクマモト",
    "KUM-31": "シェルターインクマモト",
    "KUM-32": "クマモトシテヲツナグイクセイカイ",
    "KUM-33": "オイトヤマイノブンカケンキュウジョワレモコウ",
    "KUM-34": "ハヤテノカケハシ",
    "KUM-35": "キクスイガクエン",
    "KUM-36": "オリーブノイエ",
    "UWA-01": "ウワジマシシャカイフクシキョウギカイ",
    "UWA-02": "ウワジマシミンキョウサイカイ",
    "UWA-03": "セイワカイ",
    "UWA-04": "ユーグランマジャパン",
    "UWA-05": "ウワジマエヌピーオーセンター",
    "UWA-06": "アールシーエフ",
    "UWA-07": "カムカイヨシダ",
    "UWA-08": "ウィーサポートファミリー",
    "KIT-01": "ホウボク",
    "KIT-02": "オイヲササエルキタキュウシュウカゾクノカイ",
    "KIT-03": "フードバンクキタキュウシュウライフアゲイン",
    "KIT-04": "オオタニダイニチクシャカイフクシキョウギカイ",
    "KIT-05": "キタキュウシュウシコドモワカモノオウエンセンターエール",
    "KIT-06": "キタキュウシュウシショウガイシャキカンソウダンシエンセンター",
    "KIT-07": "キタキュウシュウシヒキコモリチイキシエンセンターステップ",
    "KIT-08": "キタキュウシュウシシャカイフクシキョウギカイ",
}

# Worry categories per organisation: a demo reading of each activity, not a fact of the reports.
CATEGORIES = {
    "KUM-01": ["性別の違和や同性愛"],
    "KUM-02": ["生活に困窮", "住まい", "仕事"],
    "KUM-03": ["性別の違和や同性愛", "居場所・交流"],
    "KUM-04": ["18歳以下", "居場所・交流"],
    "KUM-05": ["災害", "孤独・孤立"],
    "KUM-06": ["孤独・孤立", "生活に困窮"],
    "KUM-07": ["依存症"],
    "KUM-08": ["居場所・交流"],
    "KUM-09": ["性別の違和や同性愛", "外国語での相談"],
    "KUM-10": ["孤独・孤立", "死にたいほどつらい"],
    "KUM-11": ["性別の違和や同性愛", "死にたいほどつらい"],
    "KUM-12": ["生活に困窮"],
    "KUM-13": ["生活に困窮"],
    "KUM-14": ["外国語での相談"],
    "KUM-15": ["障がい・心の健康"],
    "KUM-16": ["孤独・孤立", "障がい・心の健康"],
    "KUM-17": ["性別の違和や同性愛"],
    "KUM-18": ["外国語での相談", "生活に困窮"],
    "KUM-19": ["生活に困窮", "仕事"],
    "KUM-20": ["18歳以下", "DVや性暴力など女性の悩み"],
    "KUM-21": ["高齢・介護", "障がい・心の健康"],
    "KUM-22": ["18歳以下"],
    "KUM-23": ["孤独・孤立"],
    "KUM-24": ["シングルマザー"],
    "KUM-25": ["シングルマザー", "居場所・交流"],
    "KUM-26": ["障がい・心の健康"],
    "KUM-27": ["住まい"],
    "KUM-28": ["仕事"],
    "KUM-29": ["犯罪被害"],
    "KUM-30": ["DVや性暴力など女性の悩み"],
    "KUM-31": ["DVや性暴力など女性の悩み"],
    "KUM-32": ["障がい・心の健康"],
    "KUM-33": ["高齢・介護"],
    "KUM-34": ["孤独・孤立"],
    "KUM-35": ["障がい・心の健康"],
    "KUM-36": ["生活に困窮", "住まい"],
    "UWA-01": ["生活に困窮", "高齢・介護"],
    "UWA-04": ["生活に困窮", "シングルマザー"],
    "UWA-05": ["孤独・孤立"],
    "KIT-01": ["生活に困窮", "住まい"],
    "KIT-02": ["高齢・介護"],
    "KIT-03": ["生活に困窮"],
    "KIT-05": ["18歳以下"],
    "KIT-06": ["障がい・心の健康"],
    "KIT-07": ["孤独・孤立"],
    "KIT-08": ["孤独・孤立"],
}
PRIVATE_ADDRESS = {"KUM-31"}  # a shelter: never publish where it is

DEMO_USERS = [
    # username, full name, platform, role, organisation ref (the ledger gives its grants: cases.demo)
    ("admin-kumamoto", "管理者（熊本市・デモ）", "kumamoto", Role.ADMIN, None),
    # the city's 健康福祉政策課: the 地域協議会's 事務局 (the PF's 事務局 is its core members, below)
    (
        "jimukyoku-kumamoto",
        "地域協議会事務局（熊本市 健康福祉政策課・デモ）",
        "kumamoto",
        Role.SECRETARIAT,
        None,
    ),
    ("dendenmushi", "コーディネーター（でんでん虫の会・デモ）", "kumamoto", Role.COORDINATOR, "KUM-16"),
    ("kvoad", "コーディネーター（KVOAD・デモ）", "kumamoto", Role.COORDINATOR, "KUM-05"),
    # 「コアメンバーがPF事務局でもあり、地域協議会の調整機関」: one person of each core member
    ("jimukyoku-kvoad", "PF事務局（KVOAD・デモ）", "kumamoto", Role.SECRETARIAT, "KUM-05"),
    ("jimukyoku-minori", "PF事務局（minori・デモ）", "kumamoto", Role.SECRETARIAT, "KUM-20"),
    ("jimukyoku-dendenmushi", "PF事務局（でんでん虫の会・デモ）", "kumamoto", Role.SECRETARIAT, "KUM-16"),
    ("jimukyoku-barbie", "PF事務局（バルビー・デモ）", "kumamoto", Role.SECRETARIAT, "KUM-18"),
    # an outside expert of the 作業部会 (有識者・法律専門職): a fictional person
    ("expert-kumamoto", "専門家（弁護士・架空・デモ）", "kumamoto", Role.EXPERT, None),
    # つながりサポーター (fictional residents; their training records: cases.demo)
    ("supporter-kumamoto", "つながりサポーター（熊本市・デモ）", "kumamoto", Role.SUPPORTER, None),
    ("admin-kitakyushu", "管理者（北九州市・デモ）", "kitakyushu", Role.ADMIN, None),
    ("jimukyoku-kitakyushu", "事務局（北九州市・デモ）", "kitakyushu", Role.SECRETARIAT, None),
    # from 令和5年度 the 企画・運営 of the 連携協議会 is the 社協's (協働型の委託; its role period in the registry)
    ("jimukyoku-shakyo", "事務局（北九州市社会福祉協議会・デモ）", "kitakyushu", Role.SECRETARIAT, "KIT-08"),
    ("houboku", "コーディネーター（抱樸・デモ）", "kitakyushu", Role.COORDINATOR, "KIT-01"),
    ("admin-uwajima", "管理者（宇和島市・デモ）", "uwajima", Role.ADMIN, None),
    ("jimukyoku-uwajima", "事務局（宇和島市・デモ）", "uwajima", Role.SECRETARIAT, None),
    ("ugrandma", "コーディネーター（U.grandma Japan・デモ）", "uwajima", Role.COORDINATOR, "UWA-04"),
]

_PHONE = re.compile(r"0\d{1,4}-\d{1,4}-\d{3,4}")


def _phones(raw: str) -> list[tuple[str, str]]:
    found = _PHONE.findall(raw or "")
    if not found:
        return []
    note = _PHONE.sub("", raw).strip(" 　")
    return [(num, note) for num in found]


def _website(raw: str) -> str:
    try:
        URLValidator()(raw)
    except ValidationError:
        return ""
    return raw


def _membership_for(row: dict[str, str]) -> dict[str, Any] | None:
    """Status, dates and source from the reports' wording (day of month is a demo choice)."""
    rid, status, joined = row["org_id"], row["membership_status"], row["joined"]
    core = row["core_member"].startswith("yes")
    if rid.startswith("KUM"):
        if status == "member" and joined.startswith("令和4年度"):
            return {
                "status": MembershipStatus.MEMBER,
                "joined_on": dt.date(2023, 3, 1),
                "source": MembershipSource.FOUNDING,
                "is_core": core,
                # the core members are the PF's 事務局 by the R6 report (「コアメンバーがPF事務局でもあり」)
                "pf_role": PFRole.SECRETARIAT if core else PFRole.MEMBER,
            }
        if status == "member" and joined.startswith("令和6年度"):
            return {
                "status": MembershipStatus.MEMBER,
                "joined_on": dt.date(2024, 11, 1),
                "source": MembershipSource.RESOURCE_SURVEY,
                "source_note": "令和6年度 資源調査（619団体に送付・145団体回答）",
            }
        if status == "leaflet_draft_only":
            return {
                "status": MembershipStatus.CANDIDATE,
                "source": MembershipSource.OTHER,
                "source_note": "令和4年度リーフレット素案に掲載（参加は未確認）",
            }
        return None
    if rid.startswith("UWA"):
        if status == "member":
            return {
                "status": MembershipStatus.MEMBER,
                "joined_on": dt.date(2022, 10, 1),
                "source": MembershipSource.FOUNDING,
                "is_core": core,
                "pf_role": PFRole.CORE if core else PFRole.MEMBER,
                "note": "令和4年度に参加（日付は年度のみ判明）",
            }
        if status == "partner":
            return {
                "status": MembershipStatus.CONTACTED,
                "source": MembershipSource.REFERRAL,
                "source_note": "食支援の連携先（パートナー）",
            }
        return None
    if rid.startswith("KIT"):
        if status == "probable_member":
            return {
                "status": MembershipStatus.MEMBER,
                "joined_on": dt.date(2022, 2, 1),
                "source": MembershipSource.FOUNDING,
                "note": "資料からの推定（設立時15団体の名簿は資料にない）",
            }
        if status == "secretariat_contractor":
            return {
                "status": MembershipStatus.MEMBER,
                "joined_on": dt.date(2023, 4, 1),
                "pf_role": PFRole.SECRETARIAT,
                "source": MembershipSource.OTHER,
                "source_note": "令和5年度 事務局の企画・運営を協働型で受託",
            }
    return None


KUMAMOTO_SECRETARIAT_FROM = dt.date(2024, 4, 1)  # demo choice: 令和6年度, the year the R6 report describes


def _roles_for(rid: str, member: Membership) -> list[RoleSpan] | None:
    """熊本's four core members: コアメンバー from founding, the PF's 事務局 from 令和6年度 (the R4
    report plans it, the R6 report states it; the day is a demo choice). Others: None (one role
    period over their membership)."""
    if not (rid.startswith("KUM") and member.is_core and member.joined_on):
        return None
    return [
        RoleSpan(PFRole.CORE, True, member.joined_on, KUMAMOTO_SECRETARIAT_FROM),
        RoleSpan(PFRole.SECRETARIAT, True, KUMAMOTO_SECRETARIAT_FROM),
    ]


@transaction.atomic
def load(stdout: Any = None) -> dict[str, Any]:
    say = (lambda msg: stdout.write(msg)) if stdout else (lambda msg: None)
    for order, (code, name, name_en) in enumerate(LANGUAGES):
        Language.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
    english = Language.objects.get(code="en")
    platforms: dict[str, Platform] = {}
    for slug, spec in PLATFORMS.items():
        fields = {k: v for k, v in spec.items() if k not in ("prefix", "targets")}
        platforms[slug], _ = Platform.objects.update_or_create(slug=slug, defaults=fields)
        for year, target in spec["targets"].items():
            MembershipTarget.objects.update_or_create(
                platform=platforms[slug], fiscal_year=year, defaults={"target": target}
            )
        for order, (cname, desc) in enumerate(WORRY_CATEGORIES):
            WorryCategory.objects.update_or_create(
                platform=platforms[slug],
                name=cname,
                defaults={
                    "order": order,
                    "description": desc,
                    "name_en": WORRY_CATEGORIES_EN[cname][0],
                    "description_en": WORRY_CATEGORIES_EN[cname][1],
                },
            )
        for order, (fname, mark) in enumerate(ACTIVITY_FIELDS):
            ActivityField.objects.update_or_create(
                platform=platforms[slug],
                name=fname,
                defaults={"order": order, "mark": mark, "name_en": ACTIVITY_FIELDS_EN[fname]},
            )
    prefix_to_platform = {spec["prefix"]: platforms[slug] for slug, spec in PLATFORMS.items()}

    with open(FIXTURES / "domain" / "orgs.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    count, loaded = 0, []
    for row in rows:
        rid = row["org_id"]
        platform = prefix_to_platform.get(rid[:3])
        membership = _membership_for(row) if platform else None
        if membership is None:
            continue
        legal_form = fix_ocr(row["legal_form"]) if not row["legal_form"].startswith("（") else ""
        org, created = Organisation.objects.update_or_create(
            ref=rid,
            defaults={
                "name": fix_ocr(row["name"]),
                "name_kana": READINGS[rid],
                "sort_key": jp.kana_sort_key(READINGS[rid]),
                "legal_form": legal_form,
                "website": _website(row["website"]),
                "email": row["email"],
                "hours": row["hours"],
                "activity": fix_ocr(row["activity"]),
                "name_en": NAMES_EN.get(rid, ("", ""))[0],
                "activity_en": NAMES_EN.get(rid, ("", ""))[1],
                "lgbtq_support": row["lgbt"] == "yes",
                "public_listing": membership["status"] == MembershipStatus.MEMBER,
                "address_private": rid in PRIVATE_ADDRESS,
            },
        )
        if created:
            change_record(
                organisation=org,
                platform=platform,
                actor=None,
                action="orgs.organisation.created",
                changes={"name": [None, org.name]},
                source=OrgChange.Source.SYSTEM,
            )
        org.phones.all().delete()
        Phone.objects.bulk_create(
            [
                Phone(organisation=org, number=n, note=note, order=i)
                for i, (n, note) in enumerate(_phones(row["phone"]))
            ]
        )
        org.worry_categories.set(
            WorryCategory.objects.filter(platform=platform, name__in=CATEGORIES.get(rid, []))
        )
        org.languages.set([english] if row["foreign_language"] == "yes" else [])
        member, _ = Membership.objects.update_or_create(
            platform=platform, organisation=org, defaults=membership
        )
        if changed := set_single_period(member, roles=_roles_for(rid, member)):
            change_record(
                organisation=org,
                platform=platform,
                actor=None,
                action=ev.MEMBERSHIP_UPDATED,
                changes=changed,
                source=OrgChange.Source.SYSTEM,
            )
        loaded.append(org.pk)
        count += 1
    search_text_refresh(ids=loaded)
    say(f"団体 {count} 件を読み込みました。")

    user_model = get_user_model()
    for username, full_name, slug, role, org_ref in DEMO_USERS:
        # example.jp is reserved for examples: the demo's reminders and notices go nowhere real.
        email = f"{username}@demo.example.jp"
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"last_name": full_name, "email": email}
        )
        if not user.email:
            user.email = email
            user.save(update_fields=["email"])
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        PlatformRole.objects.update_or_create(
            user=user,
            platform=platforms[slug],
            defaults={
                "role": role,
                "organisation": Organisation.objects.get(ref=org_ref) if org_ref else None,
            },
        )
    for platform in platforms.values():
        _members_side_demo(platform)
    return {"platforms": platforms, "organisations": count}


def _members_side_demo(platform: Platform) -> None:
    """A notice to every member and one application waiting for review, both fictional (架空):
    the members' side has something to show. Loading twice changes nothing."""
    from .members.selectors import notice_audience_ids

    notice, created = Notice.objects.get_or_create(
        platform=platform,
        title="【デモ用の架空のお知らせ】地域の居場所づくり助成金の募集",
        defaults={
            "kind": NoticeKind.GRANT,
            "body": "架空の助成金です。デモ用のお知らせで、実在の募集ではありません。",
            "deadline": timezone.localdate() + dt.timedelta(days=30),
            "to_all": True,
        },
    )
    if created:
        notice.audience = notice_audience_ids(notice)
        notice.save(update_fields=["audience"])
    ListingApplication.objects.get_or_create(
        platform=platform,
        name="【デモ用の架空の団体】はなみずき子ども食堂",
        defaults={
            "wish": ApplicationWish.JOIN,
            "name_kana": "ハナミズキコドモショクドウ",
            "activity": "架空の団体です。月2回、地域の子どもと家族に食事と居場所を用意しています。",
            "contact_name": "架空 花子",
            "contact_email": "hanamizuki@demo.example.jp",
            "consent_listing": True,
            "sender_key": "demo",
        },
    )


def describe() -> list[str]:
    """The demo users and their password, printed by load_demo."""
    lines = [f"デモ利用者（パスワードはすべて {DEMO_PASSWORD}）:"]
    lines += [f"  {username:22} {slug:11} {full_name}" for username, full_name, slug, *_ in DEMO_USERS]
    return lines
