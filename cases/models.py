"""The handoff ledger (引き継ぎ簿): cases, consent, referrals to organisations, handoffs, working groups
and the access log.

Everything here is 要配慮個人情報 under APPI except the access log's machine codes. Rules:
- no CASCADE from users (or organisations) to ledger rows: PROTECT everywhere;
- writes go through cases.services (which write a CaseEvent in the same transaction);
- reads go through cases.selectors, and access is decided in cases.access only.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs.models import Organisation
from platform_site.audit import AppendOnly, AppendOnlyQuerySet, AuditEntry
from platform_site.models import Platform

PICKUP_EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
PICKUP_LATEST = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)


class SupportType(models.TextChoices):
    """Kinds of support a referral asks for. Food is the first; the others need no new code."""

    FOOD = "food", _("食支援")
    WATCH = "watch", _("見守り")
    HOUSING = "housing", _("居住支援")
    WORK = "work", _("就労支援")
    OTHER = "other", _("その他")


class Sex(models.TextChoices):
    MALE = "male", _("男性")
    FEMALE = "female", _("女性")
    OTHER = "other", _("その他")
    UNKNOWN = "", _("未記入")


class ReferralSource(models.TextChoices):
    SELF = "self", _("本人")
    NEIGHBOUR = "neighbour", _("近隣住民")
    THIRD_PARTY = "third_party", _("第三者からの情報提供")
    OTHER_CHANNEL = "other_channel", _("別分野の窓口（学校・防災・水道等）")
    OUTREACH = "outreach", _("アウトリーチ")
    MEMBER = "member", _("参加団体からの依頼")
    SUPPORTER = "supporter", _("つながりサポーターからの報告")


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("発見・受付")
    PLANNED = "planned", _("支援方針決定")
    CONSENTED = "consented", _("意思確認済")
    REFERRED = "referred", _("団体へ依頼中")
    ACTIVE = "active", _("支援中")
    CLOSED = "closed", _("終了")


class CloseReason(models.TextChoices):
    BENEFIT = "benefit", _("他制度の給付が始まった")
    CONDITIONS_LAPSED = "conditions_lapsed", _("要件を満たさなくなった")
    MOVED = "moved", _("転居した")
    DECLINED = "declined", _("本人が辞退した")
    NOT_NEEDED = "not_needed", _("支援が不要になった（家族の支援など）")
    OTHER = "other", _("その他")


# Items of a case a consent may cover; a coordinator sees only the covered ones.
class ConsentItem(models.TextChoices):
    NAME = "name", _("氏名")
    CONTACT = "contact", _("連絡先")
    AGE = "age", _("年齢")
    SEX = "sex", _("性別")
    HOUSEHOLD = "household", _("世帯の状況")
    SITUATION = "situation", _("相談内容・生活状況")
    FOOD_NEEDS = "food_needs", _("食糧の希望（アレルギー等）")


class CaseQuerySet(models.QuerySet):
    def for_platform(self, platform: Platform) -> CaseQuerySet:
        """The only way selectors start a case query: one tenant at a time."""
        return self.filter(platform=platform)


class Case(models.Model):
    """One person supported (当事者), from discovery (step 1) to the end of support."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="cases")
    # Step 1: the person found and why both conditions hold.
    intake_date = models.DateField(_("実行日（受付日）"))
    person_name = models.CharField(_("氏名"), max_length=100, blank=True)
    contact = models.CharField(_("連絡先"), max_length=200, blank=True)
    age = models.CharField(_("年齢"), max_length=20, blank=True, help_text=_("例: 78、80代"))
    sex = models.CharField(_("性別"), max_length=10, choices=Sex.choices, blank=True)
    household = models.CharField(
        _("世帯の状況"), max_length=300, blank=True, help_text=_("例: 3人世帯（本人・長男・長女）、独居")
    )
    source = models.CharField(
        _("発見の経緯"), max_length=20, choices=ReferralSource.choices, default=ReferralSource.SELF
    )
    # The member organisation that asked the city to take the person on (the two-way flow:
    # 宇和島's 「NPO団体から重層的支援体制への緊急性ある世帯の対応依頼」). Being the source gives
    # it no sight of the case: it sees its own request and the answer, and the case only through
    # a referral, like any organisation.
    source_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("依頼元の団体"),
    )
    situation = models.TextField(_("相談内容・生活状況"), max_length=4000)
    hardship_reason = models.TextField(
        _("条件1: 生活困窮（またはその恐れ）で自治体支援のみでは対応が困難な理由"),
        max_length=2000,
    )
    willingness_reason = models.TextField(_("条件2: 本人に取り組む意思があると判断した理由"), max_length=2000)
    # Step 2: the support plan.
    support_type = models.CharField(
        _("支援の種類"), max_length=20, choices=SupportType.choices, default=SupportType.FOOD
    )
    city_support = models.TextField(
        _("自治体の支援（根本的な軽減・解決へ向けて）"), max_length=2000, blank=True
    )
    npo_support = models.TextField(_("団体の役割（直近の軽減へ向けて）"), max_length=2000, blank=True)
    frequency_per_month = models.PositiveSmallIntegerField(
        _("月あたりの支援回数"),
        default=2,
        help_text=_("月1〜2回が基本。当事者の状況に応じて自治体が決めます。"),
    )
    plan_review_on = models.DateField(_("支援方針の見直し予定日"), null=True, blank=True)
    # State. referred_to, last_handoff_on and next_handoff_due are denormalised so the list
    # needs no subquery per row (kept in step by services).
    status = models.CharField(_("状態"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.INTAKE)
    referred_to = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("依頼先"),
    )
    last_handoff_on = models.DateField(_("最終の引き渡し日"), null=True, blank=True)
    next_handoff_due = models.DateField(_("次の引き渡し期限"), null=True, blank=True)
    handoff_count = models.PositiveIntegerField(_("引き渡し回数"), default=0)
    closed_on = models.DateField(_("終了日"), null=True, blank=True)
    close_reason = models.CharField(_("終了の理由"), max_length=30, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(_("終了の補足"), max_length=2000, blank=True)
    is_fictional = models.BooleanField(_("架空（デモ）"), default=False)
    anonymised_at = models.DateTimeField(_("匿名化日時"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking (issue item 11)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("ケース")
        verbose_name_plural = _("ケース")
        indexes = [
            # The ledger list: WHERE platform = ? ORDER BY updated_at DESC, id DESC (keyset pages).
            models.Index(fields=["platform", "-updated_at", "-id"], name="case_list_idx"),
            # The list filtered by status, same order.
            models.Index(fields=["platform", "status", "-updated_at", "-id"], name="case_status_list_idx"),
            # Stale work: WHERE platform = ? AND status = 'active' AND next_handoff_due < today.
            models.Index(fields=["platform", "status", "next_handoff_due"], name="case_due_idx"),
            # Retention: WHERE status = 'closed' AND closed_on < ? AND anonymised_at IS NULL.
            models.Index(fields=["status", "closed_on"], name="case_retention_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(frequency_per_month__gte=1), name="case_frequency_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def handoff_interval_days(self) -> int:
        """Days allowed between handoffs for the agreed monthly frequency (月2回 → 15日)."""
        return max(1, round(30 / max(1, self.frequency_per_month)))

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("書面")
    ORAL = "oral", _("口頭")
    PROXY = "proxy", _("代理人")


class Consent(models.Model):
    """Step 3 (意思確認): the four points of the manual, and what may be shared with whom."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents")
    method = models.CharField(_("同意の方法"), max_length=10, choices=ConsentMethod.choices)
    given_by = models.CharField(
        _("同意した人"), max_length=100, help_text=_("本人、または代理人の続柄・氏名")
    )
    given_on = models.DateField(_("同意日"))
    ack_share = models.BooleanField(_("団体へ個人情報等を共有すること"), default=False)
    ack_no_choice = models.BooleanField(
        _("食糧の品目や種類は選べないこと（アレルギー等は除く）"), default=False
    )
    ack_take_support = models.BooleanField(
        _("自治体や団体の生活困窮の軽減・解決へ向けた支援を受けること"), default=False
    )
    ack_end_rule = models.BooleanField(
        _("条件を満たさないと自治体が判断した場合は支援終了となること"), default=False
    )
    organisations = models.ManyToManyField(Organisation, related_name="+", verbose_name=_("共有先の団体"))
    items = models.JSONField(_("共有する項目"), default=list)
    expires_on = models.DateField(_("有効期限"), null=True, blank=True)
    revoked_on = models.DateField(_("撤回日"), null=True, blank=True)
    revoked_note = models.CharField(_("撤回の補足"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("同意")
        verbose_name_plural = _("同意")
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.given_on}"

    def clean(self) -> None:
        if not (self.ack_share and self.ack_no_choice and self.ack_take_support and self.ack_end_rule):
            raise ValidationError(_("マニュアルの4点すべてについて本人の同意を確認してください。"))
        unknown = set(self.items or ()) - set(ConsentItem.values)
        if unknown:
            raise ValidationError(_("共有する項目に不明な値があります。"))
        if self.expires_on and self.expires_on < self.given_on:
            raise ValidationError(_("有効期限は同意日より後にしてください。"))

    @property
    def item_labels(self) -> list[str]:
        return [str(ConsentItem(code).label) for code in self.items or () if code in ConsentItem.values]

    def is_valid_on(self, day: dt.date) -> bool:
        if self.revoked_on and self.revoked_on <= day:
            return False
        return not (self.expires_on and self.expires_on < day)


class ConsentCorrectionQuerySet(AppendOnlyQuerySet):
    def anonymise(self) -> int:
        """The one change a correction ever takes: retention (`cases_anonymise`) replacing its
        free text about the person — the note before and the reason — with a fixed word; the
        dates, who corrected it and when stay. Only the retention service calls this."""
        return models.QuerySet.update(self, previous_note="", reason=ANONYMISED_WORD)


ANONYMISED_WORD = "（匿名化済み）"  # cases.services.ANONYMISED_TEXT


class ConsentCorrection(AppendOnly):
    """A mistaken withdrawal corrected by the secretariat: the original and the correction both
    stay (rows are never changed or deleted, except that retention strips their free text), with
    who, when and why."""

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="corrections")
    previous_revoked_on = models.DateField(_("訂正前の撤回日"))
    previous_note = models.CharField(_("訂正前の撤回の補足"), max_length=300, blank=True)
    revoked_on = models.DateField(_("訂正後の撤回日"), null=True, blank=True)  # None: not withdrawn
    reason = models.TextField(_("訂正の理由"), max_length=2000)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentCorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("撤回の訂正")
        verbose_name_plural = _("撤回の訂正")
        ordering = ["corrected_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="consent_correction_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.consent_id}: {self.previous_revoked_on} → {self.revoked_on}"


class Urgency(models.TextChoices):
    NORMAL = "normal", _("通常")
    HIGH = "high", _("急ぎ")
    URGENT = "urgent", _("緊急（当日中）")


class FoodNeed(models.TextChoices):
    ALLERGY = "allergy", _("アレルギーがある")
    NO_COOK = "no_cook", _("ライフライン停止のため調理不要品")
    SUPPLEMENT = "supplement", _("栄養補助食品")
    SOFT = "soft", _("咀嚼困難のためスープ類・やわらかい食品")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("依頼済（未応答）")
    ACCEPTED = "accepted", _("受諾")
    DECLINED = "declined", _("辞退")
    CLOSED = "closed", _("終了")


class DeclineReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("対象外")
    NO_CAPACITY = "no_capacity", _("受け入れ余力がない")
    NO_CONTACT = "no_contact", _("連絡がつかない")
    NOT_INTERESTED = "not_interested", _("本人が希望しなくなった")
    ELSEWHERE = "elsewhere", _("他へつないだ")
    OTHER = "other", _("その他")


class Referral(models.Model):
    """Step 4: the request to one organisation (what used to be the phone call)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    # The case's platform, copied so an organisation that belongs to several platforms gets its
    # inbox for this one from one index range (no join through cases).
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="case_referrals", verbose_name=_("依頼先の団体")
    )
    # A hand-on from one member to another (NPO → NPO): the organisation that passed the person
    # on. Empty for the city's own referrals. The same consent gate applies (services.referral_send).
    from_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("引き継ぎ元の団体"),
    )
    support_type = models.CharField(
        _("支援の種類"), max_length=20, choices=SupportType.choices, default=SupportType.FOOD
    )
    adults = models.PositiveSmallIntegerField(_("大人（人）"), default=1)
    children = models.PositiveSmallIntegerField(_("子ども（人）"), default=0)
    days = models.PositiveSmallIntegerField(_("日数（日分）"), default=3)
    food_needs = models.JSONField(_("食糧の希望"), default=list, blank=True)
    allergy_detail = models.CharField(_("アレルギーの内容"), max_length=200, blank=True)
    pickup_at = models.DateTimeField(_("受取日時"), null=True, blank=True)
    urgency = models.CharField(_("緊急度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    note = models.TextField(_("団体への連絡事項"), max_length=2000, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    override_reason = models.TextField(_("同意なしで依頼した理由"), max_length=2000, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("依頼日時"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("応答日時"), null=True, blank=True)
    decline_reason = models.CharField(
        _("辞退の理由"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.CharField(_("辞退の補足"), max_length=300, blank=True)
    # The organisation answered by phone and the secretariat recorded it on its behalf.
    responded_on_behalf = models.BooleanField(_("事務局が代わりに記録"), default=False)

    class Meta:
        verbose_name = _("団体への依頼")
        verbose_name_plural = _("団体への依頼")
        indexes = [
            # A coordinator's inbox: WHERE organisation = ? AND platform = ? ORDER BY sent_at DESC, id DESC.
            models.Index(fields=["organisation", "platform", "-sent_at", "-id"], name="referral_inbox_idx"),
            # Stale referrals: WHERE platform = ? AND status = 'sent' AND sent_at < now - 3 days.
            models.Index(fields=["platform", "status", "sent_at"], name="referral_stale_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent__isnull=False) | ~Q(override_reason=""),
                name="referral_consent_or_override",
            ),
            # A pick-up time PostgreSQL would keep but cannot give back (year 1 in Tokyo is a
            # date BC in UTC) or that no page can show in Tokyo time (year 9999): never stored.
            models.CheckConstraint(
                condition=Q(pickup_at__isnull=True)
                | Q(pickup_at__gte=PICKUP_EARLIEST, pickup_at__lt=PICKUP_LATEST),
                name="referral_pickup_plausible",
                violation_error_message=_("受取日時が正しくありません。"),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.case_id} → {self.organisation_id}"

    @property
    def food_need_labels(self) -> list[str]:
        return [str(FoodNeed(code).label) for code in self.food_needs or () if code in FoodNeed.values]

    @property
    def is_override(self) -> bool:
        return bool(self.override_reason)


class Handoff(models.Model):
    """One handover by the organisation (支援日 / 支援内容 of the ledger), logged from a phone."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="handoffs")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="handoffs")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("支援日"))
    given = models.TextField(_("渡したもの"), max_length=2000)
    quantity = models.CharField(_("数量"), max_length=100, blank=True, help_text=_("例: 3日分、米5kg"))
    noticed = models.TextField(_("気づいたこと"), max_length=2000, blank=True)
    report_to_city = models.BooleanField(_("自治体へ報告する"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Reported by phone and recorded by the secretariat on the organisation's behalf.
    on_behalf = models.BooleanField(_("事務局が代わりに記録"), default=False)
    # A report to the city stays "new" on the ledger until someone of the secretariat has read it.
    report_read_at = models.DateTimeField(_("報告の既読日時"), null=True, blank=True)
    report_read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("引き渡し")
        verbose_name_plural = _("引き渡し")
        ordering = ["date", "id"]
        indexes = [
            # A case's handoffs in date order (detail page and export).
            models.Index(fields=["case", "date", "id"], name="handoff_case_idx"),
            # Figures per month: WHERE organisation ... GROUP BY month(date).
            models.Index(fields=["organisation", "date"], name="handoff_org_date_idx"),
            # the dashboard's handoffs per month of one platform: a date range, joined to the case
            models.Index(fields=["date", "case"], name="handoff_date_case_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.case_id} {self.date}"


class DisclosureBasis(models.TextChoices):
    """The legal basis on which a working group member sees a person's data (docs/data-protection.md)."""

    CONSENT = "consent", _("本人の同意（同意された項目だけ）")
    DUTY = "duty", _("会議体の事務（法に基づく守秘義務のもと、理由を記録）")


class WorkingGroupEnd(models.TextChoices):
    REMOVED = "removed", _("事務局が外した")
    DUTY_ENDED = "duty_ended", _("会議体への参加が終わった")
    CLOSED = "closed", _("支援先が決まり作業部会が閉じた")


class CaseWorkingGroupMember(models.Model):
    """A named user allowed to see one case (熊本's 作業部会 of the 地域協議会). Removal keeps the row.

    Only a person bound by the platform's body's confidentiality duty may be a member (`duty`: their
    current acknowledgement, councils.models.DutyAcknowledgement); `legal_basis` says on what basis
    they see the person's data."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="working_group")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_working_groups"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    # A member sees only the items a valid consent shares with their organisation, unless the
    # secretariat (CASES_WG_CONSENT_OVERRIDE) wrote why they must see everything (logged, shown).
    override_reason = models.TextField(_("同意の範囲外まで共有する理由"), max_length=2000, blank=True)
    legal_basis = models.CharField(
        _("共有の根拠"), max_length=10, choices=DisclosureBasis.choices, default=DisclosureBasis.CONSENT
    )
    duty = models.ForeignKey(
        "councils.DutyAcknowledgement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("守秘義務の確認"),
    )
    end_reason = models.CharField(_("外れた理由"), max_length=20, choices=WorkingGroupEnd.choices, blank=True)

    class Meta:
        verbose_name = _("作業部会メンバー")
        verbose_name_plural = _("作業部会メンバー")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=Q(removed_at__isnull=True), name="one_active_wg_membership"
            ),
        ]
        indexes = [
            # "Is this user in this case's working group?" and "my working-group cases".
            models.Index(fields=["user", "removed_at"], name="wg_user_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.case_id} / {self.user_id}"


class WorkingGroupClosure(models.Model):
    """The case's working group closed when its support provider was decided (「支援先決定まで」):
    its members lost access then; the case stays with the secretariat and the chosen organisation."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="working_group_closure")
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("決まった支援先")
    )
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("作業部会の終了")
        verbose_name_plural = _("作業部会の終了")

    def __str__(self) -> str:
        return f"#{self.case_id} → {self.provider_id}"


class IntakeRequestStatus(models.TextChoices):
    SENT = "sent", _("受付待ち")
    ACCEPTED = "accepted", _("ケースとして受付")
    ANSWERED = "answered", _("回答済（ケースにはしない）")


class IntakeRequest(models.Model):
    """A member organisation's request to the city about a person or household it met (NPO → 行政).

    It lands in the secretariat's intake; the secretariat takes it into a case (the case names the
    organisation as its source) or answers it without one. The organisation sees what it sent and
    the answer, nothing else of the case. Sent with the person's consent recorded, or — only where
    the platform allows it — marked urgent without consent, with the reason (logged as such).
    """

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("依頼元の団体")
    )
    urgency = models.CharField(_("緊急度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    person_name = models.CharField(_("氏名"), max_length=100, blank=True)
    contact = models.CharField(_("連絡先"), max_length=200, blank=True)
    age = models.CharField(_("年齢"), max_length=20, blank=True, help_text=_("例: 78、80代"))
    household = models.CharField(
        _("世帯の状況"), max_length=300, blank=True, help_text=_("例: 3人世帯（本人・長男・長女）、独居")
    )
    situation = models.TextField(_("団体が見聞きした状況"), max_length=4000)
    ask = models.TextField(_("市にお願いしたいこと"), max_length=2000, blank=True)
    consent_method = models.CharField(
        _("同意の方法"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    consent_given_by = models.CharField(_("同意した人"), max_length=100, blank=True)
    consent_given_on = models.DateField(_("同意日"), null=True, blank=True)
    without_consent_reason = models.TextField(_("同意なしで依頼する理由"), max_length=2000, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=IntakeRequestStatus.choices, default=IntakeRequestStatus.SENT
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="intake_requests"
    )
    answer = models.TextField(_("市からの回答"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("依頼日時"))
    anonymised_at = models.DateTimeField(_("匿名化日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("団体から市への依頼")
        verbose_name_plural = _("団体から市への依頼")
        indexes = [
            # the secretariat's intake and the figures: WHERE platform = ? ORDER BY sent_at DESC
            models.Index(fields=["platform", "status", "-sent_at"], name="intake_request_idx"),
            # an organisation's sent requests
            models.Index(fields=["organisation", "platform", "-sent_at"], name="intake_request_org_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_given_on__isnull=False) | ~Q(without_consent_reason=""),
                name="intake_request_consent_or_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} → #{self.pk}"

    @property
    def without_consent(self) -> bool:
        return self.consent_given_on is None


class Supporter(models.Model):
    """A つながりサポーター of a platform (鳥取市: trained residents who pass word of a neighbour).

    Holds the training, not the person's reports; the user's role in the platform is `supporter`.
    """

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    trained_on = models.DateField(_("養成研修の修了日"))
    renewal_due_on = models.DateField(_("更新研修の期限"), null=True, blank=True)
    badge_number = models.CharField(_("バッジ・修了証の番号"), max_length=40, blank=True)
    area = models.CharField(_("地区"), max_length=60, blank=True, help_text=_("例: 中学校区、地区名"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("つながりサポーター")
        verbose_name_plural = _("つながりサポーター")
        constraints = [
            models.UniqueConstraint(fields=["platform", "user"], name="one_supporter_per_platform_user"),
        ]

    def __str__(self) -> str:
        return f"{self.platform_id} / {self.user_id}"


class SupporterReportStatus(models.TextChoices):
    RECEIVED = "received", _("受け付けました")
    HANDLED = "handled", _("対応しました")


class SupporterReport(models.Model):
    """A supporter's short report about someone who may need help: not a case (yet).

    It reaches the person the platform names (the grantable right CASES_SUPPORTER_INTAKE; 鳥取市:
    the 相談支援包括化推進員), who may turn it into a case. The supporter sees only that it was
    received and whether it was handled.
    """

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    area = models.CharField(_("地区"), max_length=60, blank=True)
    body = models.TextField(_("気になったこと"), max_length=1000)
    status = models.CharField(
        _("状態"),
        max_length=10,
        choices=SupporterReportStatus.choices,
        default=SupporterReportStatus.RECEIVED,
    )
    sent_at = models.DateTimeField(_("送信日時"))
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("対応日時"), null=True, blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="supporter_reports"
    )

    class Meta:
        verbose_name = _("サポーターからの報告")
        verbose_name_plural = _("サポーターからの報告")
        indexes = [
            # the intake's list and the figures per area and month
            models.Index(fields=["platform", "-sent_at"], name="supporter_report_idx"),
            # a supporter's own list
            models.Index(fields=["supporter", "platform", "-sent_at"], name="supporter_report_mine_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class CaseEvent(AuditEntry):
    """The access log: every view, change and export of a case. Append-only (the core's audit base).

    `data` holds machine field names, and old/new values only for codes (status, reasons);
    never a personal value (names, situations, notes).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("アクセス記録")
        verbose_name_plural = _("アクセス記録")
        indexes = [
            # History of one case: WHERE case = ? ORDER BY at, id.
            models.Index(fields=["case", "at", "id"], name="event_case_idx"),
            # One user's accesses in a platform: WHERE platform = ? AND actor = ? ORDER BY at DESC.
            models.Index(fields=["platform", "actor", "-at"], name="event_actor_idx"),
            # the platform's audit chain, newest first (the trail screen, verify_audit)
            models.Index(fields=["platform", "-chain_seq"], name="caseevent_chain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @classmethod
    def about_organisation(cls, organisation_id: int) -> Q:
        """Entries naming the organisation: a referral to it or from it (a hand-on), a consent
        sharing with it, a notice it was told (a withdrawal, its correction, the end of support),
        and what happened to one of its referrals (its answer, a hand-off)."""
        from platform_site.lib.jsonlists import outer_json_id

        return (
            Q(data__organisation=organisation_id)
            | Q(data__from_organisation=organisation_id)
            | Q(data__organisations__has_element=organisation_id)
            | Q(data__organisations_told__has_element=organisation_id)
            | Q(
                models.Exists(
                    Referral.objects.filter(pk=outer_json_id("referral"), organisation_id=organisation_id)
                )
            )
        )

    @property
    def basis_label(self) -> str:
        """The legal basis of a disclosure to a working group, when the entry records one."""
        code = (self.data or {}).get("basis") if isinstance(self.data, dict) else None
        return str(DisclosureBasis(code).label) if code in DisclosureBasis.values else ""
