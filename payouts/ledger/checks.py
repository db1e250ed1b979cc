"""The proofs behind `manage.py ledger_check`: the books balance, sums and monthly totals agree, floors hold."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum

from payouts.ledger.selectors import with_balances
from payouts.models import Account, Batch, Posting


@dataclass
class LedgerReport:
    discrepancies: list[str] = field(default_factory=list)
    batches: int = 0
    postings: int = 0
    accounts: int = 0
    held_by_currency: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.discrepancies


def _check_batches(report: LedgerReport) -> None:
    empty = Batch.objects.annotate(n=Count("postings")).filter(n=0).values_list("idempotency_key", flat=True)
    report.discrepancies += [f"batch {key}: has no postings" for key in empty]
    # Each posting takes from one account and gives to another; per batch and currency, what the
    # batch's accounts receive must equal what they give.
    received: defaultdict[tuple[int, str], int] = defaultdict(int)
    for batch_id, currency, total in (
        Posting.objects.values_list("batch_id", "to_account__currency").annotate(total=Sum("amount_cents")).order_by()
    ):
        received[(batch_id, currency)] += total
    given: defaultdict[tuple[int, str], int] = defaultdict(int)
    for batch_id, currency, total in (
        Posting.objects.values_list("batch_id", "from_account__currency").annotate(total=Sum("amount_cents")).order_by()
    ):
        given[(batch_id, currency)] += total
    keys = dict(Batch.objects.values_list("pk", "idempotency_key"))
    for batch_id, currency in sorted(set(received) | set(given)):
        if received[(batch_id, currency)] != given[(batch_id, currency)]:
            report.discrepancies.append(
                f"batch {keys.get(batch_id, batch_id)}: {currency} does not balance "
                f"(in {received[(batch_id, currency)]}, out {given[(batch_id, currency)]})"
            )
    stray_times = Posting.objects.exclude(created_at=F("batch__created_at")).values_list("pk", "batch__idempotency_key")
    report.discrepancies += [f"posting {pk}: time differs from its batch {key}" for pk, key in stray_times]


def _check_currencies(report: LedgerReport) -> None:
    mismatched = Posting.objects.filter(
        ~Q(currency=F("from_account__currency")) | ~Q(currency=F("to_account__currency"))
    ).values_list("pk", "currency", "from_account__currency", "to_account__currency", "batch__idempotency_key")
    report.discrepancies += [
        f"posting {pk} in batch {key}: currency {cur} but accounts in {src} and {dst}"
        for pk, cur, src, dst, key in mismatched
    ]


def _check_balances(report: LedgerReport) -> None:
    inflow = dict(Posting.objects.values_list("to_account_id").annotate(t=Sum("amount_cents")).order_by())
    outflow = dict(Posting.objects.values_list("from_account_id").annotate(t=Sum("amount_cents")).order_by())
    totals: dict[str, int] = defaultdict(int)
    held: dict[str, int] = defaultdict(int)
    for account in with_balances(Account.objects.all()):
        report.accounts += 1
        by_group = inflow.get(account.pk, 0) - outflow.get(account.pk, 0)
        if account.balance_cents != by_group:
            report.discrepancies.append(
                f"account {account}: balance {account.balance_cents} differs from the sum of its postings {by_group}"
            )
        if account.running_balance_cents != account.balance_cents:
            report.discrepancies.append(
                f"account {account}: running balance {account.running_balance_cents} differs from the sum of "
                f"its postings {account.balance_cents}"
            )
        if account.balance_cents < 0 and not account.allow_negative:
            report.discrepancies.append(f"account {account}: below its floor of 0 at {account.balance_cents}")
        totals[account.currency] += account.balance_cents
        if account.purpose == Account.Purpose.PROVIDER_CLEARING:
            held[account.currency] -= account.balance_cents
    for currency, total in sorted(totals.items()):
        if total != 0:
            report.discrepancies.append(f"{currency}: all balances together sum to {total}, not 0")
    report.held_by_currency = dict(sorted(held.items()))


def _check_rollup(report: LedgerReport) -> None:
    from payouts.ledger.rollup import rollup_discrepancies

    report.discrepancies += rollup_discrepancies()


def _check_providers(report: LedgerReport) -> None:
    from payouts.payments.providers import enabled_providers

    for provider in enabled_providers():
        report.discrepancies += [f"{provider.key}: {line}" for line in provider.reconcile()]


def ledger_report() -> LedgerReport:
    """Check the whole ledger and return what is wrong, if anything, with a summary."""
    report = LedgerReport(batches=Batch.objects.count(), postings=Posting.objects.count())
    _check_batches(report)
    _check_currencies(report)
    _check_balances(report)
    _check_rollup(report)
    _check_providers(report)
    return report
