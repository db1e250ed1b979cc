"""Store each member's cents per class instead of a statement document; statements are derived.

The old statement held, per class, the class name, the member's weight and their cents. The weight
is already in `bases` and the class's basis in the cycle's class_pots, so only the cents move, into
a list in class_pots order with null where the member was not in the class. Reversible.
"""

from django.db import migrations, models


def statements_to_parts(apps, schema_editor):
    CycleAllocation = apps.get_model("payout_cycles", "CycleAllocation")
    rows = CycleAllocation.objects.select_related("cycle").only("statement", "cycle__class_pots")
    changed = []
    for row in rows.iterator(chunk_size=2000):
        cents = {step["class"]: step["allocated_cents"] for step in row.statement.get("classes", [])}
        row.parts = [cents.get(pot["name"]) for pot in row.cycle.class_pots]
        changed.append(row)
    CycleAllocation.objects.bulk_update(changed, ["parts"], batch_size=2000)


def parts_to_statements(apps, schema_editor):
    CycleAllocation = apps.get_model("payout_cycles", "CycleAllocation")
    rows = CycleAllocation.objects.select_related("cycle")
    changed = []
    for row in rows.iterator(chunk_size=2000):
        classes = [
            {"class": pot["name"], "basis_weight": row.bases[pot["basis"]], "allocated_cents": cents}
            for pot, cents in zip(row.cycle.class_pots, row.parts, strict=True)
            if cents is not None
        ]
        row.statement = {
            "member": str(row.member_id),
            "classes": classes,
            "allocated_cents": row.allocated_cents,
            "cash_cents": row.cash_cents,
            "retained_cents": row.retained_cents,
        }
        changed.append(row)
    CycleAllocation.objects.bulk_update(changed, ["statement"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("payout_cycles", "0003_status_change_base"),
    ]

    operations = [
        migrations.AddField(
            model_name="cycleallocation",
            name="parts",
            field=models.JSONField(default=list, verbose_name="parts by class (cents)"),
        ),
        migrations.RunPython(statements_to_parts, parts_to_statements, elidable=True),
        migrations.RemoveField(
            model_name="cycleallocation",
            name="statement",
        ),
    ]
