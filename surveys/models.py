"""Surveys: resident loneliness surveys on the national items, organisation resource surveys and
event questionnaires; their questions, raw responses (one row per respondent), published figures,
the national reference results, and the audit of changes, views and exports of raw responses.

Storage is chosen so every result is one GROUP BY in the database:
- the national items are columns of `Response` (`direct`, `ucla_1..3`, `age_band` …), NULL = 無回答,
  and the UCLA score is a generated column (NULL unless all three items are answered);
- the city's own questions are keys of the respondent's `own` JSON (a missing key = 無回答);
- the counts are computed by GROUP BY when responses are imported and kept in `Tally`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from platform_site.audit import AuditEntry
from platform_site.models import Platform


class SurveyKind(models.TextChoices):
    RESIDENT = "resident", _("住民調査（孤独・孤立の実態）")
    RESOURCE = "resource", _("団体・資源調査")
    EVENT = "event", _("イベントのアンケート")


class Method(models.TextChoices):
    MAIL = "mail", _("郵送")
    WEB = "web", _("WEB")
    MIXED = "mixed", _("併用（郵送・WEB）")


class Sampling(models.TextChoices):
    REGISTER_RANDOM = "register_random", _("住民基本台帳から無作為抽出")
    LIST = "list", _("名簿の全数（団体など）")
    OPEN = "open", _("公募・任意の回答（無作為ではない）")
    OTHER = "other", _("その他")


class Survey(models.Model):
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="surveys")
    fiscal_year = models.PositiveIntegerField(_("年度"), help_text=_("西暦の年度（例: 令和4年度 → 2022）"))
    kind = models.CharField(_("種類"), max_length=20, choices=SurveyKind.choices, default=SurveyKind.RESIDENT)
    title = models.CharField(_("調査名"), max_length=200)
    run_by = models.CharField(_("実施主体"), max_length=200, blank=True)
    contractor = models.CharField(_("発注先（委託先）"), max_length=200, blank=True)
    population = models.CharField(_("対象（母集団）"), max_length=300, blank=True)
    min_age = models.PositiveSmallIntegerField(_("対象の下限年齢"), null=True, blank=True)
    sampling = models.CharField(_("抽出方法"), max_length=20, choices=Sampling.choices, blank=True)
    sampling_note = models.CharField(_("抽出の補足"), max_length=300, blank=True)
    sample_size = models.PositiveIntegerField(_("配布数（標本数）"), null=True, blank=True)
    method = models.CharField(_("回答方法"), max_length=10, choices=Method.choices, blank=True)
    responses_mail = models.PositiveIntegerField(_("回答数（郵送）"), null=True, blank=True)
    responses_web = models.PositiveIntegerField(_("回答数（WEB）"), null=True, blank=True)
    responses_published = models.PositiveIntegerField(
        _("回答数（報告書の記載）"), null=True, blank=True, help_text=_("回答票を取り込まない場合の回答数")
    )
    period_start = models.DateField(_("調査期間（開始）"), null=True, blank=True)
    period_end = models.DateField(_("調査期間（終了）"), null=True, blank=True)
    period_note = models.CharField(_("調査期間（記載どおり）"), max_length=200, blank=True)
    event_ref = models.CharField(
        _("イベント"),
        max_length=40,
        blank=True,
        help_text=_("アンケートを取ったイベントの番号（例: KUM-E06）"),
    )
    note = models.TextField(_("メモ"), blank=True)
    is_fictional = models.BooleanField(_("架空のデータ（デモ）"), default=False)
    imported_codes = models.JSONField(
        default=list, blank=True, editable=False
    )  # question columns of the last import
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("調査")
        verbose_name_plural = _("調査")
        ordering = ["-fiscal_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="survey_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def published_total(self) -> int | None:
        """Responses as the report gives them: the stated total, else mail + WEB."""
        if self.responses_published is not None:
            return self.responses_published
        if self.responses_mail is None and self.responses_web is None:
            return None
        return (self.responses_mail or 0) + (self.responses_web or 0)


class QuestionKind(models.TextChoices):
    CHOICE = "choice", _("選択（コード）")
    NUMBER = "number", _("数値")
    TEXT = "text", _("自由記述")


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("設問コード"), max_length=40, help_text=_("ファイルの列名（半角英数字）"))
    label = models.CharField(_("見出し"), max_length=120)
    text = models.TextField(_("設問文"))
    kind = models.CharField(
        _("形式"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.CHOICE
    )
    standard = models.BooleanField(_("国調査の設問"), default=False)
    purpose = models.TextField(_("設問のねらい"), blank=True)
    min_value = models.IntegerField(_("最小値"), null=True, blank=True)
    max_value = models.IntegerField(_("最大値"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("設問")
        verbose_name_plural = _("設問")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="question_code_unique")]

    def __str__(self) -> str:
        return self.label


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    value = models.PositiveSmallIntegerField(_("回答コード"))
    label = models.CharField(_("回答"), max_length=200)

    class Meta:
        ordering = ["value"]
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="choice_value_unique")]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"


class Channel(models.TextChoices):
    MAIL = "mail", _("郵送")
    WEB = "web", _("WEB")


def _code() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(null=True, blank=True)


class Response(models.Model):
    """One respondent. Standard items as columns (NULL = 無回答); the UCLA score is generated."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent_id = models.CharField(_("回答者ID"), max_length=40)
    channel = models.CharField(_("回答方法"), max_length=4, choices=Channel.choices, blank=True)
    direct = _code()
    ucla_1 = _code()
    ucla_2 = _code()
    ucla_3 = _code()
    # NULL + anything is NULL in SQL: no score unless all three are answered
    ucla_score = models.GeneratedField(
        expression=F("ucla_1") + F("ucla_2") + F("ucla_3"),
        output_field=models.PositiveSmallIntegerField(null=True),
        db_persist=True,
    )
    age_band = _code()
    sex = _code()
    lives_alone = _code()
    work = _code()
    income = _code()
    # the city's own questions: {code: answer code, number or text}; a missing key is 無回答
    own = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("回答票")
        verbose_name_plural = _("回答票")
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent_id"], name="respondent_unique_in_survey")
        ]

    def __str__(self) -> str:
        return self.respondent_id


class Tally(models.Model):
    """Counts of a survey's responses, computed by GROUP BY in the database when the responses are
    imported (the only way they change) and stored in the same transaction; the results page reads
    these rows instead of scanning 7,000 × 40 answers on every view.

    `item` is a question code (key = answer code, "" = 無回答), "_channel", "_band" (UCLA band,
    "" = not scored), "_written:<code>" (free text written) or "x:<row item>" (a cross-tab with the
    direct question: key = the row item's code, key2 = the direct answer).
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tallies")
    item = models.CharField(max_length=60)
    key = models.CharField(max_length=20, blank=True)
    key2 = models.CharField(max_length=20, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["survey", "item"], name="tally_survey_item")]

    def __str__(self) -> str:
        return f"{self.item} {self.key} {self.key2}: {self.n}"


class PublishedFigure(models.Model):
    """A percentage (and count, when given) as a report publishes it: the results of a survey whose
    raw responses we do not have. Stored as written, never recomputed (the seeds' 100.2%)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="published")
    item = models.CharField(
        _("設問"), max_length=40, help_text=_("direct、ucla（合計点の区分）または独自の見出し")
    )
    key = models.CharField(
        _("回答"), max_length=60, help_text=_("回答コード、区分（3, 4-6…）、または回答の文言")
    )
    label = models.CharField(_("回答の表記"), max_length=200)
    pct = models.DecimalField(_("割合（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    count = models.PositiveIntegerField(_("件数"), null=True, blank=True)
    base = models.PositiveIntegerField(_("母数（n）"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["item", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.item} {self.label} {self.pct}"


class NationalSurvey(models.Model):
    """One year of the national survey the local ones compare with (reference data, all platforms)."""

    year = models.PositiveIntegerField(_("実施年"), unique=True)
    label = models.CharField(_("表記"), max_length=20)  # 令和3年
    name = models.CharField(_("調査名"), max_length=200)
    source = models.CharField(_("出典"), max_length=300)
    n = models.PositiveIntegerField(_("回答数（n）"), null=True)
    method = models.CharField(max_length=10, choices=Method.choices)
    sampling = models.CharField(max_length=20, choices=Sampling.choices)
    min_age = models.PositiveSmallIntegerField(default=16)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.label}（{self.name}）"


class NationalFigure(models.Model):
    national = models.ForeignKey(NationalSurvey, on_delete=models.CASCADE, related_name="figures")
    item = models.CharField(max_length=40)  # direct | ucla
    key = models.CharField(max_length=20)  # "1".."5", "無回答", or a UCLA band "3", "4-6"…
    pct = models.DecimalField(max_digits=5, decimal_places=1, null=True)  # None: not published

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["national", "item", "key"], name="national_figure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.key} {self.pct}"


class SurveyChange(AuditEntry):
    """Who created or changed a survey, imported, viewed or exported its raw responses, and when."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(
        Survey, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    survey_title = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["platform", "-at"], name="surveychange_platform_at"),
            models.Index(fields=["platform", "-chain_seq"], name="surveychange_chain_idx"),
        ]

    @classmethod
    def about_organisation(cls, organisation_id: int) -> None:
        """A survey's entries hold counts, never one organisation."""
        return None


class SurveyOrganisation(models.Model):
    """An organisation that answered a resource survey, as the file names it; `organisation` is set
    once it is matched to the registry or added to it as a membership candidate."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="organisations")
    row = models.PositiveIntegerField()
    name = models.CharField(_("団体名"), max_length=200)
    name_kana = models.CharField(_("名称カナ"), max_length=200, blank=True)
    legal_form = models.CharField(_("法人格"), max_length=60, blank=True)
    corporate_number = models.CharField(_("法人番号"), max_length=13, blank=True)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["row"]

    def __str__(self) -> str:
        return self.name
