"""Fill the new columns of existing rows: languages' English names, organisations' search text.

The search text is built as orgs.searchtext.organisation_search_text builds it, from the
historical models (a migration must not import today's models).
"""

from django.db import migrations

from platform_site.lib.search import search_text

LANGUAGE_NAMES_EN = {
    "en": "English",
    "zh": "Chinese",
    "ko": "Korean",
    "vi": "Vietnamese",
    "tl": "Tagalog",
    "pt": "Portuguese",
    "ne": "Nepali",
    "id": "Indonesian",
    "es": "Spanish",
    "th": "Thai",
    "my": "Burmese",
    "fr": "French",
    "ru": "Russian",
    "uk": "Ukrainian",
}


def fill(apps, schema_editor):
    Language = apps.get_model("orgs", "Language")
    Organisation = apps.get_model("orgs", "Organisation")
    for lang in Language.objects.filter(name_en=""):
        if lang.code in LANGUAGE_NAMES_EN:
            lang.name_en = LANGUAGE_NAMES_EN[lang.code]
            lang.save(update_fields=["name_en"])
    for org in Organisation.objects.prefetch_related("phones", "languages").iterator(chunk_size=500):
        parts = [org.name, org.name_en, org.name_kana, org.legal_form, org.activity, org.activity_en, org.hours]
        for phone in sorted(org.phones.all(), key=lambda p: (p.order, p.pk)):
            parts += [phone.number, phone.note]
        for lang in org.languages.all():
            parts += [lang.name, lang.name_en, lang.code]
        Organisation.objects.filter(pk=org.pk).update(search_text=search_text(parts))


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0006_english_fields_and_search_text"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
