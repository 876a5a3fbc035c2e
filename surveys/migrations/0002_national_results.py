"""National reference results (direct question by year; UCLA bands of 令和3年 as the seeds quote
them). Reference data shared by every platform, so it is loaded here rather than by the demo."""

from decimal import Decimal

from django.db import migrations

SOURCE = "孤独・孤立対策推進本部（第1回）資料3「孤独・孤立対策重点計画の策定に向けて」（内閣府）図1"
UCLA_SOURCE = "内閣官房「人々のつながりに関する基礎調査」（令和3年）, 鳥取県・愛媛県の報告で引用"

NATIONAL = [
    # year, label, name, n, direct {code: pct} (5 = しばしばある・常にある), ucla bands
    (
        2021,
        "令和3年",
        "人々のつながりに関する基礎調査（内閣官房）",
        11867,
        {"5": "4.5", "4": "14.5", "3": "17.4", "2": "38.9", "1": "23.7", "無回答": "0.9"},
        {"3": "18.5", "4-6": None, "7-9": "37.1", "10-12": "6.3"},
    ),
    (
        2022,
        "令和4年",
        "孤独・孤立の実態把握に関する全国調査（内閣府）",
        11218,
        {"5": None, "4": "15.8", "3": "19.6", "2": "40.6", "1": "18.4", "無回答": "0.6"},
        {},
    ),
    (
        2023,
        "令和5年",
        "孤独・孤立の実態把握に関する全国調査（内閣府）",
        11141,
        {"5": "4.8", "4": "14.8", "3": "19.7", "2": "41.4", "1": "17.9", "無回答": "1.5"},
        {},
    ),
]


def load(apps, schema_editor):
    NationalSurvey = apps.get_model("surveys", "NationalSurvey")
    NationalFigure = apps.get_model("surveys", "NationalFigure")
    for year, label, name, n, direct, ucla in NATIONAL:
        source = SOURCE + ("；UCLA: " + UCLA_SOURCE if ucla else "")
        national, _ = NationalSurvey.objects.update_or_create(
            year=year,
            defaults={
                "label": label,
                "name": name,
                "n": n,
                "source": source,
                "method": "mixed",
                "sampling": "register_random",
                "min_age": 16,
            },
        )
        for item, figures in (("direct", direct), ("ucla", ucla)):
            for key, pct in figures.items():
                NationalFigure.objects.update_or_create(
                    national=national,
                    item=item,
                    key=key,
                    defaults={"pct": Decimal(pct) if pct is not None else None},
                )


def unload(apps, schema_editor):
    apps.get_model("surveys", "NationalSurvey").objects.filter(year__in=[row[0] for row in NATIONAL]).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
