"""The ledger's reminders (platform_site/reminders.py): counts and list links, never a name.

The secretariat: referrals nobody answered for N days, handoffs overdue, consents ending within
the warning period, reports to the city not read yet, members' requests waiting in the intake.
A coordinator: the same for the referrals to their own organisation. The person the platform
names for supporters' reports: those not handled yet. N and the period are platform settings.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from platform_site.models import Platform, PlatformRole, Role
from platform_site.permissions import capabilities_of
from platform_site.reminders import Reminder

from .capabilities import CASES_RESPOND, CASES_SUPPORTER_INTAKE, CASES_VIEW_ALL
from .models import Case, CaseStatus, Referral, ReferralStatus, SupporterReport, SupporterReportStatus
from .selectors import expiring_consents, stale_referrals_q, unread_reports, waiting_requests


def ledger_reminders(platform: Platform, role: PlatformRole, today: dt.date) -> list[Reminder]:
    reminders = _ledger_reminders(platform, role, today)
    if CASES_SUPPORTER_INTAKE in capabilities_of(role):
        reminders.append(
            Reminder(
                "cases.supporter_reports",
                _("まだ対応していないサポーターからの報告"),
                SupporterReport.objects.filter(
                    platform=platform, status=SupporterReportStatus.RECEIVED
                ).count(),
                reverse("cases:supporter-reports", kwargs={"platform": platform.slug}),
            )
        )
    return reminders


def _ledger_reminders(platform: Platform, role: PlatformRole, today: dt.date) -> list[Reminder]:
    caps = capabilities_of(role)
    ledger = reverse("cases:list", kwargs={"platform": platform.slug})
    days = platform.reminder_unanswered_days
    overdue = Q(status=CaseStatus.ACTIVE, next_handoff_due__lt=today)
    if CASES_VIEW_ALL in caps:
        return [
            Reminder(
                "cases.unanswered",
                _("%(d)d日以上応答のない依頼") % {"d": days},
                Referral.objects.filter(stale_referrals_q(days), platform=platform).count(),
                f"{ledger}?stale=unanswered",
            ),
            Reminder(
                "cases.overdue",
                _("約束の間隔を過ぎても引き渡しがないケース"),
                Case.objects.for_platform(platform).filter(overdue).count(),
                f"{ledger}?stale=overdue",
            ),
            Reminder(
                "cases.consent_expiring",
                _("%(d)d日以内に期限が来る同意") % {"d": platform.reminder_consent_days},
                expiring_consents(platform=platform, today=today).count(),
                f"{ledger}?stale=expiring",
            ),
            Reminder(
                "cases.reports",
                _("未読の団体からの報告"),
                unread_reports(platform=platform).count(),
                f"{ledger}?stale=reports",
            ),
            Reminder(
                "cases.requests",
                _("受付待ちの団体からの依頼"),
                waiting_requests(platform=platform),
                reverse("cases:requests", kwargs={"platform": platform.slug}) + "?status=sent",
            ),
        ]
    if CASES_RESPOND in caps and role.role == Role.COORDINATOR and role.organisation_id:
        own = Referral.objects.filter(platform=platform, organisation_id=role.organisation_id)
        return [
            Reminder(
                "cases.unanswered",
                _("%(d)d日以上応答していない依頼") % {"d": days},
                own.filter(stale_referrals_q(days)).count(),
                f"{ledger}?stale=unanswered",
            ),
            Reminder(
                "cases.overdue",
                _("引き渡しの期限を過ぎている依頼"),
                own.filter(
                    status=ReferralStatus.ACCEPTED,
                    case__status=CaseStatus.ACTIVE,
                    case__next_handoff_due__lt=today,
                ).count(),
                f"{ledger}?stale=overdue",
            ),
        ]
    return []
