"""The core's models: the platform (tenant), who holds which role in it, and the record of role changes.

Every feature app (orgs, cases, surveys, outreach) points at these; nothing here imports an app.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .audit import AuditEntry


class Platform(models.Model):
    """A local 孤独・孤立対策 官民連携プラットフォーム: the tenant every record belongs to."""

    slug = models.SlugField(_("識別子"), unique=True, max_length=40)
    name = models.CharField(_("名称"), max_length=200)
    municipality = models.CharField(_("自治体"), max_length=100)
    municipality_code = models.CharField(
        _("全国地方公共団体コード"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("6桁の数字で入力してください。"))],
    )
    secretariat = models.CharField(
        _("事務局"), max_length=200, help_text=_("例: 熊本市 健康福祉政策課、北九州市社会福祉協議会（委託）")
    )
    secretariat_phone = models.CharField(_("事務局電話番号"), max_length=40, blank=True)
    founded_on = models.DateField(_("設立日"), null=True, blank=True)
    founded_note = models.CharField(_("設立（記載どおり）"), max_length=200, blank=True)
    site_url = models.URLField(
        _("公開サイトのアドレス"),
        max_length=200,
        blank=True,
        help_text=_(
            "リーフレットとそのQRコードに印刷する公開ディレクトリのアドレスの先頭部分"
            "（例: https://tsunagu.city.example.lg.jp）。空欄ならサーバーの設定（SITE_URL）を使います。"
        ),
    )
    leaflet_title = models.CharField(_("リーフレット表題"), max_length=200, blank=True)
    leaflet_header = models.TextField(_("リーフレット見出し"), blank=True)
    leaflet_message = models.TextField(_("住民へのメッセージ"), blank=True)
    leaflet_contact = models.CharField(_("リーフレット問い合わせ先"), max_length=200, blank=True)
    leaflet_issued_label = models.CharField(
        _("作成年月の表記"),
        max_length=60,
        blank=True,
        help_text=_("例: 令和7年(2025年)3月作成。空欄なら名簿を最後に変更した月を自動で印刷します。"),
    )
    leaflet_phone_lines = models.TextField(
        _("いつでも電話できる窓口"),
        blank=True,
        help_text=_(
            "リーフレットの最初と、電話番号のある団体がないカテゴリに印刷する全国・地域の相談電話。"
            "1行に1つ、「名称｜電話番号｜受付時間など」の形で書きます（例: 孤独・孤立相談ダイヤル｜#9999｜…）。"
        ),
    )
    is_public = models.BooleanField(_("公開ディレクトリを公開"), default=True)
    # Reminders and the yearly entry check (platform_site/reminders.py; the settings screen).
    reminder_unanswered_days = models.PositiveSmallIntegerField(
        _("応答のない依頼を知らせるまでの日数"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    reminder_consent_days = models.PositiveSmallIntegerField(
        _("同意の期限切れを何日前から知らせるか"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    entry_check_days = models.PositiveSmallIntegerField(
        _("掲載内容の確認を求めるまでの日数"),
        default=365,
        validators=[MinValueValidator(30), MaxValueValidator(1000)],
        help_text=_("内容確認日からこの日数が過ぎた団体を、リマインダーと年次確認の対象にします。"),
    )
    reminder_intro = models.TextField(
        _("リマインダーメールの書き出し"),
        blank=True,
        max_length=1000,
        help_text=_("空欄なら標準の文面を使います。個人情報は書かないでください。"),
    )
    entry_check_message = models.TextField(
        _("年次確認メールの本文"),
        blank=True,
        max_length=2000,
        help_text=_("空欄なら標準の文面を使います。確認用のリンクはこの後に付きます。"),
    )
    applications_decided_by = models.CharField(
        _("掲載・参加の申込みを承認する場"),
        max_length=20,
        choices=[
            ("secretariat", _("事務局が承認する")),
            ("representatives", _("代表者会議で承認する（事務局が結果を記録）")),
        ],
        default="secretariat",
        help_text=_("愛媛県のように代表者会議で承認するときは、会議の日付を添えて結果を記録します。"),
    )
    # The two-way flow (宇和島: 「NPO団体から重層的支援体制への緊急性ある世帯の対応依頼」): may a
    # member organisation send the city an urgent request about a person who has not consented?
    urgent_request_without_consent = models.BooleanField(
        _("緊急時は本人の同意なしで団体から市へ依頼できる"),
        default=False,
        help_text=_(
            "命や生活に差し迫った危険があり本人の同意を得られないときに限ります。理由の記入が必要で、記録されます。"
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking (settings screen)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("プラットフォーム")
        verbose_name_plural = _("プラットフォーム")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("管理者")
    SECRETARIAT = "secretariat", _("事務局")
    COORDINATOR = "coordinator", _("団体コーディネーター")
    # A person seated in working groups as an individual (a lawyer, a welfare professional): sees
    # only the cases whose working group seats them, while it does; no capability (docs/roles.md).
    EXPERT = "expert", _("専門家（作業部会のみ）")
    SUPPORTER = "supporter", _("つながりサポーター")


class PlatformRole(models.Model):
    """A user's role in one platform. Capabilities come from the registry in
    platform_site.permissions, never from here.

    `organisation` is the member organisation a coordinator acts for. It is the core's one tie to
    a feature app, and a lazy (string) foreign key: no import, but a real constraint in the
    database, so the permission checks read `role.organisation_id` directly."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="platform_roles"
    )
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinators",
        verbose_name=_("所属団体"),
    )
    grants = models.JSONField(
        _("追加の権限"),
        default=list,
        blank=True,
        help_text=_("役割に含まれない権限を個別に与えます（例: 同意なし紹介の許可、台帳の書き出し）。"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("役割")
        verbose_name_plural = _("役割")
        constraints = [
            models.UniqueConstraint(fields=["user", "platform"], name="one_role_per_user_and_platform"),
            models.CheckConstraint(
                condition=Q(role="coordinator", organisation__isnull=False) | ~Q(role="coordinator"),
                name="coordinator_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.platform} / {self.get_role_display()}"


class RoleChange(AuditEntry):
    """Who gave or took which role or right, when (append-only, from the audit base)."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField(default=dict)  # {"field": [old, new]}, machine values only

    class Meta:
        verbose_name = _("役割の変更記録")
        verbose_name_plural = _("役割の変更記録")
        ordering = ["-at", "-id"]
        indexes = [
            # the team page's recent changes of one platform
            models.Index(fields=["platform", "-at"], name="rolechange_platform_at"),
            # the platform's audit chain, newest first (the trail screen, verify_audit)
            models.Index(fields=["platform", "-chain_seq"], name="rolechange_chain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_id} {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def about_organisation(cls, organisation_id: int) -> Q:
        """A role given for the organisation, or taken from it."""
        return Q(changes__organisation__has_element=organisation_id)


class MembershipTarget(models.Model):
    """How many member organisations the platform aims for by the end of one fiscal year (年度).

    One row per year, because targets are plans over several years (北九州: 15 at founding,
    30 five years on), set on the settings screen; each change is a PlatformChange.
    """

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="membership_targets")
    fiscal_year = models.PositiveSmallIntegerField(
        _("年度"), help_text=_("西暦の年度（例: 2026 = 令和8年度）")
    )
    target = models.PositiveIntegerField(_("参加団体数の目標"))

    class Meta:
        verbose_name = _("参加団体数の目標")
        verbose_name_plural = _("参加団体数の目標")
        ordering = ["platform", "fiscal_year"]
        constraints = [
            # also the index of "this platform's targets" and "the target of this year"
            models.UniqueConstraint(fields=["platform", "fiscal_year"], name="one_target_per_platform_year"),
            models.CheckConstraint(condition=Q(target__gte=1), name="membership_target_positive"),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2000, fiscal_year__lte=2100), name="membership_target_fy_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform_id} FY{self.fiscal_year}: {self.target}"


class PlatformChange(AuditEntry):
    """Who changed which of the platform's settings or targets, when (append-only)."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField(default=dict)  # {"field": [old, new]}; targets as "target.<年度>"

    class Meta:
        verbose_name = _("プラットフォーム設定の変更記録")
        verbose_name_plural = _("プラットフォーム設定の変更記録")
        ordering = ["-at", "-id"]
        indexes = [
            # the settings screen's recent changes of one platform
            models.Index(fields=["platform", "-at"], name="platformchange_platform_at"),
            # the platform's audit chain, newest first (the trail screen, verify_audit)
            models.Index(fields=["platform", "-chain_seq"], name="platformchange_chain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.platform_id} {self.at:%Y-%m-%d %H:%M}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("順番待ち")
    RUNNING = "running", _("作成中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")


class Job(models.Model):
    """A piece of background work one person asked for (a leaflet, an import, an export).

    The task queued on the worker carries only this row's id: what the job reads (an uploaded
    file: `payload`, cleared once read) and what it makes (`result`, deleted once downloaded or
    when `expires_at` passes) stay here, in the database, never in task arguments, logs or the
    temp folder. Only `owner` may see or download it (platform_site/jobs/).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)  # a code registered in platform_site.jobs
    params = models.JSONField(default=dict, blank=True)  # ids and options only, never personal data
    payload = models.BinaryField(null=True, editable=False)  # the uploaded file, cleared when read
    payload_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)  # progress: steps done of `total`
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)  # what the owner reads when it ends (Japanese)
    result = models.BinaryField(null=True, editable=False)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("バックグラウンド処理")
        verbose_name_plural = _("バックグラウンド処理")
        indexes = [
            # the clean-up of expired jobs
            models.Index(fields=["expires_at"], name="job_expires_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


class SignInSession(models.Model):
    """One open session of a user, so that every session of a person can be ended at once
    (a role taken away, an account disabled, a second factor reset: platform_site.signin).

    Written when the user signs in, deleted when they sign out or their sessions are ended.
    Holds the session's key, nothing the session holds."""

    # indexed (a foreign key): every session of one user, when they are ended
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ログイン中のセッション")
        verbose_name_plural = _("ログイン中のセッション")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class FormSubmission(models.Model):
    """A create form's one-time token, once the form was sent (`platform_site.once`): a second
    send of the same form — the browser's "send again", a double click, a reload after a slow
    answer — finds the token and goes to what the first one created instead of creating it again.
    """

    token = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=500, blank=True)  # where the first send went: the new object's page
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # one claim per form send: a second claim of the same send fails (and waits for the first)
            models.UniqueConstraint(fields=["user", "token"], name="formsubmission_once"),
        ]
        indexes = [
            # the purge of a user's old tokens: WHERE user = ? AND at < ?
            models.Index(fields=["user", "at"], name="formsubmission_user_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.url}"
