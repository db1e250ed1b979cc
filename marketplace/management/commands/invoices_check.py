"""Prove the invoices: every paid milestone has its invoices and their totals equal the ledger's."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.money import Money
from marketplace.tax.invoice_check import invoice_report


class Command(BaseCommand):
    help = (
        "Check that every milestone the ledger released (or settled in a dispute) has its self-billed work "
        "invoice and its fee invoice, every release reversal its credit notes, that each document's total "
        "equals what the ledger moved, and that no document names a batch that paid no milestone. Exits "
        "non-zero with the list of discrepancies."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = invoice_report()
        if not report.ok:
            for line in report.discrepancies:
                self.stderr.write(f"  - {line}")
            raise CommandError(f"The invoices have {len(report.discrepancies)} discrepancies (listed above).")
        totals = ", ".join(Money(cents, currency).format("en") for currency, cents in report.released_cents.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Invoices OK: {report.invoices} documents for {report.batches} ledger payments; "
                f"released and invoiced: {totals or 'nothing'}"
                + (
                    f"; {len(report.without_milestone)} ledger payments name no milestone the marketplace holds "
                    "(posted straight to the ledger) and have no invoice."
                    if report.without_milestone
                    else "."
                )
            )
        )
