"""Resource surveys → recruitment: the organisations that answered, matched to the registry by
法人番号 first and then by normalised name, and the unknown ones added as membership candidates
with the survey as their source (熊本市 R6: 619 asked, 145 answered, 18 new found, 16 joined).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from orgs import events as org_events
from orgs.models import Membership, MembershipSource, MembershipStatus, Organisation
from orgs.services import change_record, organisation_create
from platform_site.lib import japanese as jp
from platform_site.lib.tabular import ImportRejected, read_table

from . import events as ev
from .models import Survey, SurveyOrganisation

# Legal forms dropped before comparing names (「特定非営利活動法人 でんでん虫の会」 = 「でんでん虫の会」)
_LEGAL_FORMS = re.compile(
    r"特定非営利活動法人|認定特定非営利活動法人|認定npo法人|npo法人|一般社団法人|一般財団法人|公益社団法人|"
    r"公益財団法人|社会福祉法人|医療法人|学校法人|宗教法人|生活協同組合|株式会社|有限会社|合同会社|\(株\)|\(有\)|\(福\)|\(特非\)"
)
COLUMNS = {"団体名": "name", "名称カナ": "name_kana", "法人格": "legal_form", "法人番号": "corporate_number"}


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = _LEGAL_FORMS.sub("", text)
    return re.sub(r"[\s・･.,、。「」『』\"'()\-ー－]", "", text)


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


@transaction.atomic
def respondents_import(*, survey: Survey, actor: Any, data: bytes, filename: str) -> int:
    """Replace the survey's responding organisations with the file's (all or nothing)."""
    table, _encoding = read_table(data, filename)
    problems: list[str] = []
    header = [unicodedata.normalize("NFKC", _text(c)) for c in (table[0] if table else [])]
    index = {}
    for i, name in enumerate(header):
        if name in COLUMNS:
            index[COLUMNS[name]] = i
        elif name:
            problems.append(
                _("1行目 %(column)s列目「%(name)s」: 使えない列です（団体名・名称カナ・法人格・法人番号）。")
                % {"column": i + 1, "name": name}
            )
    if "name" not in index:
        problems.append(_("必須の列「団体名」がありません。"))
    if problems:
        raise ImportRejected(problems)
    rows = []
    for number, row in enumerate(table[1:], start=2):
        row = list(row) + [None] * (len(header) - len(row))
        values = {key: _text(row[i]) for key, i in index.items()}
        if not any(values.values()):
            continue
        number_text = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", values.get("corporate_number", "")))
        if not values.get("name"):
            problems.append(_("%(row)s行目「団体名」: 団体名がありません。") % {"row": number})
        if number_text and not jp.is_valid_corporate_number(number_text):
            problems.append(
                _("%(row)s行目「法人番号」: 「%(value)s」は13桁の正しい法人番号ではありません。")
                % {"row": number, "value": values["corporate_number"]}
            )
        kana = jp.to_katakana(values.get("name_kana", "")) if values.get("name_kana") else ""
        if kana and not jp.is_kana_reading(kana):
            problems.append(_("%(row)s行目「名称カナ」: カタカナで書いてください。") % {"row": number})
        rows.append(
            SurveyOrganisation(
                survey=survey,
                row=number,
                name=values.get("name", "")[:200],
                name_kana=kana[:200],
                legal_form=values.get("legal_form", "")[:60],
                corporate_number=number_text,
            )
        )
    if problems:
        raise ImportRejected(problems)  # the first IMPORT_MAX_PROBLEMS, and a count of the rest
    survey.organisations.all().delete()
    SurveyOrganisation.objects.bulk_create(rows)
    ev.log(survey=survey, actor=actor, action=ev.RESPONSES_IMPORTED, data={"organisations": len(rows)})
    return len(rows)


@dataclass
class Match:
    respondent: SurveyOrganisation
    organisation: Organisation | None
    method: str  # "corporate_number", "name", "linked" or ""
    membership: Membership | None

    @property
    def addable(self) -> bool:
        """Unknown (with a reading to register it) or known but not in this platform."""
        if self.organisation is None:
            return bool(self.respondent.name_kana)
        return self.membership is None


def matches(survey: Survey) -> list[Match]:
    """Every responding organisation with its registry match and its state in this platform."""
    respondents = list(survey.organisations.select_related("organisation"))
    numbers = {r.corporate_number for r in respondents if r.corporate_number}
    by_number = {o.corporate_number: o for o in Organisation.objects.filter(corporate_number__in=numbers)}
    by_name: dict[str, Organisation] = {}
    for known in Organisation.objects.only("pk", "name", "name_kana", "corporate_number").order_by("pk"):
        by_name.setdefault(normalise_name(known.name), known)
    memberships = {m.organisation_id: m for m in Membership.objects.filter(platform_id=survey.platform_id)}
    found = []
    for r in respondents:
        org: Organisation | None = None
        if r.organisation is not None:
            org, method = r.organisation, "linked"
        elif r.corporate_number and r.corporate_number in by_number:
            org, method = by_number[r.corporate_number], "corporate_number"
        elif (org := by_name.get(normalise_name(r.name))) is not None:
            method = "name"
        else:
            org, method = None, ""
        found.append(Match(r, org, method, memberships.get(org.pk) if org else None))
    return found


@transaction.atomic
def candidates_add(*, survey: Survey, actor: Any, respondent_ids: list[int]) -> int:
    """Add the chosen respondents as membership candidates (source: resource survey)."""
    chosen = [m for m in matches(survey) if m.respondent.pk in set(respondent_ids) and m.addable]
    platform = survey.platform
    note = (_("%(year)s年度 %(title)s") % {"year": survey.fiscal_year, "title": survey.title})[:200]
    membership = {
        "status": MembershipStatus.CANDIDATE,
        "source": MembershipSource.RESOURCE_SURVEY,
        "source_note": note,
    }
    added = 0
    for match in chosen:
        r = match.respondent
        if match.organisation is None:
            org = organisation_create(
                platform=platform,
                actor=actor,
                data={
                    "name": r.name,
                    "name_kana": r.name_kana,
                    "legal_form": r.legal_form,
                    "corporate_number": r.corporate_number,
                },
                membership=membership,
            )
        else:
            org = match.organisation
            Membership.objects.create(platform=platform, organisation=org, **membership)
            change_record(
                organisation=org,
                platform=platform,
                actor=actor,
                action=org_events.MEMBERSHIP_UPDATED,
                changes={
                    "membership.status": [None, MembershipStatus.CANDIDATE],
                    "membership.source_note": [None, note],
                },
            )
        r.organisation = org
        r.save(update_fields=["organisation"])
        added += 1
    ev.log(survey=survey, actor=actor, action=ev.ORGS_MATCHED, data={"added": added})
    return added
