"""The stored search text of an organisation (`Organisation.search_text`).

Every search box (the public directory, the staff registry list, the HSDS API's `search`)
compares normalised query words (platform_site.lib.search) with this one column, so a search
is a few `LIKE` conditions on one table rather than a join per field. The text holds what a
person may type to find an organisation: names (Japanese and English), the reading, the legal
form, the activity (both languages), the hours, the phone numbers and their notes (「LINE相談も可」),
the languages spoken (in Japanese and English). Never addresses or contact persons.

Worry categories and activity fields are platform-specific (one organisation may be in two
platforms with different categories), so their texts are not stored here: the selectors
match them per platform (a handful of rows, normalised in memory) and add the organisations
tagged with a matching category.

The column is refreshed after every write that changes one of these texts: the services
(create, edit, phones), the import's save step and the demo loader call
`search_text_refresh`; migration 0005 fills it for existing rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q

from platform_site.lib.bulk import chunks, update_objects
from platform_site.lib.search import contains_word, query_words, search_text
from platform_site.models import Platform

from .models import ActivityField, Language, Organisation, Phone, WorryCategory


def organisation_search_text(org: Organisation) -> str:
    """The text of one organisation, from it and its (prefetched) phones and languages."""
    parts = [org.name, org.name_en, org.name_kana, org.legal_form, org.activity, org.activity_en, org.hours]
    for phone in org.phones.all():
        parts += [phone.number, phone.note]
    for lang in org.languages.all():
        parts += [lang.name, lang.name_en, lang.code]
    return search_text(parts)


def search_text_refresh(*, ids: Iterable[int]) -> None:
    """Recompute the column for these organisations (a few queries per 900 of them)."""
    for chunk in chunks(sorted(set(ids))):
        orgs = Organisation.objects.filter(pk__in=chunk).prefetch_related(
            Prefetch("phones", queryset=Phone.objects.order_by("order", "id")),
            Prefetch("languages", queryset=Language.objects.all()),
        )
        changed = []
        for org in orgs:
            text = organisation_search_text(org)
            if text != org.search_text:
                org.search_text = text
                changed.append((org, ["search_text"]))
        update_objects(changed)


def _tagged(through: Any, column: str, ids: list[int]) -> Q:
    return Q(pk__in=through.objects.filter(**{f"{column}__in": ids}).values("organisation_id"))


def organisation_search_q(*, platform: Platform, text: str) -> Q | None:
    """The condition for a search box's text: every word (AND) in the organisation's own text or
    in the name or description of one of its categories or activity fields in this platform.

    None when the text has no words. Two small queries read the platform's categories and fields
    (their texts are normalised in memory); the rest is one WHERE on the organisations.
    """
    words = query_words(text)
    if not words:
        return None
    categories = [
        (c.pk, search_text([c.name, c.description, c.name_en, c.description_en]))
        for c in WorryCategory.objects.filter(platform=platform).only(
            "name", "description", "name_en", "description_en"
        )
    ]
    fields = [
        (f.pk, search_text([f.name, f.name_en]))
        for f in ActivityField.objects.filter(platform=platform).only("name", "name_en")
    ]
    condition = Q()
    for word in words:
        match = Q(search_text__contains=word)
        if cat_ids := [pk for pk, t in categories if contains_word(t, word)]:
            match |= _tagged(Organisation.worry_categories.through, "worrycategory_id", cat_ids)
        if field_ids := [pk for pk, t in fields if contains_word(t, word)]:
            match |= _tagged(Organisation.activity_fields.through, "activityfield_id", field_ids)
        condition &= match
    return condition
