"""The registry's reminders (platform_site/reminders.py): entries nobody confirmed for a year
(the platform's period), the yearly check's unanswered links and its correction requests, and
the public applications to be listed that wait for a decision."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from platform_site.lib import japanese as jp
from platform_site.models import Platform, PlatformRole, Role
from platform_site.permissions import capabilities_of
from platform_site.reminders import Reminder

from .capabilities import APPLICATIONS_REVIEW, ORGS_EDIT_ANY, ORGS_EDIT_OWN
from .checks import selectors as checks
from .members.selectors import applications_open
from .models import EntryCheck, EntryCheckAnswer


def registry_reminders(platform: Platform, role: PlatformRole, today: dt.date) -> list[Reminder]:
    caps = capabilities_of(role)
    waiting = []
    if APPLICATIONS_REVIEW in caps:
        waiting.append(
            Reminder(
                "orgs.applications_waiting",
                _("審査を待っている参加・掲載の申込み"),
                applications_open(platform=platform).count(),
                reverse("orgs:applications", kwargs={"platform": platform.slug}),
            )
        )
    if ORGS_EDIT_ANY in caps:
        page = reverse("orgs:checks", kwargs={"platform": platform.slug})
        corrections = EntryCheck.objects.filter(
            platform=platform,
            fiscal_year=jp.fiscal_year(today),
            answer=EntryCheckAnswer.CORRECTIONS,
            organisation__updated_at__lt=F("answered_at"),  # not edited since the request
        ).count()
        return [
            *waiting,
            Reminder(
                "orgs.stale_entries",
                _("内容確認日から%(d)d日以上たった（または未確認の）掲載") % {"d": platform.entry_check_days},
                checks.stale_entry_count(platform=platform, today=today),
                page,
            ),
            Reminder(
                "orgs.check_corrections",
                _("年次確認で修正の依頼があり、まだ直していない団体"),
                corrections,
                page,
            ),
        ]
    if ORGS_EDIT_OWN in caps and role.role == Role.COORDINATOR and role.organisation_id:
        stale = checks.stale_entry_count(platform=platform, today=today, organisation_id=role.organisation_id)
        return [
            Reminder(
                "orgs.own_entry",
                _("自団体の掲載内容の確認（1年以上確認されていません）"),
                stale,
                reverse("orgs:detail", kwargs={"platform": platform.slug, "pk": role.organisation_id}),
            )
        ]
    return waiting
