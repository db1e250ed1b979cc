"""The staff roles' groups (core.dashboard.STAFF_GROUPS): finance and board.

Until now every staff account could do the work of both. So that no one loses what they do today,
the staff accounts that exist are put in both groups; an operator then takes away what each should
not have, on the admin site (Users -> Groups).
"""

from django.conf import settings
from django.db import migrations

STAFF_GROUPS = ("finance", "board")


def create_groups(apps, schema_editor):
    groups = apps.get_model("auth", "Group").objects
    users = apps.get_model(*settings.AUTH_USER_MODEL.split(".")).objects
    staff = list(users.filter(is_staff=True, is_superuser=False))
    for name in STAFF_GROUPS:
        group, _created = groups.get_or_create(name=name)
        group.user_set.add(*staff)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=STAFF_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("core", "0004_outbox"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
