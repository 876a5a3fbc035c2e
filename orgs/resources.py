"""The registry's Excel/CSV columns, and the export that writes them.

One column list serves both directions, so that exporting a platform's registry and importing
the same file changes nothing (see docs/import-export.md). Export is generator based, like
pretix's ``ListExporter.iterate_list``: the header first, then one row per membership.

Why not django-import-export's ``ModelResource`` here: our rows span an organisation, its
membership in *this* platform, its phones and three many-to-many lists filtered by platform, and
its formula escaping strips only a leading ``=``. The column spec below plays the part of the
Resource's fields; ``platform_site.lib.spreadsheet.neutralise_cell`` escapes every cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Field, Prefetch
from django.utils.translation import gettext

from platform_site.lib.spreadsheet import neutralise_cell
from platform_site.lib.xlsx import Sheet, write_xlsx
from platform_site.models import Platform

from .models import (
    ActivityField,
    Language,
    Membership,
    MembershipSource,
    MembershipStatus,
    Organisation,
    PFRole,
    Phone,
    WorryCategory,
)

TRUE_MARK = "○"
LIST_SEPARATOR = "、"
PHONE_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    header: str
    key: str  # Organisation field, "membership.<field>", or a list name (phones, worry_categories…)
    kind: str  # text, kana, corporate_number, url, email, postal, bool, date, phones, categories,
    #            fields, languages, status, pf_role, source
    max_length: int | None = None
    required: bool = False  # the header must be in the file


def _max(field: str) -> int:
    return cast(Field, Organisation._meta.get_field(field)).max_length or 0


COLUMNS: tuple[Column, ...] = (
    Column("団体コード", "ref", "text", _max("ref")),
    Column("団体名", "name", "text", _max("name"), required=True),
    Column("名称カナ", "name_kana", "kana", _max("name_kana"), required=True),
    Column("法人格", "legal_form", "text", _max("legal_form")),
    Column("法人番号", "corporate_number", "corporate_number", 13),
    Column("ホームページ", "website", "url", _max("website")),
    Column("メールアドレス", "email", "email", _max("email")),
    Column("電話番号", "phones", "phones"),
    Column("郵便番号", "postal_code", "postal", _max("postal_code")),
    Column("所在地", "address", "text", _max("address")),
    Column("所在地非公開", "address_private", "bool"),
    Column("受付時間", "hours", "text", _max("hours")),
    Column("支援・活動内容", "activity", "text", 2000),  # MaxLengthValidator(2000) on the model
    Column("相談するとどうなるか", "what_to_expect", "text", _max("what_to_expect")),
    Column("悩みのカテゴリ", "worry_categories", "categories"),
    Column("活動分野", "activity_fields", "fields"),
    Column("対応言語", "languages", "languages"),
    Column("LGBTQ+", "lgbtq_support", "bool"),
    Column("公開掲載への同意", "public_listing", "bool"),
    Column("内容確認日", "verified_on", "date"),
    Column("参加状況", "membership.status", "status", required=True),
    Column("コアメンバー", "membership.is_core", "bool"),
    Column("PFでの役割", "membership.pf_role", "pf_role"),
    Column("参加日", "membership.joined_on", "date"),
    Column("退会日", "membership.left_on", "date"),
    Column("参加の経緯", "membership.source", "source"),
)
HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)

# Labels written for choices; codes are accepted on import as well.
CHOICES: dict[str, dict[str, str]] = {
    "status": {str(c.label): c.value for c in MembershipStatus},
    "pf_role": {str(c.label): c.value for c in PFRole},
    "source": {str(c.label): c.value for c in MembershipSource},
}
CHOICE_LABELS: dict[str, dict[str, str]] = {kind: {v: k for k, v in m.items()} for kind, m in CHOICES.items()}


def format_phones(phones: list[tuple[str, str]]) -> str:
    """「096-000-0000（LINE相談も可）; 050-000-0000」: the note in full-width brackets."""
    return PHONE_SEPARATOR.join(f"{number}（{note}）" if note else number for number, note in phones)


def _cell(column: Column, value: Any) -> Any:
    if column.kind == "bool":
        return TRUE_MARK if value else ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if column.kind in CHOICE_LABELS:
        return CHOICE_LABELS[column.kind].get(value, value or "")
    return neutralise_cell(value if value is not None else "")


def _export_memberships(platform: Platform) -> Iterator[Membership]:
    """Every membership of the platform (all pipeline states), in 五十音 order.

    Queries: memberships+organisations, then one each for phones, this platform's worry
    categories, this platform's activity fields, and languages (5 in all).
    """
    return (
        Membership.objects.filter(platform=platform)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("organisation__phones", queryset=Phone.objects.order_by("order", "id")),
            Prefetch(
                "organisation__worry_categories", queryset=WorryCategory.objects.filter(platform=platform)
            ),
            Prefetch(
                "organisation__activity_fields", queryset=ActivityField.objects.filter(platform=platform)
            ),
            Prefetch("organisation__languages", queryset=Language.objects.all()),
        )
        .order_by("organisation__sort_key", "organisation__id")
        .iterator(chunk_size=2000)
    )


def _row(member: Membership) -> list[Any]:
    org = member.organisation
    lists = {
        "phones": format_phones([(p.number, p.note) for p in org.phones.all()]),
        "worry_categories": LIST_SEPARATOR.join(c.name for c in org.worry_categories.all()),
        "activity_fields": LIST_SEPARATOR.join(f.name for f in org.activity_fields.all()),
        "languages": LIST_SEPARATOR.join(lang.name for lang in org.languages.all()),
    }
    row = []
    for column in COLUMNS:
        if column.key in lists:
            value: Any = lists[column.key]
        elif column.key.startswith("membership."):
            value = getattr(member, column.key.removeprefix("membership."))
        else:
            value = getattr(org, column.key)
        row.append(_cell(column, value))
    return row


def export_rows(*, platform: Platform) -> Iterator[list[Any]]:
    """The header, then one row per organisation of the platform; every text cell neutralised."""
    yield list(HEADERS)
    for member in _export_memberships(platform):
        yield _row(member)


def export_csv(*, platform: Platform) -> bytes:
    """UTF-8 with BOM (Excel opens it without asking), CRLF line ends, every field quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerows(export_rows(platform=platform))
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def export_xlsx(*, platform: Platform) -> bytes:
    """One sheet, the header row frozen; written in memory (platform_site.lib.xlsx)."""
    rows = export_rows(platform=platform)
    return write_xlsx(Sheet(title=gettext("団体"), headers=[next(rows)], rows=rows))


EXPORTERS = {
    "csv": (export_csv, "text/csv; charset=utf-8"),
    "xlsx": (export_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def export_file(*, platform: Platform, file_format: str, today: dt.date) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) for the platform's registry in csv or xlsx."""
    build, content_type = EXPORTERS[file_format]
    filename = f"orgs-{platform.slug}-{today:%Y%m%d}.{file_format}"
    return filename, content_type, build(platform=platform)
