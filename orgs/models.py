"""The PF member registry: organisations, their contacts, categories and membership of a platform.

Platforms (the tenants) and roles live in the core (platform_site.models).

An organisation may belong to several platforms (a prefecture's and a city's); what belongs to
one platform (membership, worry categories, activity fields, roles) carries a platform FK.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from platform_site.audit import AuditEntry
from platform_site.lib import cells
from platform_site.lib import japanese as jp
from platform_site.models import Platform


def validate_corporate_number(value: str) -> None:
    if value and not jp.is_valid_corporate_number(value):
        raise ValidationError(_("法人番号は13桁の数字で、先頭のチェックデジットが正しい必要があります。"))


def validate_kana(value: str) -> None:
    if value and not jp.is_kana_reading(value):
        raise ValidationError(_("名称カナはカタカナで入力してください。"))


def in_reader_language(ja: str, en: str) -> tuple[str, str]:
    """(text, language code) to show the reader: the English text on English pages when there is
    one, else the Japanese (the template marks it lang="ja" and says so)."""
    if (get_language() or "ja").startswith("en") and en:
        return en, "en"
    return ja, "ja"


phone_validator = RegexValidator(cells.PHONE_PATTERN, _("電話番号は数字とハイフンで入力してください。"))


class WorryCategory(models.Model):
    """A worry a resident may have (「生活に困窮」…): the leaflet's groups, ordered per platform."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="worry_categories")
    name = models.CharField(_("名称"), max_length=80)
    description = models.CharField(_("説明"), max_length=300, blank=True)
    name_en = models.CharField(_("名称（英語）"), max_length=80, blank=True)
    description_en = models.CharField(_("説明（英語）"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("悩みのカテゴリ")
        verbose_name_plural = _("悩みのカテゴリ")
        ordering = ["platform", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["platform", "name"], name="unique_worry_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        return in_reader_language(self.name, self.name_en)[0]

    @property
    def local_description(self) -> str:
        """In the language of `local_name`: an English name without an English description shows none."""
        text, lang = in_reader_language(self.description, self.description_en)
        return text if lang == self.local_lang else ""

    @property
    def local_lang(self) -> str:
        return in_reader_language(self.name, self.name_en)[1]


class ActivityField(models.Model):
    """An activity field (活動分野) shown as a mark on the leaflet; ordered per platform."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="activity_fields")
    name = models.CharField(_("名称"), max_length=80)
    mark = models.CharField(
        _("記号"), max_length=8, blank=True, help_text=_("リーフレットの凡例に使う短い記号")
    )
    name_en = models.CharField(_("名称（英語）"), max_length=80, blank=True)
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("活動分野")
        verbose_name_plural = _("活動分野")
        ordering = ["platform", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["platform", "name"], name="unique_field_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        return in_reader_language(self.name, self.name_en)[0]


class Language(models.Model):
    """A language offered beyond Japanese (ISO 639-1 code); a shared reference list."""

    code = models.CharField(_("言語コード"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    name_en = models.CharField(_("名称（英語）"), max_length=40, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("対応言語")
        verbose_name_plural = _("対応言語")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        """The language named in the reader's language (「英語」 on Japanese pages, "English" on English ones)."""
        return in_reader_language(self.name, self.name_en)[0]


class Organisation(models.Model):
    ref = models.CharField(
        _("団体コード"),
        max_length=40,
        blank=True,
        help_text=_("Excel/CSV の取り込みで同じ団体を見分けるための任意のコード（例: KUM-16）"),
    )
    name = models.CharField(_("団体名"), max_length=200)
    name_en = models.CharField(
        _("団体名（英語）"), max_length=200, blank=True, help_text=_("英語のページとリーフレットに表示します")
    )
    name_kana = models.CharField(_("名称カナ"), max_length=200, validators=[validate_kana])
    sort_key = models.CharField(max_length=420, editable=False)  # 五十音 order of name_kana (indexed below)
    legal_form = models.CharField(_("法人格（記載どおり）"), max_length=60, blank=True)
    corporate_number = models.CharField(
        _("法人番号"), max_length=13, blank=True, validators=[validate_corporate_number]
    )
    website = models.URLField(_("ホームページ"), max_length=300, blank=True)
    email = models.EmailField(_("メールアドレス"), max_length=200, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("所在地"), max_length=300, blank=True)
    address_private = models.BooleanField(
        _("所在地を公開しない"), default=False, help_text=_("シェルターなど、所在地を載せてはいけない団体")
    )
    hours = models.CharField(_("受付時間（記載どおり）"), max_length=300, blank=True)
    activity = models.TextField(_("支援・活動内容"), blank=True, validators=[MaxLengthValidator(2000)])
    activity_en = models.TextField(
        _("支援・活動内容（英語）"), blank=True, validators=[MaxLengthValidator(2000)]
    )
    what_to_expect = models.CharField(
        _("相談するとどうなるか"),
        max_length=300,
        blank=True,
        help_text=_("住民向けのやさしい一文。例: 電話で話を聞き、必要なら窓口を一緒に探します。"),
    )
    worry_categories = models.ManyToManyField(
        WorryCategory, blank=True, related_name="organisations", verbose_name=_("悩みのカテゴリ")
    )
    activity_fields = models.ManyToManyField(
        ActivityField, blank=True, related_name="organisations", verbose_name=_("活動分野")
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="organisations", verbose_name=_("日本語以外の対応言語")
    )
    lgbtq_support = models.BooleanField(_("LGBTQ+の専門性"), default=False)
    public_listing = models.BooleanField(
        _("公開掲載への同意"),
        default=False,
        help_text=_("リーフレットと公開ディレクトリに載せることに団体が同意している"),
    )
    verified_on = models.DateField(_("内容確認日"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("内容確認者"),
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最終更新"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking
    # The normalised text the directory and the staff list search (platform_site.lib.search):
    # names, reading, legal form, activity, hours, phones and their notes, languages. Kept
    # current by orgs.searchtext.search_text_refresh after every write (services, import, demo).
    search_text = models.TextField(editable=False, blank=True, default="")
    # Not a column: set by selectors.membership_detail (whether verified_by is staff of the platform shown).
    verified_by_here: bool
    # Not columns: while the registry's spreadsheets write or read an organisation (orgs.resources,
    # orgs.imports), its membership in the platform at hand, and for an import row the lists the
    # row gives (phones, related objects), what the row changes ({"field": [old, new]}) and the
    # membership periods and role periods before and after it (orgs.pipeline's Period, RoleSpan).
    membership: Membership
    import_lists: dict[str, list[Any]]
    import_changes: dict[str, list[Any]]
    import_periods: tuple[list[Any], list[Any], list[Any], list[Any]]  # stored, new; roles stored, new

    class Meta:
        verbose_name = _("団体")
        verbose_name_plural = _("団体")
        ordering = ["sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ref"], condition=~Q(ref=""), name="unique_org_ref"),
        ]
        indexes = [
            # staff list (selectors.organisation_list): ORDER BY sort_key, id LIMIT 50 read in index
            # order, joined to the platform's memberships; no sort of the whole registry per page
            models.Index(fields=["sort_key", "id"], name="org_sort_key_id"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """Name with legal form as the leaflet prints it (「NPO法人 でんでん虫の会」)."""
        return f"{self.legal_form} {self.name}" if self.legal_form else self.name


class Phone(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("電話番号"), max_length=40, validators=[phone_validator])
    note = models.CharField(
        _("備考"), max_length=100, blank=True, help_text=_("例: LINE相談も可、電話相談(フレンズライン)")
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("電話番号")
        verbose_name_plural = _("電話番号")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.note}".strip()


class ContactPerson(models.Model):
    """担当者: visible to members of the same platform, never to the public."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("氏名"), max_length=100)
    title = models.CharField(_("役職"), max_length=100, blank=True)
    phone = models.CharField(_("電話番号"), max_length=40, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("担当者")
        verbose_name_plural = _("担当者")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class MembershipStatus(models.TextChoices):
    CANDIDATE = "candidate", _("候補")
    CONTACTED = "contacted", _("打診済み")
    MEMBER = "member", _("参加")
    WITHDRAWN = "withdrawn", _("退会")


class PFRole(models.TextChoices):
    SECRETARIAT = "secretariat", _("事務局")
    CORE = "core", _("コアメンバー")
    MEMBER = "member", _("参加団体")


class MembershipSource(models.TextChoices):
    FOUNDING = "founding", _("設立時")
    RESOURCE_SURVEY = "resource_survey", _("資源調査")
    REFERRAL = "referral", _("紹介")
    APPLICATION = "application", _("申込み")
    OTHER = "other", _("その他")


_MEMBERSHIP_STATUS_LABELS = dict(MembershipStatus.choices)


class Membership(models.Model):
    """An organisation's place in one platform, with its recruitment pipeline and dates.

    The record of membership over time is its periods (`MembershipPeriod`: joined, left, why)
    and role periods (`RolePeriod`: PF role and core status from a day to a day). ``joined_on``,
    ``left_on``, ``is_core`` and ``pf_role`` here are the latest period's values, written by the
    same service call that writes the periods (`orgs.services`, the import's save step), so the
    list can sort and filter on them without reading the periods.
    """

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(
        _("状態"), max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.CANDIDATE
    )
    is_core = models.BooleanField(_("コアメンバー"), default=False)
    pf_role = models.CharField(_("PFでの役割"), max_length=20, choices=PFRole.choices, default=PFRole.MEMBER)
    joined_on = models.DateField(_("参加日"), null=True, blank=True)
    left_on = models.DateField(_("退会日"), null=True, blank=True)
    source = models.CharField(_("参加の経緯"), max_length=20, choices=MembershipSource.choices, blank=True)
    source_note = models.CharField(_("経緯の補足"), max_length=200, blank=True)
    note = models.TextField(_("メモ"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("参加状況")
        verbose_name_plural = _("参加状況")
        constraints = [
            models.UniqueConstraint(fields=["platform", "organisation"], name="one_membership_per_platform"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=models.F("joined_on")),
                name="left_after_joined",
            ),
        ]
        indexes = [
            # staff list filtered by status within a platform
            models.Index(fields=["platform", "status"], name="membership_platform_status"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.platform}"

    @property
    def status_label(self) -> str:
        """get_status_display() for lists: one lookup, where Django's hashes every choice's
        translated label (five translations a row)."""
        return str(_MEMBERSHIP_STATUS_LABELS.get(self.status, self.status))

    @property
    def joined_fy_label(self) -> str:
        return jp.fiscal_year_label(jp.fiscal_year(self.joined_on)) if self.joined_on else ""

    @property
    def left_fy_label(self) -> str:
        return jp.fiscal_year_label(jp.fiscal_year(self.left_on)) if self.left_on else ""

    # Not a column: the latest period's reason for leaving, set while the spreadsheets read or
    # write the membership (orgs.resources, orgs.imports).
    leave_reason: str


class MembershipPeriod(models.Model):
    """One stretch of membership: from ``joined_on`` until ``left_on`` (empty while it lasts).

    A membership is a member on day D when one of its periods has joined_on ≤ D and no left_on
    or left_on > D (the day of leaving is no longer a member day). Periods of one membership do
    not overlap and only the latest may be open (orgs.pipeline checks both before any write;
    the constraints below hold the parts a database can).
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="periods")
    joined_on = models.DateField(_("参加日"))
    left_on = models.DateField(_("退会日"), null=True, blank=True)
    leave_reason = models.CharField(_("退会理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("参加期間")
        verbose_name_plural = _("参加期間")
        ordering = ["membership", "joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="period_left_after_joined",
            ),
            models.UniqueConstraint(
                fields=["membership"], condition=Q(left_on__isnull=True), name="one_open_period"
            ),
            models.UniqueConstraint(fields=["membership", "joined_on"], name="unique_period_start"),
        ]

    def __str__(self) -> str:
        return f"{self.joined_on}〜{self.left_on or ''}"


class RolePeriod(models.Model):
    """The PF role and core status of a membership from ``started_on`` until ``ended_on``
    (empty while current). A change of either closes the current row and starts a new one on
    the day of the change; like membership periods they never overlap."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_periods")
    pf_role = models.CharField(_("PFでの役割"), max_length=20, choices=PFRole.choices, default=PFRole.MEMBER)
    is_core = models.BooleanField(_("コアメンバー"), default=False)
    started_on = models.DateField(_("開始日"))
    ended_on = models.DateField(_("終了日"), null=True, blank=True)

    class Meta:
        verbose_name = _("役割の期間")
        verbose_name_plural = _("役割の期間")
        ordering = ["membership", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="role_ended_after_started",
            ),
            models.UniqueConstraint(
                fields=["membership"], condition=Q(ended_on__isnull=True), name="one_open_role_period"
            ),
            models.UniqueConstraint(fields=["membership", "started_on"], name="unique_role_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_pf_role_display()} {self.started_on}〜{self.ended_on or ''}"


class OrgChange(AuditEntry):
    """Field-level history of an organisation's entry: who, when, what (machine field names).

    Append-only (the core's audit base). Deleting the organisation keeps its history: the one
    change ever made to a row is the link set to NULL by that deletion, and the row keeps the
    organisation's name (`organisation_name`).
    """

    class Source(models.TextChoices):
        WEB = "web", _("画面")
        IMPORT = "import", _("取り込み")
        ADMIN = "admin", _("管理画面")
        SYSTEM = "system", _("システム")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    organisation_name = models.CharField(max_length=200, blank=True)  # kept when the organisation is deleted
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)  # who, as a name (imports run by a command)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    changes = models.JSONField(default=dict)  # {"field": [old, new]}

    class Meta:
        verbose_name = _("変更履歴")
        verbose_name_plural = _("変更履歴")
        ordering = ["-at", "-id"]
        indexes = [
            # history tab of one organisation, newest first
            models.Index(fields=["organisation", "-at"], name="orgchange_org_at"),
            # the platform's audit chain, newest first (the trail screen, verify_audit)
            models.Index(fields=["platform", "-chain_seq"], name="orgchange_chain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.organisation_id} {self.at:%Y-%m-%d %H:%M}"


class EntryCheckAnswer(models.TextChoices):
    CONFIRMED = "confirmed", _("変更なし（確認した）")
    CORRECTIONS = "corrections", _("修正がある")


class EntryCheck(models.Model):
    """The yearly "please confirm your entry" to one member organisation (the directories' main
    freshness tool): a link sent by email, answered without an account. Only the token's hash is
    kept; the token itself is only in the email."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="entry_checks")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("送信日時"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipients = models.PositiveSmallIntegerField(_("送信先の数"), default=0)
    expires_on = models.DateField(_("リンクの期限"))
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    answer = models.CharField(_("回答"), max_length=12, choices=EntryCheckAnswer.choices, blank=True)
    answered_name = models.CharField(_("回答した人"), max_length=100, blank=True)
    corrections = models.TextField(_("修正の内容"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("掲載内容の年次確認")
        verbose_name_plural = _("掲載内容の年次確認")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "organisation", "fiscal_year"], name="entry_check_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.fiscal_year}"


# --- working together: what members need to know about each other before handing a person on ---


class ServedGroup(models.TextChoices):
    """Who an organisation serves, as members ask it (「小さな子どものいる世帯を受けてくれるところは」)."""

    SMALL_CHILDREN = "small_children", _("乳幼児・小さな子どものいる世帯")
    CHILDREN = "children", _("子ども（小中学生）")
    YOUTH = "youth", _("若者（10代後半〜30代）")
    WORKING_AGE = "working_age", _("働く世代")
    ELDERLY = "elderly", _("高齢者")
    SINGLE_PARENTS = "single_parents", _("ひとり親世帯")
    CARERS = "carers", _("介護・看護をしている人")
    FOREIGN_RESIDENTS = "foreign_residents", _("外国にルーツのある人")


class WorkingProfile(models.Model):
    """The working-together facts of one organisation (鳥取県: 支援対象者、支援期間、体制、協同支援の可否;
    鳥取市: 各団体の強みやリソース), kept by the organisation itself and shown to the platform's
    signed-in members only. A field is shown on the public directory only when the organisation
    names it in ``public_fields``; the public selectors read nothing else of this row.

    ``available_places`` is what the organisation said about ``available_month`` (the first day of
    a month): a statement about another month than the current one reads as "not stated"."""

    PUBLIC_CHOICES = (
        ("served_groups", _("支援の対象")),
        ("served_conditions", _("対象となる状況・条件")),
        ("served_area", _("対象地域")),
        ("support_length", _("支援の期間")),
        ("availability_hours", _("対応できる時間帯")),
        ("strengths", _("団体の強み・資源")),
    )

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="working_profile", primary_key=True
    )
    served_groups = models.JSONField(_("支援の対象"), default=list, blank=True)  # ServedGroup values
    served_conditions = models.CharField(
        _("対象となる状況・条件"),
        max_length=300,
        blank=True,
        help_text=_("例: ひきこもり状態の本人と家族、生活に困窮している世帯"),
    )
    served_area = models.CharField(
        _("対象地域"), max_length=200, blank=True, help_text=_("例: 中央区・東区、市内全域")
    )
    support_length = models.CharField(
        _("支援の期間"), max_length=200, blank=True, help_text=_("例: 原則3か月、期限なし（見守り）")
    )
    staffing = models.CharField(
        _("体制"), max_length=200, blank=True, help_text=_("例: 相談員2名（社会福祉士1名）、ボランティア10名")
    )
    availability_hours = models.CharField(
        _("対応できる時間帯"), max_length=200, blank=True, help_text=_("例: 平日10時〜17時、土曜は予約制")
    )
    accepts_referrals = models.BooleanField(_("紹介（つなぎ）を受けられる"), default=False)
    accepts_joint_cases = models.BooleanField(_("協同支援（一緒に支援）ができる"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("同時に受けられる人数・世帯数"), null=True, blank=True, validators=[MaxValueValidator(999)]
    )
    available_places = models.PositiveSmallIntegerField(
        _("今月受けられる人数・世帯数"), null=True, blank=True, validators=[MaxValueValidator(999)]
    )
    available_month = models.DateField(_("受け入れ状況の月"), null=True, blank=True)
    strengths = models.TextField(
        _("団体の強み・資源"),
        blank=True,
        validators=[MaxLengthValidator(1000)],
        help_text=_("例: 同行支援ができる、食料の備蓄がある、土日に会場を貸せる"),
    )
    public_fields = models.JSONField(_("公開ディレクトリにも載せる項目"), default=list, blank=True)
    # What the members' directory searches: the normalised texts (platform_site.lib.search), the
    # normalised area alone, and the groups as 「|small_children|elderly|」 (one LIKE per filter).
    search_text = models.TextField(editable=False, blank=True, default="")
    area_key = models.CharField(max_length=200, editable=False, blank=True, default="")
    served_key = models.CharField(max_length=200, editable=False, blank=True, default="")
    updated_at = models.DateTimeField(_("最終更新"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("協働のための情報")
        verbose_name_plural = _("協働のための情報")

    def __str__(self) -> str:
        return str(self.organisation_id)

    def places_in(self, month: dt.date) -> int | None:
        """The places stated for ``month`` (its first day); None when nothing was said for it."""
        return self.available_places if self.available_month == month else None

    @property
    def served_group_labels(self) -> list[str]:
        return [str(ServedGroup(v).label) for v in self.served_groups if v in ServedGroup.values]


# --- applying to be listed: a public form, reviewed by the body the platform names ---


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("審査待ち")
    MORE_INFO = "more_info", _("追加の情報を依頼中")
    APPROVED = "approved", _("承認")
    DECLINED = "declined", _("見送り")


class ApplicationWish(models.TextChoices):
    JOIN = "join", _("プラットフォームに参加し、公開の相談先一覧にも載る")
    LIST_ONLY = "list_only", _("公開の相談先一覧に載る（会議などへの参加はしない）")


class ListingApplication(models.Model):
    """A group's application to join the platform or its public list (愛媛県のリソースリスト).

    Sent without an account; nothing of it is public until approved, when the registry's own
    service creates the organisation. The contact details are personal data: each staff view is
    recorded (ApplicationEvent). ``sender_key`` is a keyed hash of the sender's address, kept
    only to throttle bursts (never the address itself)."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    wish = models.CharField(_("申込みの内容"), max_length=12, choices=ApplicationWish.choices)
    name = models.CharField(_("団体名"), max_length=200)
    name_kana = models.CharField(_("団体名カナ"), max_length=200, validators=[validate_kana])
    legal_form = models.CharField(_("法人格"), max_length=60, blank=True)
    website = models.URLField(_("ホームページ"), max_length=300, blank=True)
    address = models.CharField(_("所在地"), max_length=300, blank=True)
    public_phone = models.CharField(
        _("相談を受ける電話番号"), max_length=40, blank=True, validators=[phone_validator]
    )
    activity = models.TextField(_("支援・活動内容"), validators=[MaxLengthValidator(2000)])
    contact_name = models.CharField(_("担当者の氏名"), max_length=100)
    contact_email = models.EmailField(_("担当者のメールアドレス"), max_length=200)
    contact_phone = models.CharField(
        _("担当者の電話番号"), max_length=40, blank=True, validators=[phone_validator]
    )
    consent_listing = models.BooleanField(_("公開掲載への同意"), default=False)
    status = models.CharField(
        _("状態"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    decision_note = models.TextField(_("申込者への連絡"), blank=True, validators=[MaxLengthValidator(2000)])
    decided_on = models.DateField(
        _("決定日"), null=True, blank=True
    )  # the meeting's day, or the secretariat's
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sender_key = models.CharField(max_length=64, editable=False, db_index=True)
    received_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("掲載・参加の申込み")
        verbose_name_plural = _("掲載・参加の申込み")
        ordering = ["-received_at", "-id"]
        indexes = [
            # the review list of one platform, by state
            models.Index(fields=["platform", "status"], name="application_platform_status"),
            # the throttle: one sender's applications of the last hour
            models.Index(fields=["sender_key", "received_at"], name="application_sender_at"),
        ]

    def __str__(self) -> str:
        return f"{self.platform_id}: {self.name}"

    @property
    def open(self) -> bool:
        return self.status in {ApplicationStatus.PENDING, ApplicationStatus.MORE_INFO}


class ApplicationEvent(AuditEntry):
    """Who saw or decided which application, when (append-only): the applicants' contact details
    are personal data, so every staff view is a row here, like the ledger's access log."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(ListingApplication, on_delete=models.PROTECT, related_name="events")
    changes = models.JSONField(default=dict)  # {"field": [old, new]}, machine values only

    class Meta:
        verbose_name = _("申込みの記録")
        verbose_name_plural = _("申込みの記録")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["platform", "-chain_seq"], name="applicationevent_chain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.application_id}"

    @classmethod
    def about_organisation(cls, organisation_id: int) -> Q:
        """The application the organisation's entry was made from."""
        return Q(application__organisation_id=organisation_id)


# --- news to members: the secretariat's notices (events, 助成金, national updates) ---


class NoticeKind(models.TextChoices):
    EVENT = "event", _("イベント・研修")
    GRANT = "grant", _("助成金")
    NATIONAL = "national", _("国・県の動き")
    OTHER = "other", _("その他のお知らせ")


class Notice(models.Model):
    """A notice to the platform's members: to all of them, or to those in chosen worry
    categories or activity fields. Kept with its date and audience; no personal data
    (熊本: 「個人情報に該当しない一般的な情報(助成金情報やイベント情報等)」)."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("種類"), max_length=10, choices=NoticeKind.choices)
    title = models.CharField(_("件名"), max_length=120)
    body = models.TextField(_("本文"), validators=[MaxLengthValidator(3000)])
    link = models.URLField(_("詳しい情報のリンク"), max_length=300, blank=True)
    deadline = models.DateField(_("締切日"), null=True, blank=True)
    to_all = models.BooleanField(_("すべての参加団体へ"), default=True)
    worry_categories = models.ManyToManyField(
        WorryCategory, blank=True, related_name="+", verbose_name=_("悩みのカテゴリ")
    )
    activity_fields = models.ManyToManyField(
        ActivityField, blank=True, related_name="+", verbose_name=_("活動分野")
    )
    posted_at = models.DateTimeField(_("掲載日時"), default=timezone.now)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who it was meant for when posted (the audience then): organisation ids, and how many emails left.
    audience = models.JSONField(default=list, editable=False)
    emailed = models.PositiveIntegerField(_("メールの送信数"), default=0, editable=False)

    class Meta:
        verbose_name = _("参加団体へのお知らせ")
        verbose_name_plural = _("参加団体へのお知らせ")
        ordering = ["-posted_at", "-id"]
        indexes = [models.Index(fields=["platform", "-posted_at"], name="notice_platform_posted")]

    def __str__(self) -> str:
        return self.title


class NoticeOptOut(models.Model):
    """A person who does not want the platform's notices by email (they still see them at home)."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("お知らせメールの停止")
        verbose_name_plural = _("お知らせメールの停止")
        constraints = [models.UniqueConstraint(fields=["platform", "user"], name="one_notice_optout")]

    def __str__(self) -> str:
        return f"{self.platform_id}/{self.user_id}"
