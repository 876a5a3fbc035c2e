"""The national items every resident survey carries: wording, answer codes, and where they are stored.

Direct question and the 3-item UCLA loneliness scale as asked in the national survey
(内閣官房「人々のつながりに関する基礎調査」令和3年, and 内閣府「孤独・孤立の実態把握に関する全国調査」
from 令和4年). The attribute items (age band, sex, living alone, work, income) follow the
national questionnaire's domains; their wording here is ours (the seeds quote only the domains).

No models here: `surveys.services.survey_create` copies these into each resident survey's
questions, and `Response` keeps their answers in columns of the same name.
"""

from __future__ import annotations

from dataclasses import dataclass

NO_ANSWER = "無回答"  # a value of its own: counted, shown, part of every percentage's base

UCLA_CODES = ("ucla_1", "ucla_2", "ucla_3")
UCLA_MIN, UCLA_MAX = 3, 12
# Total-score bands, as the national report shows them (key → label)
UCLA_BANDS = {"3": "3点", "4-6": "4～6点", "7-9": "7～9点", "10-12": "10～12点"}


@dataclass(frozen=True)
class StandardItem:
    code: str  # also the Response column
    label: str  # short heading
    text: str  # the question as asked
    choices: tuple[tuple[int, str], ...]


_UCLA_CHOICES = ((1, "決してない"), (2, "ほとんどない"), (3, "時々ある"), (4, "常にある"))

STANDARD_ITEMS: tuple[StandardItem, ...] = (
    StandardItem(
        "direct",
        "孤独感（直接質問）",
        "あなたはどの程度、孤独であると感じることがありますか。",
        (
            (1, "決してない"),
            (2, "ほとんどない"),
            (3, "たまにある"),
            (4, "時々ある"),
            (5, "しばしばある・常にある"),
        ),
    ),
    StandardItem(
        "ucla_1",
        "UCLA孤独感尺度 1（人とのつきあいがない）",
        "あなたは、自分には人とのつきあいがないと感じることがありますか。",
        _UCLA_CHOICES,
    ),
    StandardItem(
        "ucla_2",
        "UCLA孤独感尺度 2（取り残されている）",
        "あなたは、自分は取り残されていると感じることがありますか。",
        _UCLA_CHOICES,
    ),
    StandardItem(
        "ucla_3",
        "UCLA孤独感尺度 3（孤立している）",
        "あなたは、自分は他の人たちから孤立していると感じることがありますか。",
        _UCLA_CHOICES,
    ),
    StandardItem(
        "age_band",
        "年齢",
        "あなたの年齢をお答えください。",
        (
            (1, "16～19歳"),
            (2, "20～29歳"),
            (3, "30～39歳"),
            (4, "40～49歳"),
            (5, "50～59歳"),
            (6, "60～69歳"),
            (7, "70～79歳"),
            (8, "80歳以上"),
        ),
    ),
    StandardItem(
        "sex", "性別", "あなたの性別をお答えください。", ((1, "男性"), (2, "女性"), (3, "回答しない"))
    ),
    StandardItem(
        "lives_alone",
        "同居人の有無",
        "あなたと同居している人はいますか。",
        ((1, "同居している人はいない（一人暮らし）"), (2, "同居している人がいる")),
    ),
    StandardItem(
        "work",
        "就業状態",
        "あなたの現在の就業状態をお答えください。",
        (
            (1, "正規の職員・従業員"),
            (2, "非正規の職員・従業員（パート・アルバイト・派遣・契約など）"),
            (3, "自営業・家族従業者・会社役員"),
            (4, "学生"),
            (5, "仕事をしていない"),
            (6, "その他"),
        ),
    ),
    StandardItem(
        "income",
        "世帯の年間収入",
        "あなたの世帯の年間収入（税込み）をお答えください。",
        (
            (1, "100万円未満"),
            (2, "100～200万円未満"),
            (3, "200～300万円未満"),
            (4, "300～400万円未満"),
            (5, "400～500万円未満"),
            (6, "500～700万円未満"),
            (7, "700～1,000万円未満"),
            (8, "1,000万円以上"),
            (9, "わからない"),
        ),
    ),
)

STANDARD_CODES = tuple(item.code for item in STANDARD_ITEMS)
STANDARD_BY_CODE = {item.code: item for item in STANDARD_ITEMS}
# Columns every resident-survey file must have (the rest of the standard items may be absent)
REQUIRED_CODES = ("direct", *UCLA_CODES)
RESPONDENT_COLUMN = "respondent_id"
CHANNEL_COLUMN = "channel"
