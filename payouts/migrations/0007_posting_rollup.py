"""Monthly posting totals per account pair and kind (issue 18): built here from the postings so far.

From this migration on, batch_post keeps them at posting time and ledger_check proves they equal the
postings. The month is local to settings.TIME_ZONE, as payouts.ledger.rollup.month_of reckons it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

BUILD = """
INSERT INTO payouts_postingrollup (month, from_account_id, to_account_id, kind, currency, amount_cents, postings)
SELECT (date_trunc('month', p.created_at AT TIME ZONE %s))::date, p.from_account_id, p.to_account_id, b.kind,
       MIN(p.currency), SUM(p.amount_cents), COUNT(*)
FROM payouts_posting p JOIN payouts_batch b ON b.id = p.batch_id
GROUP BY 1, 2, 3, 4
"""


def build(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BUILD, [settings.TIME_ZONE])
        return
    Posting = apps.get_model("payouts", "Posting")
    PostingRollup = apps.get_model("payouts", "PostingRollup")
    zone = timezone.get_default_timezone()
    totals = {}
    rows = Posting.objects.values_list(
        "created_at", "from_account_id", "to_account_id", "batch__kind", "currency", "amount_cents"
    ).order_by()
    for created_at, from_id, to_id, kind, currency, cents in rows.iterator(chunk_size=5000):
        month = timezone.localtime(created_at, zone).date().replace(day=1)
        entry = totals.setdefault((month, from_id, to_id, kind), [currency, 0, 0])
        entry[1] += cents
        entry[2] += 1
    PostingRollup.objects.bulk_create(
        [
            PostingRollup(
                month=month,
                from_account_id=from_id,
                to_account_id=to_id,
                kind=kind,
                currency=currency,
                amount_cents=cents,
                postings=count,
            )
            for (month, from_id, to_id, kind), (currency, cents, count) in totals.items()
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("payouts", "0006_account_running_balance"),
    ]

    operations = [
        migrations.CreateModel(
            name="PostingRollup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(verbose_name="month")),
                ("kind", models.CharField(max_length=40, verbose_name="kind")),
                ("currency", models.CharField(max_length=3, verbose_name="currency")),
                ("amount_cents", models.BigIntegerField(verbose_name="amount (cents)")),
                ("postings", models.PositiveIntegerField(verbose_name="postings")),
                (
                    "from_account",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="payouts.account",
                        verbose_name="from",
                    ),
                ),
                (
                    "to_account",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="payouts.account",
                        verbose_name="to",
                    ),
                ),
            ],
            options={
                "verbose_name": "monthly posting total",
                "verbose_name_plural": "monthly posting totals",
                "ordering": ["month", "from_account", "to_account", "kind"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "from_account", "to_account", "kind"), name="ledger_rollup_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
