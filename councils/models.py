"""The duty-bound body of a platform and who is bound by its confidentiality duty.

A platform shares a person's data in a working group (cases.models.CaseWorkingGroupMember) only
inside a body whose participants the law binds to confidentiality:
- 孤独・孤立対策推進法's 孤独・孤立対策地域協議会 (熊本's 地域協議会): announced publicly, with
  member bodies (構成機関等), an optional coordinating body (調整機関) and a duty that lasts after
  a participant leaves;
- the 支援会議 of 社会福祉法 第106条の6 (重層的支援体制整備事業: 宇和島's 検討会 is a 分科会 of the
  city's 重層的支援会議) or of 生活困窮者自立支援法 第9条 (鳥取市's 相談支援包括化推進会議).

The body is either the platform itself (cases live in the PF: 宇和島) or a separate council (熊本,
鳥取市): `Council.kind`. The body's own records (name, members, meetings) hold no personal data of
the people supported; the names of the participants who acknowledged the duty are staff data.
Rows are never deleted: a member body or a participant leaves with a date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs.models import Organisation
from platform_site.audit import AuditEntry
from platform_site.models import Platform


class CouncilKind(models.TextChoices):
    IN_PLATFORM = "in_platform", _("PFの中（PF自体が法に基づく会議体またはその分科会）")
    SEPARATE = "separate", _("PFとは別の会議体（PFは個人情報を持たない）")


class CouncilLaw(models.TextChoices):
    """The law that sets up the body and binds its participants to confidentiality."""

    KODOKU = "kodoku", _("孤独・孤立対策推進法（孤独・孤立対策地域協議会）")
    SOCIAL_WELFARE = "social_welfare", _("社会福祉法 第106条の6（重層的支援体制整備事業の支援会議）")
    NEEDY_SUPPORT = "needy_support", _("生活困窮者自立支援法 第9条（支援会議）")

    @classmethod
    def needs_announcement(cls, law: str) -> bool:
        """孤独・孤立対策推進法 asks the head of the local government to announce the council publicly."""
        return law == cls.KODOKU


class Council(models.Model):
    """The platform's duty-bound body: where its cases, and the personal data in them, may live."""

    platform = models.OneToOneField(Platform, on_delete=models.PROTECT, related_name="council")
    name = models.CharField(_("名称"), max_length=200, help_text=_("例: 熊本市孤独・孤立対策地域協議会"))
    kind = models.CharField(_("ケースを扱う場"), max_length=20, choices=CouncilKind.choices)
    law = models.CharField(_("根拠となる法律"), max_length=20, choices=CouncilLaw.choices)
    parent_body = models.CharField(
        _("親の会議体"),
        max_length=200,
        blank=True,
        help_text=_("分科会などの場合（例: 宇和島市重層的支援会議の分科会）"),
    )
    established_on = models.DateField(_("設置日"), null=True, blank=True)
    announced_on = models.DateField(
        _("公表日"),
        null=True,
        blank=True,
        help_text=_("孤独・孤立対策推進法の地域協議会は、設置したことを公表します。"),
    )
    secretariat = models.CharField(_("事務局"), max_length=200, help_text=_("例: 熊本市 健康福祉政策課"))
    duty_version = models.CharField(
        _("守秘義務の説明文の版"),
        max_length=40,
        help_text=_("例: 2025-04 第1版。文面を変えたら版も変えます。"),
    )
    duty_text = models.TextField(
        _("守秘義務の説明文"),
        max_length=4000,
        help_text=_("参加する人が確認する文面。参加をやめた後も義務が続くことを含めて書きます。"),
    )
    groups_end_on_decision = models.BooleanField(
        _("作業部会は支援先の決定で終わる"),
        default=True,
        help_text=_(
            "熊本市の作業部会のように「支援先決定まで」の場合。団体が依頼を受諾すると作業部会が閉じます。"
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("守秘義務のある会議体")
        verbose_name_plural = _("守秘義務のある会議体")

    def __str__(self) -> str:
        return self.name

    @property
    def needs_announcement(self) -> bool:
        return CouncilLaw.needs_announcement(self.law)


class MemberBody(models.Model):
    """A member body (構成機関等): an organisation of the registry (a PF member or not) or a
    department of the city. Leaving keeps the row (left_on)."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="bodies")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("団体"),
    )
    department = models.CharField(
        _("市の部署"),
        max_length=200,
        blank=True,
        help_text=_("団体でなく市の部署の場合（例: 健康福祉政策課）"),
    )
    is_coordinating = models.BooleanField(
        _("調整機関"), default=False, help_text=_("議事の総括や作業部会の事務局を担う構成機関")
    )
    joined_on = models.DateField(_("参加日"))
    left_on = models.DateField(_("脱退日"), null=True, blank=True)

    class Meta:
        verbose_name = _("構成機関")
        verbose_name_plural = _("構成機関")
        ordering = ["-is_coordinating", "joined_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(department=""))
                | (Q(organisation__isnull=True) & ~Q(department="")),
                name="memberbody_org_or_department",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.organisation.name if self.organisation_id and self.organisation else self.department

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class Meeting(models.Model):
    """A meeting of the body: date, agenda, minutes. No personal data of the people supported
    (cases are discussed in their working groups, on the case's own page)."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("開催日"))
    title = models.CharField(_("会議名"), max_length=200, help_text=_("例: 令和7年度 第1回 地域協議会"))
    agenda = models.TextField(_("議題"), max_length=4000)
    minutes = models.TextField(
        _("議事の概要"),
        max_length=10000,
        blank=True,
        help_text=_("個人を特定できる情報（氏名・連絡先・ケース番号など）は書かないでください。"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会議")
        verbose_name_plural = _("会議")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class SeatKind(models.TextChoices):
    BODY = "body", _("構成機関の一員として")
    EXPERT = "expert", _("個人の専門家として（弁護士・福祉専門職など）")


class DutyAcknowledgement(models.Model):
    """One person's acknowledgement of the body's confidentiality duty: the seat that lets them
    join a case's working group. Ending it ends their access to every working group at once
    (the duty itself lasts, and the row stays)."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("参加の形"), max_length=10, choices=SeatKind.choices, default=SeatKind.BODY)
    body = models.ForeignKey(
        MemberBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seats",
        verbose_name=_("所属する構成機関"),
    )
    expertise = models.CharField(
        _("専門分野"), max_length=100, blank=True, help_text=_("個人の専門家の場合（例: 弁護士、社会福祉士）")
    )
    acknowledged_on = models.DateField(_("確認日"))
    text_version = models.CharField(_("確認した説明文の版"), max_length=40)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    ended_on = models.DateField(_("参加をやめた日"), null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("守秘義務の確認")
        verbose_name_plural = _("守秘義務の確認")
        ordering = ["ended_at", "-acknowledged_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="body") & Q(body__isnull=False))
                | (Q(kind="expert") & Q(body__isnull=True)),
                name="duty_body_or_expert",
            ),
            models.UniqueConstraint(
                fields=["council", "user"],
                condition=Q(ended_at__isnull=True),
                name="one_current_duty_per_user",
            ),
        ]
        indexes = [
            # "Is this user bound by the duty now?" on every working-group check
            models.Index(fields=["user", "ended_at"], name="duty_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.council_id} / {self.user_id} {self.acknowledged_on}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class CouncilChange(AuditEntry):
    """Who changed the body, its member bodies, meetings and duty records, when (append-only).
    `data` holds ids, dates and codes, never free text."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="changes")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("会議体の変更記録")
        verbose_name_plural = _("会議体の変更記録")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["council", "-at"], name="councilchange_at_idx"),
            # the platform's audit chain, newest first (the trail screen, verify_audit)
            models.Index(fields=["platform", "-chain_seq"], name="councilchange_chain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def about_organisation(cls, organisation_id: int) -> Q:
        """The organisation joining as a member body, that body leaving, and its people's duty
        records (a seat in that body)."""
        from platform_site.lib.jsonlists import outer_json_id

        return (
            Q(data__organisation=organisation_id)
            | Q(
                models.Exists(
                    MemberBody.objects.filter(pk=outer_json_id("body"), organisation_id=organisation_id)
                )
            )
            | Q(
                models.Exists(
                    DutyAcknowledgement.objects.filter(
                        pk=outer_json_id("seat"), body__organisation_id=organisation_id
                    )
                )
            )
        )
