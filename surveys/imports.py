"""Import of raw responses (one row per respondent) from CSV (UTF-8 or CP932) or XLSX.

All or nothing: the file is checked whole first, and any problem — unknown column, missing
required column, unknown answer code, value out of range, duplicated or missing respondent id,
a file that cannot be decoded — rejects it with every problem named by row and column (up to
IMPORT_MAX_PROBLEMS, then a count of the rest). Nothing is saved until the file is clean; then the
survey's previous responses are replaced in one transaction, with one SurveyChange.

Column names are the question codes (`respondent_id`, `channel`, `direct`, `ucla_1` …, then the
city's own codes); `survey_template` writes a blank file with the codes on a second sheet.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from platform_site.lib.bulk import insert_rows
from platform_site.lib.tabular import ImportRejected, Limits, ProblemList, read_table

from . import events as ev
from . import tally
from .items import CHANNEL_COLUMN, NO_ANSWER, REQUIRED_CODES, RESPONDENT_COLUMN, STANDARD_CODES
from .models import Channel, Question, QuestionKind, Response, Survey, SurveyKind

MAX_ROWS = 100_000
ID_MAX_LENGTH = 40
ALIASES = {"回答者id": RESPONDENT_COLUMN, "回答者ID": RESPONDENT_COLUMN, "回答方法": CHANNEL_COLUMN}
CHANNELS = {
    "": "",
    "郵送": Channel.MAIL,
    "mail": Channel.MAIL,
    "紙": Channel.MAIL,
    "1": Channel.MAIL,
    "web": Channel.WEB,
    "WEB": Channel.WEB,
    "Web": Channel.WEB,
    "ｗｅｂ": Channel.WEB,
    "ＷＥＢ": Channel.WEB,
    "オンライン": Channel.WEB,
    "2": Channel.WEB,
}
_MISSING = object()

__all__ = ["ImportRejected", "Plan", "import_apply", "import_plan"]


@dataclass
class Plan:
    survey: Survey
    encoding: str = ""
    rows: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # id, channel, code → value
    problems: list[str] = field(default_factory=list)
    more_problems: int = 0
    columns: list[str] = field(default_factory=list)
    replaced: int = 0

    def problem(self, text: str) -> None:
        if len(self.problems) < Limits.from_settings().problems:
            self.problems.append(text)
        else:
            self.more_problems += 1

    @property
    def all_problems(self) -> ProblemList:
        """The problems kept, ``.more`` counting the others (shown below the list)."""
        problems = ProblemList(self.problems)
        problems.total += self.more_problems
        problems.more += self.more_problems
        return problems

    def channel_counts(self) -> dict[str, int]:
        counts = {Channel.MAIL: 0, Channel.WEB: 0, "": 0}
        for _rid, channel, _values in self.rows:
            counts[channel] += 1
        return counts


def _where(row: int, col: int, code: str) -> str:
    return _("%(row)s行目 %(column)s列（%(code)s）") % {
        "row": row,
        "column": get_column_letter(col + 1),
        "code": code,
    }


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _normalise(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).strip()


class _Parser:
    """Turns one cell into a stored value, or returns a Japanese reason it cannot."""

    def __init__(self, question: Question) -> None:
        self.question = question
        self.kind = question.kind
        self.lookup: dict[str, int | None] = {"": None, NO_ANSWER: None}
        self.allowed = ""
        if self.kind == QuestionKind.CHOICE:
            values = [c.value for c in question.choices.all()]
            self.lookup |= {str(v): v for v in values}
            self.allowed = "、".join(str(v) for v in values)

    def parse(self, cell: Any) -> tuple[Any, str | None]:
        if self.kind == QuestionKind.TEXT:
            text = _text(cell)
            return ("" if text == NO_ANSWER else text), None
        if isinstance(cell, str):
            found = self.lookup.get(cell, _MISSING)
            if found is _MISSING:
                raw = _normalise(cell)
                found = self.lookup.get(raw, _MISSING)
            else:
                raw = cell
        else:
            raw = _text(cell)
            found = self.lookup.get(raw, _MISSING)
        if self.kind == QuestionKind.CHOICE:
            if found is _MISSING:
                return (
                    None,
                    _("「%(value)s」は回答コードにありません（%(allowed)s、空欄または「無回答」＝無回答）。")
                    % {"value": raw, "allowed": self.allowed},
                )
            return found, None
        if found is not _MISSING and found is None:
            return None, None
        try:
            number = int(raw)
        except ValueError:
            return None, _("「%(value)s」は整数ではありません。") % {"value": raw}
        low, high = self.question.min_value, self.question.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            span = f"{'' if low is None else low}～{'' if high is None else high}"
            return None, _("「%(value)s」は範囲外です（%(range)s）。") % {"value": raw, "range": span}
        return number, None


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _looks_misdecoded(table: list[list[Any]]) -> bool:
    """EUC-JP and other encodings often 'decode' as CP932 into private-use characters (U+E000–
    U+F8FF), which no survey answer contains: better refuse than store mojibake."""
    return any(_PRIVATE_USE.search("\x1f".join(c for c in row if isinstance(c, str))) for row in table)


def _columns(plan: Plan, header: list[Any], questions: dict[str, Question]) -> list[tuple[int, str]] | None:
    """(column index, code) for each used column, or None when the header has problems."""
    used: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    ok = True
    for index, cell in enumerate(header):
        name = _text(cell).lstrip("\ufeff")
        if not name:
            continue
        code = ALIASES.get(name, name)
        if code not in questions and code not in (RESPONDENT_COLUMN, CHANNEL_COLUMN):
            plan.problem(
                _("1行目 %(column)s列「%(name)s」: この調査にない列です（列名は設問コードにしてください）。")
                % {"column": get_column_letter(index + 1), "name": name}
            )
            ok = False
            continue
        if code in seen:
            plan.problem(
                _("1行目 %(column)s列「%(name)s」: %(first_column)s列と同じ列が重複しています。")
                % {
                    "column": get_column_letter(index + 1),
                    "name": name,
                    "first_column": get_column_letter(seen[code] + 1),
                }
            )
            ok = False
            continue
        seen[code] = index
        used.append((index, code))
    required = [RESPONDENT_COLUMN]
    if plan.survey.kind == SurveyKind.RESIDENT:
        required += [c for c in REQUIRED_CODES if c in questions]
    for code in required:
        if code not in seen:
            label = questions[code].label if code in questions else _("回答者ID")
            plan.problem(
                _("必須の列「%(code)s」（%(label)s）がありません。") % {"code": code, "label": label}
            )
            ok = False
    return used if ok else None


def import_plan(*, survey: Survey, data: bytes, filename: str) -> Plan:
    """Read and check the whole file; nothing is written. Raises ImportRejected when unreadable."""
    table, encoding = read_table(data, filename)
    if encoding == "cp932" and _looks_misdecoded(table):
        raise ImportRejected(
            [
                _(
                    "文字コードを判別できません（UTF-8 でも Shift_JIS/CP932 でもないようです）。"
                    "Excel で開き「CSV UTF-8」か「CSV」で保存し直すか、.xlsx で保存してください。"
                )
            ]
        )
    plan = Plan(survey=survey, encoding=encoding)
    questions = {q.code: q for q in survey.questions.prefetch_related("choices")}
    if not table:
        raise ImportRejected([_("ファイルが空です。")])
    used = _columns(plan, table[0], questions)
    if used is None:
        return plan
    if len(table) - 1 > MAX_ROWS:
        raise ImportRejected([_("行が多すぎます（%(max)s 行まで）。") % {"max": f"{MAX_ROWS:,}"}])
    plan.columns = [code for _i, code in used]
    id_col = next(i for i, code in used if code == RESPONDENT_COLUMN)
    channel_col = next((i for i, code in used if code == CHANNEL_COLUMN), None)
    parsers = [(i, code, _Parser(questions[code])) for i, code in used if code in questions]
    width = len(table[0])
    body = [
        (number, list(row) + [None] * (width - len(row)))
        for number, row in enumerate(table[1:], start=2)
        if any(c not in (None, "") and (not isinstance(c, str) or c.strip()) for c in row)
    ]
    first_row: dict[str, int] = {}
    ids = []
    for number, row in body:
        rid = _text(row[id_col])
        if not rid:
            plan.problem(
                _("%(where)s: 回答者IDがありません。") % {"where": _where(number, id_col, RESPONDENT_COLUMN)}
            )
        elif len(rid) > ID_MAX_LENGTH:
            plan.problem(
                _("%(where)s: 回答者IDが長すぎます（%(max)s文字まで）。")
                % {"where": _where(number, id_col, RESPONDENT_COLUMN), "max": ID_MAX_LENGTH}
            )
        elif rid in first_row:
            plan.problem(
                _("%(where)s: 回答者ID「%(id)s」は%(first_row)s行目と重複しています。")
                % {"where": _where(number, id_col, RESPONDENT_COLUMN), "id": rid, "first_row": first_row[rid]}
            )
        else:
            first_row[rid] = number
        ids.append(rid)
    channels = [""] * len(body)
    if channel_col is not None:
        for position, (number, row) in enumerate(body):
            raw = _text(row[channel_col])
            channel = CHANNELS.get(raw, CHANNELS.get(_normalise(raw).lower()))
            if channel is None:
                plan.problem(
                    _("%(where)s: 「%(value)s」は回答方法にありません（郵送 または WEB）。")
                    % {"where": _where(number, channel_col, CHANNEL_COLUMN), "value": raw}
                )
                channel = ""
            channels[position] = channel
    # Column by column: one dictionary look-up per cell on the fast path, the slow path (and its
    # message) only for cells the look-up does not know.
    columns: dict[str, list[Any]] = {}
    problems: list[tuple[int, int, str]] = []
    for index, code, parser in parsers:
        lookup = parser.lookup
        if parser.kind == QuestionKind.TEXT:
            values = [parser.parse(row[index])[0] for _n, row in body]
        else:
            values = [
                lookup.get(row[index], _MISSING) if isinstance(row[index], str) else _MISSING
                for _n, row in body
            ]
            for position, value in enumerate(values):
                if value is _MISSING:
                    number, row = body[position]
                    value, problem = parser.parse(row[index])
                    if problem:
                        problems.append((number, index, f"{_where(number, index, code)}: {problem}"))
                    values[position] = value
        columns[code] = values
    for _number, _index, text in sorted(problems):
        plan.problem(text)
    codes = list(columns)
    for position, rid in enumerate(ids):
        plan.rows.append((rid, channels[position], {code: columns[code][position] for code in codes}))
    if not plan.rows and not plan.problems:
        plan.problem(_("回答の行がありません（1行目は列名、2行目から回答）。"))
    plan.replaced = Response.objects.filter(survey=survey).count()
    return plan


@transaction.atomic
def import_apply(*, survey: Survey, actor: Any, data: bytes, filename: str) -> Plan:
    """Check the file again and, when clean, replace the survey's responses with it."""
    Survey.objects.select_for_update(no_key=True).filter(pk=survey.pk).first()
    plan = import_plan(survey=survey, data=data, filename=filename)
    if plan.problems:
        raise ImportRejected(plan.all_problems)
    questions = {q.code: q for q in survey.questions.prefetch_related("choices")}
    Response.objects.filter(survey=survey).delete()
    standard = [c for c in STANDARD_CODES if c in questions]
    own = [c for c in plan.columns if c in questions and not questions[c].standard]
    columns = ["survey_id", "respondent_id", "channel", *standard, "own"]

    def own_json(values: dict[str, Any]) -> str:  # JSON text: SQLite stores it, PostgreSQL's COPY casts it
        return json.dumps(
            {c: values[c] for c in own if values[c] is not None and values[c] != ""}, ensure_ascii=False
        )

    insert_rows(
        Response,
        columns,
        [
            (survey.pk, rid, channel, *(values.get(c) for c in standard), own_json(values))
            for rid, channel, values in plan.rows
        ],
    )
    survey.imported_codes = [c for c in plan.columns if c in questions]
    survey.save(update_fields=["imported_codes", "updated_at"])
    tally.refresh(survey, list(questions.values()))
    ev.log(
        survey=survey,
        actor=actor,
        action=ev.RESPONSES_IMPORTED,
        data={"rows": len(plan.rows), "replaced": plan.replaced, "encoding": plan.encoding},
    )
    return plan
