"""The proof behind `manage.py invoices_check`: every paid milestone has its invoices, and their
totals equal what the ledger moved.

For each release or dispute settlement the ledger posted, the self-billed work invoice's total must
be the amount released (the seller's part plus the fee) and the coop's fee invoice the fee; for each
release reversal, the credit notes must be the same amounts. Lives in the marketplace because it
reads invoices (payouts may not import the marketplace); the ledger side is the same selector as the
yearly statement and the DAC7 report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from marketplace.selectors.tax import seller_activities


@dataclass
class InvoiceCheckReport:
    discrepancies: list[str] = field(default_factory=list)
    batches: int = 0
    invoices: int = 0
    released_cents: dict[str, int] = field(default_factory=dict)
    # Ledger payments whose milestone the marketplace does not hold (the payout cycles' demo posts
    # such events straight to the ledger): nothing can be invoiced for them, so they are counted
    # and named, not failed.
    without_milestone: list[int] = field(default_factory=list)
    invoiced_cents: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.discrepancies


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
END = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


def invoice_report(*, currencies: list[str] | None = None) -> InvoiceCheckReport:
    """Check every paid milestone's invoices against the ledger and return what is wrong, if anything."""
    from marketplace.models import Milestone
    from marketplace.models.invoices import Invoice

    report = InvoiceCheckReport()
    documents: dict[tuple[int, str], list[Invoice]] = defaultdict(list)
    for invoice in Invoice.objects.only("pk", "number", "kind", "gross_cents", "currency", "ledger_batch_id"):
        documents[(invoice.ledger_batch_id, invoice.kind)].append(invoice)
        report.invoices += 1
    if currencies is None:
        currencies = sorted({inv.currency for group in documents.values() for inv in group} | {_default()})
    expected_keys: set[tuple[int, str]] = set()
    for currency in currencies:
        released = invoiced = 0
        activities = seller_activities(start=EPOCH, end=END, currency=currency)
        known = set(
            Milestone.objects.filter(pk__in={a.milestone_id for a in activities if a.milestone_id}).values_list(
                "pk", flat=True
            )
        )
        for activity in activities:
            if activity.milestone_id not in known:
                report.without_milestone.append(activity.batch_id)
                continue
            report.batches += 1
            work, fee = (
                (Invoice.Kind.WORK_CREDIT, Invoice.Kind.FEE_CREDIT)
                if activity.reversal
                else (Invoice.Kind.WORK, Invoice.Kind.FEE)
            )
            event = "reversal" if activity.reversal else "release"
            label = f"milestone {activity.milestone_id} ({event}, batch {activity.batch_id})"
            for kind, cents in ((work, abs(activity.gross_cents)), (fee, abs(activity.fee_cents))):
                if cents == 0:
                    continue
                expected_keys.add((activity.batch_id, kind))
                found = documents.get((activity.batch_id, kind), [])
                if not found:
                    report.discrepancies.append(f"{label}: no {kind} document")
                    continue
                total = sum(inv.gross_cents for inv in found)
                if total != cents:
                    numbers = ", ".join(inv.number for inv in found)
                    report.discrepancies.append(
                        f"{label}: {kind} {numbers} totals {total}, the ledger moved {cents} {currency}"
                    )
            sign = -1 if activity.reversal else 1
            released += sign * abs(activity.gross_cents)
            invoiced += sign * sum(inv.gross_cents for inv in documents.get((activity.batch_id, work), []))
        report.released_cents[currency] = released
        report.invoiced_cents[currency] = invoiced
        if released != invoiced:
            report.discrepancies.append(
                f"{currency}: work invoices less credit notes total {invoiced}, the ledger released {released}"
            )
    stray = sorted(set(documents) - expected_keys)
    for batch_id, kind in stray:
        numbers = ", ".join(inv.number for inv in documents[(batch_id, kind)])
        report.discrepancies.append(f"{kind} {numbers}: names ledger batch {batch_id}, which paid no milestone")
    return report


def _default() -> str:
    from core.money import default_currency

    return default_currency()
