"""The registry's spreadsheets, declared once as django-import-export Resources.

`OrganisationResource` is the one declaration of the registry's Excel/CSV columns: each column's
Japanese header, the attribute it fills (``membership__status`` is the organisation's membership
in the platform being imported or exported) and its widget (kana, 和暦 and Western dates, ○
booleans, phones, lists by name, choice labels). The export writes from it and the import
(`orgs.imports`) reads through it, so exporting a platform's registry and importing the same file
changes nothing (see docs/import-export.md).

The reference lists (worry categories, activity fields, languages) have their own small
Resources, used by the admin's import/export for superusers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from platform_site.lib import formats
from platform_site.lib.columns import (
    BooleanWidget,
    ChoiceWidget,
    Column,
    CorporateNumberWidget,
    DateWidget,
    EmailWidget,
    IntegerWidget,
    KanaWidget,
    ListColumn,
    LookupWidget,
    NamesWidget,
    PhonesWidget,
    PostalCodeWidget,
    TextWidget,
    URLWidget,
)
from platform_site.lib.sheets import SheetResource
from platform_site.models import Platform

from .models import (
    ActivityField,
    ContactPerson,
    Language,
    Membership,
    MembershipPeriod,
    MembershipSource,
    MembershipStatus,
    Organisation,
    PFRole,
    Phone,
    WorryCategory,
)


def _max(model: Any, field: str) -> int:
    return model._meta.get_field(field).max_length or 0


def _text(field: str, **kwargs: Any) -> TextWidget:
    return TextWidget(max_length=_max(Organisation, field), **kwargs)


class OrganisationResource(SheetResource):
    """One row per organisation of a platform; the membership columns are its membership there."""

    ref = Column("ref", "団体コード", _text("ref"))
    name = Column("name", "団体名", _text("name", required=True), required=True)
    name_kana = Column(
        "name_kana",
        "名称カナ",
        KanaWidget(
            max_length=_max(Organisation, "name_kana"),
            required=True,
            blank_message=_("が空欄です（団体名の読みをカタカナで入れてください）。"),
        ),
        required=True,
    )
    legal_form = Column("legal_form", "法人格", _text("legal_form"))
    corporate_number = Column("corporate_number", "法人番号", CorporateNumberWidget(max_length=13))
    website = Column("website", "ホームページ", URLWidget(max_length=_max(Organisation, "website")))
    email = Column("email", "メールアドレス", EmailWidget(max_length=_max(Organisation, "email")))
    phones = ListColumn("phones", "電話番号", PhonesWidget())
    postal_code = Column(
        "postal_code", "郵便番号", PostalCodeWidget(max_length=_max(Organisation, "postal_code"))
    )
    address = Column("address", "所在地", _text("address"))
    address_private = Column("address_private", "所在地非公開", BooleanWidget())
    hours = Column("hours", "受付時間", _text("hours"))
    activity = Column("activity", "支援・活動内容", TextWidget(max_length=2000))  # the model's validator
    what_to_expect = Column("what_to_expect", "相談するとどうなるか", _text("what_to_expect"))
    name_en = Column("name_en", "団体名（英語）", _text("name_en"))
    activity_en = Column("activity_en", "支援・活動内容（英語）", TextWidget(max_length=2000))
    worry_categories = ListColumn(
        "worry_categories",
        "悩みのカテゴリ",
        NamesWidget(hint=_("このプラットフォームの悩みのカテゴリ名")),
    )
    activity_fields = ListColumn(
        "activity_fields", "活動分野", NamesWidget(hint=_("このプラットフォームの活動分野名"))
    )
    languages = ListColumn(
        "languages",
        "対応言語",
        NamesWidget(hint=_("言語名か言語コード（例: 英語、en）"), casefold=True),
    )
    lgbtq_support = Column("lgbtq_support", "LGBTQ+", BooleanWidget())
    public_listing = Column("public_listing", "公開掲載への同意", BooleanWidget())
    verified_on = Column("verified_on", "内容確認日", DateWidget())
    status = Column(
        "membership__status", "参加状況", ChoiceWidget(MembershipStatus, required=True), required=True
    )
    is_core = Column("membership__is_core", "コアメンバー", BooleanWidget())
    pf_role = Column("membership__pf_role", "PFでの役割", ChoiceWidget(PFRole, default=PFRole.MEMBER))
    joined_on = Column("membership__joined_on", "参加日", DateWidget())
    left_on = Column("membership__left_on", "退会日", DateWidget())
    leave_reason = Column(
        "membership__leave_reason", "退会理由", TextWidget(max_length=_max(MembershipPeriod, "leave_reason"))
    )
    source = Column("membership__source", "参加の経緯", ChoiceWidget(MembershipSource))

    class Meta:
        model = Organisation

    # --- export: every membership of the platform, in 五十音 order ---------------------------

    def export_queryset(self, platform: Platform) -> QuerySet[Membership]:
        """Every membership of the platform (all pipeline states) with what the columns show.

        Queries: memberships+organisations, then one each for their periods, phones, this
        platform's worry categories, this platform's activity fields, and languages (6 in all,
        per 2,000 rows).
        """
        return (
            Membership.objects.filter(platform=platform)
            .select_related("organisation")
            .prefetch_related(
                Prefetch("periods", queryset=MembershipPeriod.objects.order_by("joined_on")),
                Prefetch("organisation__phones", queryset=Phone.objects.order_by("order", "id")),
                Prefetch(
                    "organisation__worry_categories",
                    queryset=WorryCategory.objects.filter(platform=platform),
                ),
                Prefetch(
                    "organisation__activity_fields",
                    queryset=ActivityField.objects.filter(platform=platform),
                ),
                Prefetch("organisation__languages", queryset=Language.objects.all()),
            )
            .order_by("organisation__sort_key", "organisation__id")
        )

    def iter_queryset(self, queryset: Any) -> Iterator[Organisation]:
        """Organisations, each with its membership in the platform attached (``membership``);
        the membership's latest period is the main sheet's (its 参加日, 退会日 and 退会理由), the
        earlier ones go on the second sheet (``earlier_periods``, `EarlierPeriodResource`)."""
        self.earlier_periods: list[MembershipPeriod] = []
        for member in queryset.iterator(chunk_size=2000):
            org = member.organisation
            org.membership = member
            periods = list(member.periods.all())
            member.leave_reason = periods[-1].leave_reason if periods else ""
            self.earlier_periods += periods[:-1]
            yield org


EARLIER_SHEET = "過去の参加期間"  # the second sheet's title: earlier periods, one row each


class EarlierPeriodResource(SheetResource):
    """The second sheet: the periods before each organisation's latest one (which is on the
    main sheet), named by the organisation's 団体コード and 団体名 as on the main sheet."""

    ref = Column("membership__organisation__ref", "団体コード", _text("ref"))
    name = Column("membership__organisation__name", "団体名", _text("name"))  # or by 団体コード
    joined_on = Column("joined_on", "参加日", DateWidget())
    left_on = Column("left_on", "退会日", DateWidget())
    leave_reason = Column(
        "leave_reason", "退会理由", TextWidget(max_length=_max(MembershipPeriod, "leave_reason"))
    )

    class Meta:
        model = MembershipPeriod


HEADERS: tuple[str, ...] = tuple(f.column_name for f in OrganisationResource.fields.values())


class WorryCategoryResource(SheetResource):
    platform = Column("platform", "プラットフォーム", LookupWidget(Platform, "slug"), required=True)
    name = Column(
        "name", "名称", TextWidget(max_length=_max(WorryCategory, "name"), required=True), required=True
    )
    description = Column("description", "説明", TextWidget(max_length=_max(WorryCategory, "description")))
    name_en = Column("name_en", "名称（英語）", TextWidget(max_length=_max(WorryCategory, "name_en")))
    description_en = Column(
        "description_en", "説明（英語）", TextWidget(max_length=_max(WorryCategory, "description_en"))
    )
    order = Column("order", "表示順", IntegerWidget(default=0))

    class Meta:
        model = WorryCategory
        import_id_fields = ("platform", "name")
        skip_unchanged = True


class ActivityFieldResource(SheetResource):
    platform = Column("platform", "プラットフォーム", LookupWidget(Platform, "slug"), required=True)
    name = Column(
        "name", "名称", TextWidget(max_length=_max(ActivityField, "name"), required=True), required=True
    )
    mark = Column("mark", "記号", TextWidget(max_length=_max(ActivityField, "mark")))
    name_en = Column("name_en", "名称（英語）", TextWidget(max_length=_max(ActivityField, "name_en")))
    order = Column("order", "表示順", IntegerWidget(default=0))

    class Meta:
        model = ActivityField
        import_id_fields = ("platform", "name")
        skip_unchanged = True


class LanguageResource(SheetResource):
    code = Column(
        "code", "言語コード", TextWidget(max_length=_max(Language, "code"), required=True), required=True
    )
    name = Column("name", "名称", TextWidget(max_length=_max(Language, "name"), required=True), required=True)
    name_en = Column("name_en", "名称（英語）", TextWidget(max_length=_max(Language, "name_en")))
    order = Column("order", "表示順", IntegerWidget(default=0))

    class Meta:
        model = Language
        import_id_fields = ("code",)
        skip_unchanged = True


# --- export files -------------------------------------------------------------------------

EXPORTERS: dict[str, type[formats.CSV] | type[formats.XLSX]] = {"csv": formats.CSV, "xlsx": formats.XLSX}


CONTACT_HEADERS = ("担当者", "担当者の連絡先")  # read-only columns: the import ignores them


def _contact_columns(dataset: Any, queryset: Any) -> None:
    """Append the contact persons (name and title; phone and email) as two columns, in the
    dataset's row order (organisation by organisation)."""
    org_ids = list(queryset.values_list("organisation_id", flat=True))
    people: dict[int, list[ContactPerson]] = {}
    for person in ContactPerson.objects.filter(organisation_id__in=org_ids).order_by("order", "id"):
        people.setdefault(person.organisation_id, []).append(person)
    names = [
        "; ".join(f"{p.name}（{p.title}）" if p.title else p.name for p in people.get(i, [])) for i in org_ids
    ]
    reach = [
        "; ".join(" ".join(x for x in (p.phone, p.email) if x) for p in people.get(i, [])) for i in org_ids
    ]
    dataset.append_col(names, header=CONTACT_HEADERS[0])
    dataset.append_col(reach, header=CONTACT_HEADERS[1])


def export_file(
    *,
    platform: Platform,
    file_format: str,
    today: dt.date,
    organisation_ids: Any = None,
    contacts: bool = False,
) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) for the platform's registry in csv or xlsx: the Resource's
    export, written by our formats (CSV UTF-8 with BOM; XLSX in memory with real date cells and
    fitted column widths; formula cells neutralised). ``organisation_ids`` (a queryset of ids)
    limits it to the list's current filter; ``contacts`` adds the contact persons (personal
    data: the caller logs the export)."""
    writer = EXPORTERS[file_format]()
    resource = OrganisationResource()
    queryset = resource.export_queryset(platform)
    if organisation_ids is not None:
        queryset = queryset.filter(organisation_id__in=organisation_ids)
    dataset = resource.export(queryset)
    if contacts:
        _contact_columns(dataset, queryset)
    dataset.title = gettext("団体")  # the XLSX sheet's name
    filename = f"orgs-{platform.slug}-{today:%Y%m%d}.{file_format}"
    dates = [f.column_name for f in resource.fields.values() if isinstance(f.widget, DateWidget)]
    if file_format != "xlsx":  # a CSV is one table: the latest period only (docs/import-export.md)
        return filename, writer.get_content_type(), writer.export_data(dataset)
    sheet2 = EarlierPeriodResource().export(resource.earlier_periods)
    sheet2.title = EARLIER_SHEET
    content = cast(formats.XLSX, writer).export_data(dataset, sheet2, date_columns=dates)
    return filename, writer.get_content_type(), content
