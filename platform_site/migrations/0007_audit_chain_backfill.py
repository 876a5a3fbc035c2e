"""Chain the audit rows written before chaining existed, oldest first, one chain per platform."""

from django.db import migrations

from platform_site.audit import chain_unchained

AUDIT_TABLES = [
    ("platform_site", "RoleChange"),
    ("platform_site", "PlatformChange"),
    ("orgs", "OrgChange"),
    ("cases", "CaseEvent"),
    ("surveys", "SurveyChange"),
    ("outreach", "EventChange"),
]


def forwards(apps, schema_editor):
    models = [apps.get_model(app, name) for app, name in AUDIT_TABLES]
    chain_unchained(models, apps.get_model("platform_site", "AuditChainHead"))


class Migration(migrations.Migration):
    dependencies = [
        ("platform_site", "0006_audit_chain"),
        ("orgs", "0008_audit_chain"),
        ("cases", "0005_audit_chain"),
        ("surveys", "0003_audit_chain"),
        ("outreach", "0003_audit_chain"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
