"""Running balances per account (issue 18): the floor check of a money event reads the locked row.

The column starts at the sum of each account's postings, so existing books carry over; from then on
batch_post moves it under the row lock, and ledger_check proves it still equals the postings.
"""

from django.db import migrations, models

INITIALISE = """
UPDATE payouts_account SET running_balance_cents =
    COALESCE((SELECT SUM(p.amount_cents) FROM payouts_posting p WHERE p.to_account_id = payouts_account.id), 0)
    - COALESCE((SELECT SUM(p.amount_cents) FROM payouts_posting p WHERE p.from_account_id = payouts_account.id), 0)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("payouts", "0005_status_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="account",
            name="running_balance_cents",
            field=models.BigIntegerField(default=0, editable=False, verbose_name="balance (cents)"),
        ),
        migrations.RunSQL(INITIALISE, migrations.RunSQL.noop),
    ]
