"""Events and trial projects (試行的事業) of a platform, per 年度, and their record of changes.

- `EventType`: the built-in kinds (platform NULL, created by a data migration) plus the ones a
  platform adds for itself.
- `Contractor` (発注先): who was paid to run a project. A contractor is *not* a PF member: it is
  kept in this app's own table, never as an `orgs.Organisation` with a membership, so the
  leaflet and the public directory (which read memberships) cannot list it. When the contractor
  is itself a registry entry (a 社協 that is also the secretariat), `organisation` points at it.
- `Event`: one project or event; sessions (dates with attendance), KPIs (target and actual,
  also used for numeric results), media metrics per medium and quantities distributed hang off it.
- `EventChange`: the append-only history (the core's audit base).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from platform_site.audit import AuditEntry
from platform_site.lib import japanese as jp
from platform_site.models import Platform


class EventType(models.Model):
    """A kind of event. `platform` NULL: built in, shared by all platforms; else the platform's own."""

    platform = models.ForeignKey(
        Platform, on_delete=models.CASCADE, null=True, blank=True, related_name="event_types"
    )
    code = models.SlugField(_("コード"), max_length=40)
    name = models.CharField(_("名称"), max_length=80)
    order = models.PositiveIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("事業の種類")
        verbose_name_plural = _("事業の種類")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "code"], name="unique_event_type_code"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(platform__isnull=True), name="unique_builtin_event_type"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.platform_id is None


class Contractor(models.Model):
    """発注先: a company or body a project was ordered from (not a PF member)."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="contractors")
    name = models.CharField(_("名称"), max_length=200)
    legal_form = models.CharField(_("法人格"), max_length=60, blank=True)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("名簿の団体（参加団体が受託した場合）"),
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("発注先")
        verbose_name_plural = _("発注先")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["platform", "name"], name="unique_contractor_name")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.legal_form}{self.name}" if self.legal_form else self.name


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("対面")
    ONLINE = "online", _("オンライン")
    HYBRID = "hybrid", _("ハイブリッド")


class OrganiserKind(models.TextChoices):
    SECRETARIAT = "secretariat", _("事務局")
    MEMBER = "member", _("参加団体")
    OTHER = "other", _("その他")


class Unit(models.TextChoices):
    PEOPLE = "people", _("人")
    HOUSEHOLDS = "households", _("世帯")
    ORGANISATIONS = "organisations", _("団体")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("予定")
    DONE = "done", _("実施済み")
    CANCELLED = "cancelled", _("中止")


class Event(models.Model):
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="events")
    fiscal_year = models.PositiveIntegerField(
        _("年度"), help_text=_("年度の始まる西暦年（令和5年度 = 2023）")
    )
    ref = models.CharField(
        _("事業コード"), max_length=40, blank=True, help_text=_("取り込みで同じ事業を見分ける任意のコード")
    )
    order = models.PositiveIntegerField(_("一覧での順番"), default=0)
    name = models.CharField(_("事業名称"), max_length=300)
    event_type = models.ForeignKey(
        EventType, on_delete=models.PROTECT, related_name="events", verbose_name=_("種類")
    )
    is_trial = models.BooleanField(
        _("試行的事業"), default=True, help_text=_("年度の試行的事業一覧に載せる（定例会議などは外す）")
    )
    status = models.CharField(_("状態"), max_length=12, choices=EventStatus.choices, default=EventStatus.DONE)
    description = models.TextField(_("事業内容"), blank=True, max_length=4000)
    purpose = models.TextField(_("目的・期待効果"), blank=True, max_length=4000)
    target_audience = models.TextField(_("対象"), blank=True, max_length=2000)
    date_start = models.DateField(_("開始日"), null=True, blank=True)
    date_end = models.DateField(_("終了日"), null=True, blank=True, help_text=_("1日だけなら空欄"))
    period_note = models.CharField(
        _("実施時期（記載どおり）"), max_length=300, blank=True, help_text=_("例: 1月～2月実施、～R6.2月末")
    )
    venue = models.CharField(_("会場"), max_length=300, blank=True)
    format = models.CharField(_("形式"), max_length=12, choices=Format.choices, blank=True)
    organiser_kind = models.CharField(
        _("実施主体"), max_length=12, choices=OrganiserKind.choices, default=OrganiserKind.SECRETARIAT
    )
    organiser = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("実施主体の参加団体"),
    )
    organiser_note = models.CharField(_("実施主体（記載どおり）"), max_length=300, blank=True)
    contractor = models.ForeignKey(
        Contractor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("発注先"),
    )
    contractor_note = models.CharField(
        _("発注先の補足"), max_length=300, blank=True, help_text=_("例: 委託なし")
    )
    budget_yen = models.PositiveBigIntegerField(_("予算（円）"), null=True, blank=True)
    budget_approx = models.BooleanField(_("予算は概算（約）"), default=False)
    budget_note = models.CharField(_("予算（記載どおり）"), max_length=300, blank=True)
    spent_yen = models.PositiveBigIntegerField(_("実績額（円）"), null=True, blank=True)
    spent_approx = models.BooleanField(_("実績額は概算（約）"), default=False)
    unit = models.CharField(_("人数の単位"), max_length=16, choices=Unit.choices, default=Unit.PEOPLE)
    applicants = models.PositiveIntegerField(_("申込数"), null=True, blank=True)
    attendees_in_person = models.PositiveIntegerField(_("参加数（対面）"), null=True, blank=True)
    attendees_online = models.PositiveIntegerField(_("参加数（オンライン）"), null=True, blank=True)
    attendance_note = models.CharField(
        _("参加数の補足"), max_length=300, blank=True, help_text=_("例: 23団体＋行政職員25名")
    )
    participants = models.ManyToManyField(
        "orgs.Organisation", blank=True, related_name="+", verbose_name=_("参加した参加団体")
    )
    results = models.TextField(_("成果検証結果"), blank=True, max_length=4000)
    feedback = models.TextField(_("参加者の声"), blank=True, max_length=4000)
    is_public = models.BooleanField(
        _("公開する"), default=False, help_text=_("公開ページに載せます（発注先は載りません）")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("事業・イベント")
        verbose_name_plural = _("事業・イベント")
        ordering = ["fiscal_year", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "ref"], condition=~Q(ref=""), name="unique_event_ref"
            ),
            models.CheckConstraint(
                condition=Q(date_end__isnull=True)
                | Q(date_start__isnull=True)
                | Q(date_end__gte=models.F("date_start")),
                name="event_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["platform", "fiscal_year", "order"], name="event_platform_fy")]

    def __str__(self) -> str:
        return self.name

    @property
    def fiscal_year_label(self) -> str:
        return jp.fiscal_year_label(self.fiscal_year)

    @property
    def attendees(self) -> int | None:
        """Total attendance in the event's unit (both counts of a hybrid event)."""
        counts = [c for c in (self.attendees_in_person, self.attendees_online) if c is not None]
        return sum(counts) if counts else None


class EventSession(models.Model):
    """One date of an event held several times, with its own counts (in the event's unit)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("日付"))
    applicants = models.PositiveIntegerField(_("申込数"), null=True, blank=True)
    attendees = models.PositiveIntegerField(_("参加数"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("開催回")
        verbose_name_plural = _("開催回")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.date}"


class Kpi(models.Model):
    """A KPI with target and actual; a result figure is a KPI with an actual and no target."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("指標"), max_length=200)
    unit = models.CharField(_("単位"), max_length=20, blank=True)
    target = models.DecimalField(_("目標"), max_digits=14, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("実績"), max_digits=14, decimal_places=2, null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPI")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class MediaMetric(models.Model):
    """Reach of an advertisement on one medium (Google 検索, LINE広告, 新聞…)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="media")
    medium = models.CharField(_("媒体"), max_length=100)
    impressions = models.PositiveBigIntegerField(_("表示回数"), null=True, blank=True)
    clicks = models.PositiveBigIntegerField(_("クリック数"), null=True, blank=True)
    conversions = models.PositiveIntegerField(_("獲得件数"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("媒体別の実績")
        verbose_name_plural = _("媒体別の実績")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.medium

    @property
    def click_rate(self) -> Decimal | None:
        """Clicks ÷ impressions in percent, two decimals; None when either is missing or zero."""
        if not self.impressions or self.clicks is None:
            return None
        return (Decimal(self.clicks) * 100 / Decimal(self.impressions)).quantize(Decimal("0.01"))


class Distribution(models.Model):
    """A quantity handed out (アルコールスプレー 50 個, リーフレット 1,000 部)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="distributions")
    item = models.CharField(_("品目"), max_length=200)
    quantity = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(0)])
    unit = models.CharField(_("単位"), max_length=20, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("配布数")
        verbose_name_plural = _("配布数")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.item} {self.quantity}{self.unit}"


class EventChange(AuditEntry):
    """Who created, changed, imported or deleted which event, when (machine field names only)."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes")
    event_name = models.CharField(max_length=300, blank=True)  # kept when the event is deleted
    changes = models.JSONField(default=dict)  # {"field": [old, new]}

    class Meta:
        verbose_name = _("事業の変更記録")
        verbose_name_plural = _("事業の変更記録")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["event", "-at"], name="eventchange_event_at"),
            models.Index(fields=["platform", "-chain_seq"], name="eventchange_chain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.event_id} {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def about_organisation(cls, organisation_id: int) -> Q:
        """Events the organisation runs, took part in or was contracted for, now or before a change."""
        return (
            Q(event__organiser_id=organisation_id)
            | Q(event__contractor__organisation_id=organisation_id)
            | Q(
                models.Exists(
                    Event.participants.through.objects.filter(
                        event_id=models.OuterRef("event_id"), organisation_id=organisation_id
                    )
                )
            )
            | Q(changes__organiser__has_element=organisation_id)
        )


class CaseSource(models.Model):
    """The event (a food distribution…) where a case of the ledger was found.

    Kept here, not on cases.Case, so the ledger never imports this app; an event only ever
    shows how many cases it started (a count, no personal data).
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="outreach_source")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="case_sources")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ケースのきっかけとなった事業")
        verbose_name_plural = _("ケースのきっかけとなった事業")

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.event_id}"
