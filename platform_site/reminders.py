"""Reminders: what is waiting for someone, per person, on the home screen and in a daily email.

Apps register a *source* from their `AppConfig.ready()`: a function of (platform, role, today)
giving that person's reminders — a label, a count and a link to the list that shows the items
(never a name: the email carries counts and links only, docs/data-protection.md). The core
gathers them for the home panel and for `python manage.py send_reminders`, run once a day by cron
or the task worker (docs/deployment.md). The thresholds (N days) and the email's opening text are
platform settings (the settings screen).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .models import Platform, PlatformRole
from .selectors import public_site_url

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Reminder:
    code: str  # e.g. "cases.unanswered"
    label: str | Promise
    count: int
    path: str  # a page of the site listing the items (no personal data in it)


ReminderSource = Callable[[Platform, PlatformRole, dt.date], list[Reminder]]
_SOURCES: dict[str, ReminderSource] = {}


def register_reminders(name: str, source: ReminderSource) -> None:
    _SOURCES[name] = source


def reminders_for(platform: Platform, role: PlatformRole, today: dt.date | None = None) -> list[Reminder]:
    """This person's reminders with something in them, in the apps' registration order."""
    day = today or timezone.localdate()
    return [r for source in _SOURCES.values() for r in source(platform, role, day) if r.count]


DEFAULT_INTRO = (
    "つなぐからのお知らせです。次のことが対応を待っています。"
    "個人情報はメールに書いていません。内容はリンクからログインして確かめてください。"
)


def email_body(platform: Platform, reminders: list[Reminder]) -> str:
    base = public_site_url(platform)
    lines = [platform.reminder_intro.strip() or _(DEFAULT_INTRO), ""]
    for r in reminders:
        lines.append(_("・%(label)s: %(count)d件") % {"label": r.label, "count": r.count})
        lines.append(f"  {base}{r.path}")
    lines += ["", platform.name]
    return "\n".join(lines)


def send_reminders(today: dt.date | None = None, platforms: Any = None) -> dict[str, int]:
    """One email per person with reminders; returns {"emails": n, "people": m}. A failed send is
    logged (without addresses) and the others still go."""
    day = today or timezone.localdate()
    sent = people = 0
    with translation.override("ja"):
        for platform in platforms if platforms is not None else Platform.objects.order_by("pk"):
            roles = (
                PlatformRole.objects.filter(platform=platform, user__is_active=True)
                .select_related("user", "platform")
                .order_by("pk")
            )
            for role in roles:
                found = reminders_for(platform, role, day)
                if not found:
                    continue
                people += 1
                if not role.user.email:
                    continue
                total = sum(r.count for r in found)
                subject = _("[つなぐ] %(platform)s: 対応を待っていること（%(n)d件）") % {
                    "platform": platform.name,
                    "n": total,
                }
                try:
                    send_mail(subject, email_body(platform, found), None, [role.user.email])
                    sent += 1
                except Exception:  # noqa: BLE001 - any transport error
                    logger.warning("reminders: an email could not be sent (platform %s)", platform.pk)
    return {"emails": sent, "people": people}


def home_panel(request: Any) -> dict[str, Any] | None:
    """The home screen's 「対応を待っていること」: the same reminders as the email."""
    found = reminders_for(request.platform, request.role)
    return {"reminders": found} if found else None
