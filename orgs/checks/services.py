"""The yearly entry check's writes: send the links, record the answers.

Each member organisation of the platform gets, once per 年度, an email with a link to its entry
(the token is only in the email; the database keeps its SHA-256). Confirming sets the entry's
内容確認日 (verified on / by: the name the person typed, 「年次確認」); a correction request is kept
for the secretariat, who edits the entry. Both are in the registry's history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_site.lib import japanese as jp
from platform_site.models import Platform, PlatformRole, Role
from platform_site.selectors import public_site_url

from .. import events as ev
from ..models import EntryCheck, EntryCheckAnswer, Membership, MembershipStatus, Organisation, OrgChange
from ..services import change_record

logger = logging.getLogger(__name__)

LINK_DAYS = 60  # how long a link can be answered
DEFAULT_MESSAGE = (
    "いつも{platform}へのご参加ありがとうございます。"
    "相談先一覧リーフレットと公開ディレクトリの掲載内容が今も正しいか、年に1回確認をお願いしています。"
    "次のリンクを開き、「変更なし」か「修正がある」を選んで送ってください（ログインは要りません）。"
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _recipients(platform: Platform, organisation: Organisation) -> list[str]:
    """The organisation's address and its coordinators' (no contact person's private address)."""
    coordinators = PlatformRole.objects.filter(
        platform=platform, role=Role.COORDINATOR, organisation=organisation, user__is_active=True
    ).values_list("user__email", flat=True)
    return sorted({a for a in [organisation.email, *coordinators] if a})


def entry_checks_send(*, platform: Platform, actor: Any, today: dt.date | None = None) -> dict[str, int]:
    """Send this 年度's check to every member organisation that has not had it yet; returns
    {"sent": n, "no_address": m}. Safe to run twice: an organisation gets one check a year."""
    day = today or timezone.localdate()
    year = jp.fiscal_year(day)
    already = EntryCheck.objects.filter(platform=platform, fiscal_year=year).values("organisation_id")
    members = (
        Membership.objects.filter(platform=platform, status=MembershipStatus.MEMBER)
        .exclude(organisation_id__in=already)
        .select_related("organisation")
        .order_by("organisation__sort_key", "organisation_id")
    )
    sent = no_address = 0
    base = public_site_url(platform)
    body_intro = (platform.entry_check_message.strip() or _(DEFAULT_MESSAGE)).replace(
        "{platform}", platform.name
    )
    for membership in members:
        org = membership.organisation
        to = _recipients(platform, org)
        if not to:
            no_address += 1
            continue
        token = secrets.token_urlsafe(32)
        with transaction.atomic():
            EntryCheck.objects.create(
                platform=platform,
                organisation=org,
                fiscal_year=year,
                token_hash=token_hash(token),
                sent_at=timezone.now(),
                sent_by=actor,
                recipients=len(to),
                expires_on=day + dt.timedelta(days=LINK_DAYS),
            )
        link = base + reverse("entry-check", kwargs={"token": token})
        body = _("%(intro)s\n\n%(org)s\n%(link)s\n\n（リンクの期限: %(until)s）\n%(platform)s") % {
            "intro": body_intro,
            "org": org.name,
            "link": link,
            "until": (day + dt.timedelta(days=LINK_DAYS)).isoformat(),
            "platform": platform.name,
        }
        subject = _("[つなぐ] 掲載内容の確認のお願い（%(fy)s）") % {"fy": jp.fiscal_year_label(year)}
        try:
            send_mail(subject, body, None, to)
            sent += 1
        except Exception:  # noqa: BLE001 - a transport error must not stop the others
            logger.warning("entry check: an email could not be sent (organisation %s)", org.pk)
    return {"sent": sent, "no_address": no_address}


def check_for_token(token: str, *, today: dt.date | None = None) -> EntryCheck | None:
    """The check a link points at, if it can still be answered (None: unknown, expired or answered)."""
    check = (
        EntryCheck.objects.select_related("organisation", "platform")
        .filter(token_hash=token_hash(token))
        .first()
    )
    day = today or timezone.localdate()
    if check is None or check.answered_at or check.expires_on < day:
        return None
    return check


@transaction.atomic
def entry_check_answer(*, check: EntryCheck, answer: str, name: str, corrections: str = "") -> EntryCheck:
    check = (
        EntryCheck.objects.select_for_update(no_key=True)
        .select_related("organisation", "platform")
        .get(pk=check.pk)
    )
    if check.answered_at:
        raise ValidationError(_("この確認にはすでに回答がありました。"))
    if answer == EntryCheckAnswer.CORRECTIONS and not corrections.strip():
        raise ValidationError(_("修正の内容を書いてください。"))
    check.answer, check.answered_name, check.corrections = answer, name.strip(), corrections.strip()
    check.answered_at = timezone.now()
    check.save(update_fields=["answer", "answered_name", "corrections", "answered_at"])
    org, platform = check.organisation, check.platform
    label = _("年次確認: %(name)s（%(org)s）") % {"name": check.answered_name, "org": org.name}
    if answer == EntryCheckAnswer.CONFIRMED:
        old = org.verified_on
        today = timezone.localdate()
        Organisation.objects.filter(pk=org.pk).update(verified_on=today, verified_by=None)
        change_record(
            organisation=org,
            platform=platform,
            actor=label,
            action=ev.ORG_VERIFIED,
            changes={"verified_on": [old.isoformat() if old else None, today.isoformat()]},
            source=OrgChange.Source.WEB,
        )
    else:
        change_record(
            organisation=org,
            platform=platform,
            actor=label,
            action=ev.ENTRY_CORRECTIONS,
            changes={"entry_check": [None, check.fiscal_year]},
            source=OrgChange.Source.WEB,
        )
    return check
