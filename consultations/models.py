"""The record of consultations (相談・問い合わせの記録): one row per contact, and nothing personal.

A row says when (the day only), by which channel, who took it (a member organisation, or the
city's own window when `organisation` is empty), which worries it was about (the platform's worry
categories), whether the person came on their own or was referred, and where they were pointed:
a member, a city window (its name), a case of the ledger (linked by id, never copied). There is
deliberately no field for a name, a phone number, an address or an age (tests check the fields);
the short note is refused when it holds a phone number or an email address.

- `Consultation`: the row; `version` for concurrent edits.
- `ConsultationChange`: the append-only history (the core's audit base).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from platform_site.audit import AuditEntry
from platform_site.models import Platform


class Channel(models.TextChoices):
    COUNTER = "counter", _("窓口")
    PHONE = "phone", _("電話")
    LINE = "line", _("LINE")
    EMAIL = "email", _("メール")
    VISIT = "visit", _("訪問")
    EVENT = "event", _("イベント")


class Arrival(models.TextChoices):
    SELF = "self", _("自ら相談")
    REFERRED = "referred", _("紹介・つなぎ")


NOTE_MAX = 300


class Consultation(models.Model):
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="consultations")
    date = models.DateField(_("相談日"))
    channel = models.CharField(_("方法"), max_length=12, choices=Channel.choices)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("受けた団体"),
        help_text=_("空欄は市（事務局）の窓口"),
    )
    topics = models.ManyToManyField(
        "orgs.WorryCategory", blank=True, related_name="+", verbose_name=_("相談の内容（悩みの分類）")
    )
    arrival = models.CharField(_("きっかけ"), max_length=12, choices=Arrival.choices, default=Arrival.SELF)
    pointed_to_organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("つないだ参加団体"),
    )
    pointed_to_city = models.CharField(
        _("つないだ市の窓口"),
        max_length=100,
        blank=True,
        help_text=_("例: 福祉課、生活支援課（窓口の名前だけ）"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("引き継ぎ簿のケース"),
    )
    note = models.CharField(_("メモ"), max_length=NOTE_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("相談・問い合わせの記録")
        verbose_name_plural = _("相談・問い合わせの記録")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["platform", "date"], name="consultation_platform_date"),
            models.Index(fields=["platform", "organisation", "date"], name="consultation_org_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_channel_display()}"


class ConsultationChange(AuditEntry):
    """Who recorded, changed or exported consultation records, when (field names and ids only)."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, null=True, blank=True, related_name="changes"
    )  # empty for an export; a record is never deleted
    changes = models.JSONField(default=dict)  # {"field": [old, new]}

    class Meta:
        verbose_name = _("相談記録の変更記録")
        verbose_name_plural = _("相談記録の変更記録")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["consultation", "-at"], name="consultchange_at"),
            models.Index(fields=["platform", "-chain_seq"], name="consultchange_chain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.consultation_id} {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def about_organisation(cls, organisation_id: int) -> models.Q:
        """Records the organisation took or was pointed to, now or before a change."""
        return (
            models.Q(consultation__organisation_id=organisation_id)
            | models.Q(consultation__pointed_to_organisation_id=organisation_id)
            | models.Q(changes__organisation__has_element=organisation_id)
            | models.Q(changes__pointed_to_organisation__has_element=organisation_id)
        )
