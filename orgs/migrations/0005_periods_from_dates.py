"""Each membership's one 参加日/退会日 becomes its first membership period, and its PF role and
core status a role period over the same days. Nothing is dropped: the membership row keeps its
fields (they are the latest period's from now on), and a membership without a 参加日 (a candidate,
or one that declined before joining) gets no period, as it has none to give."""

from django.db import migrations


def forwards(apps, schema_editor):
    Membership = apps.get_model("orgs", "Membership")
    MembershipPeriod = apps.get_model("orgs", "MembershipPeriod")
    RolePeriod = apps.get_model("orgs", "RolePeriod")
    periods, roles = [], []
    rows = Membership.objects.filter(joined_on__isnull=False).values_list(
        "pk", "joined_on", "left_on", "pf_role", "is_core"
    )
    for pk, joined_on, left_on, pf_role, is_core in rows.iterator(chunk_size=2000):
        periods.append(MembershipPeriod(membership_id=pk, joined_on=joined_on, left_on=left_on))
        roles.append(
            RolePeriod(membership_id=pk, pf_role=pf_role, is_core=is_core, started_on=joined_on, ended_on=left_on)
        )
    MembershipPeriod.objects.bulk_create(periods, batch_size=2000)
    RolePeriod.objects.bulk_create(roles, batch_size=2000)


def backwards(apps, schema_editor):
    """The membership rows still hold the latest period's dates; the periods simply go."""
    apps.get_model("orgs", "MembershipPeriod").objects.all().delete()
    apps.get_model("orgs", "RolePeriod").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0004_membership_periods")]

    operations = [migrations.RunPython(forwards, backwards)]
