"""Demo surveys from the seed reports.

- 北九州市「人々のつながりに関する基礎調査業務」（令和4年度）: 7,000 sampled, 1,691 paper + 488 WEB =
  2,179 responses (31.1%), 「しばしばある・常にある」4.2%. The seeds give only these aggregates, so the
  respondents here are **generated (架空)**: a fixed-seed file that reproduces exactly those figures,
  imported through the same importer as a real file. Everything else in it is invented.
- Published aggregates, stored as the reports give them (no raw rows): 熊本市's resource survey
  (令和6年度, 619 → 145, 23.4%), 熊本市's 令和4年度 lecture questionnaire (8 + 8 + 2 of 19, as
  written), and 愛媛県's survey (令和4年度, WEB; 7.5% vs national 4.5%), shown on 宇和島市's platform
  as the prefecture's survey that covers the city.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import Any

from django.db import transaction

from platform_site.models import Platform

from .imports import import_apply
from .items import STANDARD_CODES
from .models import Survey, SurveyKind
from .services import published_figures_replace, question_add, survey_create

KITAKYUSHU_TITLE = "北九州市 人々のつながりに関する基礎調査（架空の回答票）"
KITAKYUSHU_SAMPLE = 7000
KITAKYUSHU_MAIL, KITAKYUSHU_WEB = 1691, 488
# direct answer → respondents; 92 / 2,179 = 4.2% 「しばしばある・常にある」, 20 無回答 (0.9%)
KITAKYUSHU_DIRECT = {5: 92, 4: 316, 3: 379, 2: 848, 1: 524, None: 20}
_AGE_WEIGHTS = [4, 9, 11, 14, 15, 16, 18, 13]  # 16–19 … 80+
_AGE_WEIGHTS_LONELY = [3, 8, 9, 22, 12, 10, 12, 24]  # 40代 and 80代以上 the highest (the seeds' profile)


def _ucla(rng: random.Random, level: int) -> Any:
    """One UCLA item (1–4), higher with the direct answer; about 1% left blank."""
    if rng.random() < 0.012:
        return ""
    return max(1, min(4, round(rng.gauss(1.2 + level * 0.6, 0.7))))


def kitakyushu_rows(seed: int = 2022) -> list[list[Any]]:
    """The generated respondents (header first). Deterministic: the same file every time."""
    rng = random.Random(seed)
    direct = [value for value, count in KITAKYUSHU_DIRECT.items() for _ in range(count)]
    rng.shuffle(direct)
    channels = ["郵送"] * KITAKYUSHU_MAIL + ["WEB"] * KITAKYUSHU_WEB
    rng.shuffle(channels)
    header = ["respondent_id", "channel", *STANDARD_CODES, "q_consult"]
    rows: list[list[Any]] = [header]
    for index, (d, channel) in enumerate(zip(direct, channels, strict=True), start=1):
        lonely = d is not None and d >= 4
        level = (d or 2) - 1  # 0..4

        age = rng.choices(range(1, 9), weights=_AGE_WEIGHTS_LONELY if d == 5 else _AGE_WEIGHTS)[0]
        alone = 1 if rng.random() < (0.45 if lonely else 0.14) else 2
        work = 5 if rng.random() < (0.55 if lonely else 0.3) else rng.choice([1, 2, 3, 4, 6])
        income = 1 if rng.random() < (0.35 if lonely else 0.1) else rng.randint(2, 9)
        consult = 2 if rng.random() < (0.5 if lonely else 0.1) else 1
        rows.append(
            [
                f"K{index:05d}",
                channel,
                "" if d is None else d,
                _ucla(rng, level),
                _ucla(rng, level),
                _ucla(rng, level),
                age,
                rng.choice([1, 2, 2, 1, 3]) if rng.random() < 0.98 else "",
                alone,
                work,
                income if rng.random() < 0.97 else "",
                consult,
            ]
        )
    return rows


def kitakyushu_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(kitakyushu_rows())
    return out.getvalue().encode("cp932")


def _survey(platform: Platform, title: str, data: dict[str, Any]) -> tuple[Survey, bool]:
    found = Survey.objects.filter(platform=platform, title=title).first()
    if found is not None:
        return found, False
    return survey_create(platform=platform, actor=None, data=data | {"title": title}), True


def _kitakyushu(platform: Platform) -> Survey:
    survey, created = _survey(
        platform,
        KITAKYUSHU_TITLE,
        {
            "fiscal_year": 2022,
            "kind": SurveyKind.RESIDENT,
            "run_by": "北九州市 保健福祉局 地域福祉部 地域福祉推進課",
            "contractor": "アソウ・ヒューマンセンター",
            "population": "北九州市民で満16歳以上の個人",
            "min_age": 16,
            "sampling": "register_random",
            "sampling_note": "住民基本台帳から無作為抽出法により選定",
            "sample_size": KITAKYUSHU_SAMPLE,
            "method": "mixed",
            "responses_mail": KITAKYUSHU_MAIL,
            "responses_web": KITAKYUSHU_WEB,
            "period_note": "12月発送準備／1月発送",
            "note": "回答票は公表値（2,179件・31.1%・4.2%）に合わせて生成した架空のデータです。",
            "is_fictional": True,
        },
    )
    if created:
        question_add(
            survey=survey,
            actor=None,
            code="q_consult",
            label="相談相手の有無",
            text="不安や悩みを相談できる相手はいますか。",
            kind="choice",
            choices=[(1, "いる"), (2, "いない")],
            purpose="孤独感と相談相手の有無の関係をみる（4.2%の人の特徴に「相談相手がない」）",
        )
    if survey.responses.count() != KITAKYUSHU_MAIL + KITAKYUSHU_WEB:
        import_apply(survey=survey, actor=None, data=kitakyushu_csv(), filename="kitakyushu-demo.csv")
    return survey


def _kumamoto(platform: Platform) -> None:
    resource, created = _survey(
        platform,
        "熊本市 NPO等支援団体向け活動実態調査（リソース調査）",
        {
            "fiscal_year": 2024,
            "kind": SurveyKind.RESOURCE,
            "run_by": "熊本市 健康福祉政策課",
            "contractor": "株式会社九州みらい研究所",
            "population": "熊本市内及び一部県内のＮＰＯ等支援団体（対象を絞らず619団体）",
            "sampling": "list",
            "sample_size": 619,
            "method": "mixed",
            "responses_published": 145,
            "period_start": dt.date(2024, 10, 15),
            "period_end": dt.date(2024, 11, 5),
            "period_note": "令和6年10月15日(火)～11月5日(火)（回収）、11月末まで分析",
            "note": "新規18団体を発掘し、16団体がPFに加入（令和7年2月末）。",
        },
    )
    if created:
        published_figures_replace(
            survey=resource,
            actor=None,
            figures=[
                {"item": "支援につながった事例", "key": "ある", "label": "ある", "pct": "65.2"},
                {"item": "支援に取り組む必要性", "key": "感じている", "label": "感じている", "pct": "80.0"},
            ],
        )
    event, created = _survey(
        platform,
        "熊本市 講演会 参加者アンケート（令和4年度）",
        {
            "fiscal_year": 2022,
            "kind": SurveyKind.EVENT,
            "run_by": "熊本市 健康福祉政策課",
            "population": "講演会の参加者（25名）",
            "event_ref": "KUM-E06",
            "sample_size": 25,
            "responses_published": 19,
            "note": "報告書の記載どおり: とてもよかった 8、よかった 8、無回答 2（合計18で回収19と合わない）。",
        },
    )
    if created:
        published_figures_replace(
            survey=event,
            actor=None,
            figures=[
                {
                    "item": "満足度",
                    "key": "とてもよかった",
                    "label": "とてもよかった",
                    "count": 8,
                    "base": 19,
                },
                {"item": "満足度", "key": "よかった", "label": "よかった", "count": 8, "base": 19},
                {"item": "満足度", "key": "無回答", "label": "無回答", "count": 2, "base": 19},
            ],
        )


def _ehime(platform: Platform) -> None:
    survey, created = _survey(
        platform,
        "愛媛県 孤独・孤立の実態把握に関する調査（県の調査・宇和島市を含む）",
        {
            "fiscal_year": 2022,
            "kind": SurveyKind.RESIDENT,
            "run_by": "愛媛県 保健福祉部 社会福祉医療局 保健福祉課",
            "contractor": "SRC",
            "population": "満16歳以上の個人（県内に居住）。3地域×年代で人口分布に比例するよう調整",
            "min_age": 16,
            "sampling": "open",
            "sampling_note": "webアンケート（計2,000程度の想定、回答数の記載なし）",
            "method": "web",
            "period_note": "1月：実査、集計、分析",
            "note": "直接質問の5つの割合の合計は100.2%（四捨五入）。報告書: 令和5年2月 愛媛県。",
        },
    )
    if created:
        published_figures_replace(
            survey=survey,
            actor=None,
            figures=[
                {"item": "direct", "key": "5", "label": "しばしばある・常にある", "pct": "7.5"},
                {"item": "direct", "key": "4", "label": "時々ある", "pct": "12.8"},
                {"item": "direct", "key": "3", "label": "たまにある", "pct": "24.3"},
                {"item": "direct", "key": "2", "label": "ほとんどない", "pct": "41.8"},
                {"item": "direct", "key": "1", "label": "決してない", "pct": "13.8"},
                {"item": "ucla", "key": "10-12", "label": "10～12点", "pct": "10.1"},
                {"item": "ucla", "key": "3", "label": "3点", "pct": "8.9"},
            ],
        )


@transaction.atomic
def load(stdout: Any = None) -> dict[str, int]:
    platforms = {p.slug: p for p in Platform.objects.filter(slug__in=["kumamoto", "kitakyushu", "uwajima"])}
    loaded = 0
    if "kitakyushu" in platforms:
        _kitakyushu(platforms["kitakyushu"])
        loaded += 1
    if "kumamoto" in platforms:
        _kumamoto(platforms["kumamoto"])
        loaded += 2
    if "uwajima" in platforms:
        _ehime(platforms["uwajima"])
        loaded += 1
    if stdout:
        stdout.write(f"調査 {loaded} 件を読み込みました（北九州市の回答票は架空）。")
    return {"surveys": loaded}
