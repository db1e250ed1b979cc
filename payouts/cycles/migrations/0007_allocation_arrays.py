"""Store a member's weights and cents by class as two arrays instead of a JSON document each.

`bases` ({basis: weight}) becomes `weights`, a list in the order of the cycle's class_pots with the
member's weight in each class they were in (null elsewhere), beside `parts`, their cents in the same
order. On PostgreSQL both are native arrays (text[] and bigint[]); SQLite keeps compact JSON text.
Every statement reads the same numbers before and after. Reversible.
"""

from django.db import migrations, models

import core.fields


def bases_to_weights(apps, schema_editor):
    CycleAllocation = apps.get_model("payout_cycles", "CycleAllocation")
    rows = CycleAllocation.objects.select_related("cycle").only("bases", "old_parts", "cycle__class_pots")
    changed = []
    for row in rows.iterator(chunk_size=2000):
        row.parts = list(row.old_parts)
        row.weights = [
            None if cents is None else row.bases[pot["basis"]]
            for pot, cents in zip(row.cycle.class_pots, row.old_parts, strict=True)
        ]
        changed.append(row)
    CycleAllocation.objects.bulk_update(changed, ["parts", "weights"], batch_size=2000)


def weights_to_bases(apps, schema_editor):
    CycleAllocation = apps.get_model("payout_cycles", "CycleAllocation")
    rows = CycleAllocation.objects.select_related("cycle").only("weights", "parts", "cycle__class_pots")
    changed = []
    for row in rows.iterator(chunk_size=2000):
        row.old_parts = list(row.parts)
        row.bases = {
            pot["basis"]: weight
            for pot, weight in zip(row.cycle.class_pots, row.weights, strict=True)
            if weight is not None
        }
        changed.append(row)
    CycleAllocation.objects.bulk_update(changed, ["old_parts", "bases"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("payout_cycles", "0006_currency_from_setting"),
    ]

    operations = [
        migrations.RenameField(model_name="cycleallocation", old_name="parts", new_name="old_parts"),
        migrations.AddField(
            model_name="cycleallocation",
            name="parts",
            field=core.fields.ListField(
                base_field=models.BigIntegerField(), default=list, verbose_name="parts by class (cents)"
            ),
        ),
        migrations.AddField(
            model_name="cycleallocation",
            name="weights",
            field=core.fields.ListField(base_field=models.TextField(), default=list, verbose_name="weights by class"),
        ),
        migrations.RunPython(bases_to_weights, weights_to_bases, elidable=True),
        migrations.RemoveField(model_name="cycleallocation", name="old_parts"),
        migrations.RemoveField(model_name="cycleallocation", name="bases"),
    ]
