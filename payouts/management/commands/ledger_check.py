"""Prove the books: every batch balances, balances equal the sums, no floor is broken."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.money import Money
from payouts.ledger.checks import ledger_report


class Command(BaseCommand):
    help = (
        "Check the ledger: every batch balances per currency, account balances equal the sums of their "
        "postings, no account is below its floor, every posting's currency matches its accounts, and each "
        "enabled payment provider reconciles. Exits non-zero with the list of discrepancies."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = ledger_report()
        if not report.ok:
            for line in report.discrepancies:
                self.stderr.write(f"  - {line}")
            raise CommandError(f"The ledger has {len(report.discrepancies)} discrepancies (listed above).")
        held = ", ".join(Money(cents, currency).format("en") for currency, cents in report.held_by_currency.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Ledger OK: {report.batches} batches, {report.postings} postings, {report.accounts} accounts "
                f"balance; cash held with providers: {held or 'none'}."
            )
        )
