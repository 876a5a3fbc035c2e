"""Writes of the members' side: the working-together facts, the public applications to be
listed, and the secretariat's notices. Each validates, saves and records in one transaction.

- `working_profile_save`: the organisation's own facts for the other members (history: OrgChange).
- `application_submit` / `application_viewed` / `application_decide`: a group's application from
  the public form, each staff view and each decision recorded (ApplicationEvent); approving
  creates the organisation through the registry's own `orgs.services.organisation_create`.
- `notice_post`: a notice with its audience fixed at posting; its emails go out on the worker
  (a job of kind ``orgs.notice_email``, `notice_emails_send`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from platform_site.audit import audit_write
from platform_site.lib.search import normalise, search_text
from platform_site.models import Platform
from platform_site.selectors import public_site_url

from .. import events as ev
from ..models import (
    ApplicationEvent,
    ApplicationStatus,
    ApplicationWish,
    ListingApplication,
    MembershipSource,
    MembershipStatus,
    Notice,
    NoticeOptOut,
    Organisation,
    ServedGroup,
    WorkingProfile,
)
from ..services import _plain, change_record, organisation_create
from .selectors import notice_recipients

logger = logging.getLogger(__name__)

WORKING_FIELDS = (
    "served_groups",
    "served_conditions",
    "served_area",
    "support_length",
    "staffing",
    "availability_hours",
    "accepts_referrals",
    "accepts_joint_cases",
    "capacity",
    "available_places",
    "available_month",
    "strengths",
    "public_fields",
)
# The throttle of the public form: at most this many applications from one address an hour.
APPLICATIONS_PER_HOUR = 5
APPLICATION_FIELDS = (
    "wish",
    "name",
    "name_kana",
    "legal_form",
    "website",
    "address",
    "public_phone",
    "activity",
    "contact_name",
    "contact_email",
    "contact_phone",
    "consent_listing",
)


# --- working together ---


def _working_texts(profile: WorkingProfile) -> None:
    """The profile's search columns, from its fields (group names always in Japanese)."""
    with translation.override("ja"):
        groups = profile.served_group_labels
    profile.search_text = search_text(
        [
            *groups,
            profile.served_conditions,
            profile.served_area,
            profile.support_length,
            profile.staffing,
            profile.availability_hours,
            profile.strengths,
        ]
    )
    profile.area_key = normalise(profile.served_area)[:200]
    wanted = [v for v in ServedGroup.values if v in profile.served_groups]
    profile.served_key = "|" + "|".join(wanted) + "|" if wanted else ""


@transaction.atomic
def working_profile_save(
    *, organisation: Organisation, platform: Platform, actor: Any, data: dict[str, Any]
) -> dict[str, list[Any]]:
    """Save the organisation's working-together facts; returns what changed (recorded as OrgChange)."""
    profile = WorkingProfile.objects.select_for_update(no_key=True).filter(
        organisation=organisation
    ).first() or WorkingProfile(organisation=organisation)
    if data.get("available_month"):
        data = data | {"available_month": data["available_month"].replace(day=1)}
    if data.get("available_places") is None:
        data = data | {"available_month": None}
    changes: dict[str, list[Any]] = {}
    for field in WORKING_FIELDS:
        if field in data and getattr(profile, field) != data[field]:
            changes[f"working.{field}"] = [_plain(getattr(profile, field)), _plain(data[field])]
            setattr(profile, field, data[field])
    if not changes and profile.pk is not None and not profile._state.adding:
        return {}
    profile.updated_by = actor if getattr(actor, "pk", None) else None
    _working_texts(profile)
    profile.full_clean()
    profile.save()
    public = {f"working.{name}" for name in [*profile.public_fields, "public_fields"]}
    if public & changes.keys():  # what the public directory shows changed: its pages are refreshed
        Organisation.objects.filter(pk=organisation.pk).update(updated_at=timezone.now())
    if changes:
        change_record(
            organisation=organisation,
            platform=platform,
            actor=actor,
            action=ev.WORKING_UPDATED,
            changes=changes,
        )
    return changes


# --- applications to be listed ---


def sender_key(address: str) -> str:
    """A keyed hash of the sender's network address: enough to throttle, not to find the sender."""
    return hmac.new(settings.SECRET_KEY.encode(), f"apply:{address}".encode(), hashlib.sha256).hexdigest()


class Throttled(Exception):
    """Too many applications from one address in the last hour."""


def throttled(*, key: str, now: dt.datetime | None = None) -> bool:
    since = (now or timezone.now()) - dt.timedelta(hours=1)
    return (
        ListingApplication.objects.filter(sender_key=key, received_at__gte=since).count()
        >= APPLICATIONS_PER_HOUR
    )


@transaction.atomic
def application_submit(*, platform: Platform, data: dict[str, Any], key: str) -> ListingApplication:
    """Keep one application from the public form (no account). Raises Throttled after
    APPLICATIONS_PER_HOUR from the same address within an hour; nothing is saved then."""
    # Lock the platform's row so a burst sent at once counts each other's applications.
    Platform.objects.select_for_update(no_key=True).filter(pk=platform.pk).first()
    if throttled(key=key):
        raise Throttled
    application = ListingApplication(
        platform=platform, sender_key=key, **{f: data[f] for f in APPLICATION_FIELDS if f in data}
    )
    application.full_clean()
    application.save()
    audit_write(
        ApplicationEvent,
        platform=platform,
        application=application,
        action=ev.APPLICATION_RECEIVED,
        changes={"status": [None, application.status], "wish": [None, application.wish]},
    )
    return application


def application_viewed(*, application: ListingApplication, actor: Any) -> None:
    """Record that a staff member saw the application's contact details."""
    audit_write(
        ApplicationEvent,
        platform_id=application.platform_id,
        application=application,
        actor=actor,
        action=ev.APPLICATION_VIEWED,
    )


DECISIONS = {
    ApplicationStatus.APPROVED: ev.APPLICATION_APPROVED,
    ApplicationStatus.MORE_INFO: ev.APPLICATION_MORE_INFO,
    ApplicationStatus.DECLINED: ev.APPLICATION_DECLINED,
}


def _tell_applicant(application: ListingApplication) -> bool:
    """The decision by email to the applicant; False when it could not be sent."""
    platform = application.platform
    if application.status == ApplicationStatus.APPROVED:
        intro = _("%(org)s の%(platform)sへの申込みを承認しました。") % {
            "org": application.name,
            "platform": platform.name,
        }
        if application.consent_listing:
            link = public_site_url(platform) + reverse(
                "directory:org", kwargs={"platform": platform.slug, "pk": application.organisation_id}
            )
            intro += "\n" + _("公開ディレクトリに掲載しました: %(link)s") % {"link": link}
    elif application.status == ApplicationStatus.MORE_INFO:
        intro = _("%(org)s の%(platform)sへの申込みについて、追加の情報をお願いします。") % {
            "org": application.name,
            "platform": platform.name,
        }
    else:
        intro = _("%(org)s の%(platform)sへの申込みは、今回は見送りとなりました。") % {
            "org": application.name,
            "platform": platform.name,
        }
    body = intro
    if application.decision_note:
        body += "\n\n" + application.decision_note
    body += "\n\n" + _("お問い合わせ: %(secretariat)s %(phone)s") % {
        "secretariat": platform.secretariat,
        "phone": platform.secretariat_phone,
    }
    subject = _("[つなぐ] %(platform)s への申込みについて") % {"platform": platform.name}
    try:
        send_mail(subject, body, None, [application.contact_email])
    except Exception:  # noqa: BLE001 - the decision stands; the screen says the email failed
        logger.warning("application %s: the decision could not be emailed", application.pk)
        return False
    return True


@transaction.atomic
def application_decide(
    *,
    application: ListingApplication,
    actor: Any,
    decision: str,
    note: str,
    decided_on: dt.date,
) -> tuple[ListingApplication, bool]:
    """Approve, ask for more or decline an open application; the applicant is told by email.
    Approving creates the organisation as a member (listed when the applicant consented).
    Returns the application and whether the email went out."""
    application = (
        ListingApplication.objects.select_for_update(no_key=True)
        .select_related("platform")
        .get(pk=application.pk)
    )
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("承認・追加の依頼・見送りのどれかを選んでください。")})
    if not application.open:
        raise ValidationError(_("この申込みはすでに決定済みです。"))
    if decision == ApplicationStatus.MORE_INFO and not note.strip():
        raise ValidationError({"note": _("何を追加で知りたいか、申込者への連絡に書いてください。")})
    old = application.status
    platform = application.platform
    if decision == ApplicationStatus.APPROVED:
        listed_only = application.wish == ApplicationWish.LIST_ONLY
        application.organisation = organisation_create(
            platform=platform,
            actor=actor,
            data={
                "name": application.name,
                "name_kana": application.name_kana,
                "legal_form": application.legal_form,
                "website": application.website,
                "address": application.address,
                "activity": application.activity,
                "public_listing": application.consent_listing,
                "verified_on": decided_on,
            },
            membership={
                "status": MembershipStatus.MEMBER,
                "joined_on": decided_on,
                "source": MembershipSource.APPLICATION,
                "source_note": _("公開一覧への掲載のみ") if listed_only else "",
            },
        )
        if application.public_phone:
            from ..services import phones_replace

            phones_replace(
                organisation=application.organisation,
                platform=platform,
                actor=actor,
                phones=[{"number": application.public_phone, "note": ""}],
            )
    application.status = decision
    application.decision_note = note.strip()
    application.decided_on = decided_on
    application.decided_by = actor if getattr(actor, "pk", None) else None
    application.save()
    audit_write(
        ApplicationEvent,
        platform=platform,
        application=application,
        actor=actor,
        action=DECISIONS[ApplicationStatus(decision)],
        changes={
            "status": [old, decision],
            "decided_on": [None, decided_on.isoformat()],
            **({"organisation": [None, application.organisation_id]} if application.organisation_id else {}),
        },
    )
    return application, _tell_applicant(application)


# --- notices to members ---


@transaction.atomic
def notice_post(*, platform: Platform, actor: Any, data: dict[str, Any]) -> Notice:
    """Post a notice; its audience (the member organisations it is for) is fixed now and kept
    with it. The emails are queued on the worker once the notice is saved."""
    from platform_site.jobs.services import job_start

    categories = [c for c in data.get("worry_categories") or [] if c.platform_id == platform.pk]
    fields = [f for f in data.get("activity_fields") or [] if f.platform_id == platform.pk]
    to_all = bool(data.get("to_all")) or not (categories or fields)
    notice = Notice(
        platform=platform,
        kind=data["kind"],
        title=data["title"],
        body=data["body"],
        link=data.get("link") or "",
        deadline=data.get("deadline"),
        to_all=to_all,
        posted_by=actor if getattr(actor, "pk", None) else None,
    )
    notice.full_clean()
    notice.save()
    if not to_all:
        notice.worry_categories.set(categories)
        notice.activity_fields.set(fields)
    from .selectors import notice_audience_ids

    notice.audience = notice_audience_ids(notice)
    notice.save(update_fields=["audience"])
    job_start(platform=platform, owner=actor, kind=NOTICE_EMAIL_JOB, params={"notice": notice.pk})
    return notice


NOTICE_EMAIL_JOB = "orgs.notice_email"


def notice_emails_send(*, notice: Notice) -> int:
    """Email the notice to each coordinator of its audience who did not opt out (one message
    each, so no one sees the others' addresses). Returns how many were sent."""
    platform = notice.platform
    home = public_site_url(platform) + reverse("platform-home", kwargs={"platform": platform.slug})
    lines = [notice.body]
    if notice.deadline:
        lines.append(_("締切: %(day)s") % {"day": notice.deadline.isoformat()})
    if notice.link:
        lines.append(notice.link)
    lines.append(_("ホーム画面でも読めます: %(home)s") % {"home": home})
    lines.append(_("メールでの受け取りは、ホーム画面のお知らせ欄から止められます。"))
    body = "\n\n".join(lines)
    subject = _("[つなぐ] %(platform)s からのお知らせ: %(title)s") % {
        "platform": platform.name,
        "title": notice.title,
    }
    sent = 0
    for address in notice_recipients(notice):
        try:
            send_mail(subject, body, None, [address])
            sent += 1
        except Exception:  # noqa: BLE001 - one address failing must not stop the others
            logger.warning("notice %s: an email could not be sent", notice.pk)
    Notice.objects.filter(pk=notice.pk).update(emailed=sent)
    return sent


@transaction.atomic
def notice_email_choice(*, platform: Platform, user: Any, receive: bool) -> None:
    """The person's own choice: receive the platform's notices by email, or not."""
    if receive:
        NoticeOptOut.objects.filter(platform=platform, user=user).delete()
    else:
        NoticeOptOut.objects.get_or_create(platform=platform, user=user)
