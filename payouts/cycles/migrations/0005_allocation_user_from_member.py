"""A member allocation finds its user through the member (a protected one-to-one), not a copy.

Reversible: going back re-creates the column from each row's member before making it required.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def users_from_members(apps, schema_editor):
    CycleAllocation = apps.get_model("payout_cycles", "CycleAllocation")
    Member = apps.get_model("membership", "Member")
    users = dict(Member.objects.values_list("pk", "user_id"))
    rows = list(CycleAllocation.objects.only("pk", "member_id"))
    for row in rows:
        row.user_id = users[row.member_id]
    CycleAllocation.objects.bulk_update(rows, ["user"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("membership", "0001_initial"),
        ("payout_cycles", "0004_allocation_parts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="cycleallocation",
            name="cycle_allocation_user",
        ),
        migrations.AlterField(
            model_name="cycleallocation",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, users_from_members, elidable=True),
        migrations.RemoveField(
            model_name="cycleallocation",
            name="user",
        ),
    ]
