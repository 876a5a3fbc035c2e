"""Writes to the consultation record. Each service validates, saves and appends a
ConsultationChange in the same transaction.

`organisation_id` is the writer's scope (consultations.access.scope): None for staff, who
record for any member or for the city; a coordinator's organisation, which every record they
write is for (whatever the form sent)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Referral
from orgs.models import Organisation, WorryCategory
from platform_site.audit import audit_write
from platform_site.lib.forms import ConcurrentEdit
from platform_site.lib.personal import contact_detail_kind
from platform_site.models import Platform

from . import events as ev
from .models import Consultation, ConsultationChange
from .selectors import member_organisations

FIELDS = (
    "date",
    "channel",
    "organisation",
    "arrival",
    "pointed_to_organisation",
    "pointed_to_city",
    "case",
    "note",
)


def note_problem(text: str) -> str | None:
    """The Japanese reason a note is refused, or None."""
    return {
        "email": _("メモにメールアドレスは書けません。個人が分かる情報は記録しないでください。"),
        "phone": _("メモに電話番号は書けません。個人が分かる情報は記録しないでください。"),
        "postal": _("メモに郵便番号や住所は書けません。個人が分かる情報は記録しないでください。"),
    }.get(contact_detail_kind(text) or "")


def _case_for(*, platform: Platform, case_id: int | None, organisation_id: int | None) -> Case | None:
    """The ledger case a record points to: of the platform and, for a coordinator, referred to
    their organisation. One message whether the number is unknown or not theirs (no oracle)."""
    if not case_id:
        return None
    cases = Case.objects.filter(platform=platform, pk=case_id)
    if organisation_id is not None:
        referred = Referral.objects.filter(organisation_id=organisation_id).values("case_id")
        cases = cases.filter(pk__in=referred)
    case = cases.first()
    if case is None:
        raise ValidationError(
            {"case": [_("このケース番号は選べません。引き継ぎ簿で確かめた番号を入れてください。")]}
        )
    return case


def _clean(
    *,
    platform: Platform,
    organisation_id: int | None,
    data: dict[str, Any],
    topics: Iterable[WorryCategory],
) -> tuple[dict[str, Any], list[WorryCategory]]:
    """Every rule a record satisfies; the fields to save and the topics. Raises one
    ValidationError keyed by field (Japanese messages)."""
    errors: dict[str, list[str]] = {}
    values = {k: data.get(k) for k in FIELDS if k != "case"}
    values["pointed_to_city"] = (values.get("pointed_to_city") or "").strip()
    values["note"] = (values.get("note") or "").strip()
    members = set(member_organisations(platform).values_list("pk", flat=True))
    if organisation_id is not None:
        values["organisation"] = Organisation.objects.filter(pk=organisation_id).first()
        if values["organisation"] is None:
            errors.setdefault("organisation", []).append(_("記録する団体がありません。"))
    elif values.get("organisation") is not None and values["organisation"].pk not in members:
        errors.setdefault("organisation", []).append(
            _("受けた団体はこのプラットフォームの参加団体から選んでください。")
        )
    pointed = values.get("pointed_to_organisation")
    if pointed is not None and pointed.pk not in members:
        errors.setdefault("pointed_to_organisation", []).append(
            _("つないだ先はこのプラットフォームの参加団体から選んでください。")
        )
    day = values.get("date")
    if day is None:
        errors.setdefault("date", []).append(_("相談日を入力してください。"))
    elif day > timezone.localdate():
        errors.setdefault("date", []).append(_("相談日に未来の日付は入れられません。"))
    topics = list(topics)
    if any(t.platform_id != platform.pk for t in topics):
        errors.setdefault("topics", []).append(_("このプラットフォームの悩みの分類から選んでください。"))
    problem = note_problem(values["note"])
    if problem:
        errors.setdefault("note", []).append(problem)
    problem = note_problem(values["pointed_to_city"])
    if problem:
        errors.setdefault("pointed_to_city", []).append(problem)
    try:
        values["case"] = _case_for(
            platform=platform, case_id=data.get("case_id"), organisation_id=organisation_id
        )
    except ValidationError as error:
        for message in error.message_dict["case"]:
            errors.setdefault("case_id", []).append(message)
    if errors:
        raise ValidationError(errors)
    return values, topics


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


@transaction.atomic
def consultation_create(
    *,
    platform: Platform,
    actor: Any,
    organisation_id: int | None,
    data: dict[str, Any],
    topics: Iterable[WorryCategory] = (),
) -> Consultation:
    values, topic_list = _clean(platform=platform, organisation_id=organisation_id, data=data, topics=topics)
    record = Consultation(platform=platform, created_by=actor, **values)
    record.full_clean(exclude=["platform", "topics", "created_by"])
    record.save()
    record.topics.set(topic_list)
    audit_write(
        ConsultationChange,
        action=ev.CREATED,
        actor=actor,
        platform=platform,
        consultation=record,
        changes={"channel": [None, record.channel], "date": [None, record.date.isoformat()]},
    )
    return record


@transaction.atomic
def consultation_update(
    *,
    consultation: Consultation,
    actor: Any,
    organisation_id: int | None,
    data: dict[str, Any],
    version: int,
    topics: Iterable[WorryCategory] = (),
) -> bool:
    """Save a correction; False when nothing changed. Raises ConcurrentEdit on a stale version."""
    locked = Consultation.objects.select_for_update(no_key=True).get(pk=consultation.pk)
    if organisation_id is not None and locked.organisation_id != organisation_id:
        raise ValidationError(_("この記録は訂正できません。"))
    if locked.version != version:
        raise ConcurrentEdit(_("ほかの人がこの記録を先に保存しました。最新の内容を開き直してください。"))
    values, topic_list = _clean(
        platform=locked.platform, organisation_id=organisation_id, data=data, topics=topics
    )
    changes = {
        f: [_plain(getattr(locked, f)), _plain(values[f])]
        for f in FIELDS
        if _plain(getattr(locked, f)) != _plain(values[f])
    }
    old_topics = sorted(locked.topics.values_list("pk", flat=True))
    new_topics = sorted(t.pk for t in topic_list)
    if old_topics != new_topics:
        changes["topics"] = [old_topics, new_topics]
    if "note" in changes:  # the text itself stays out of the history
        changes["note"] = [bool(locked.note), bool(values["note"])]
    if "pointed_to_city" in changes:
        changes["pointed_to_city"] = [bool(locked.pointed_to_city), bool(values["pointed_to_city"])]
    if not changes:
        return False
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["platform", "topics", "created_by"])
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db(fields=["version"])
    locked.topics.set(topic_list)
    audit_write(
        ConsultationChange,
        action=ev.UPDATED,
        actor=actor,
        platform=locked.platform,
        consultation=locked,
        changes=changes,
    )
    consultation.version = locked.version
    return True


def export_recorded(*, platform: Platform, actor: Any, file_format: str, rows: int, scope: str) -> None:
    """One history entry per export: its format, how many records, and whose (ids, no text)."""
    audit_write(
        ConsultationChange,
        action=ev.EXPORTED,
        actor=actor,
        platform=platform,
        changes={"format": file_format, "rows": rows, "scope": scope},
    )
