from django.db import migrations

from outreach.types import BUILTIN_TYPES


def create_types(apps, schema_editor):
    EventType = apps.get_model("outreach", "EventType")
    for order, (code, name) in enumerate(BUILTIN_TYPES):
        EventType.objects.update_or_create(platform=None, code=code, defaults={"name": name, "order": order})


def remove_types(apps, schema_editor):
    apps.get_model("outreach", "EventType").objects.filter(platform=None).delete()


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(create_types, remove_types)]
