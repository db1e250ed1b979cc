"""Done-when: on the demo data, invoices_export writes documents that all pass the EN 16931 validator,
with gapless numbers per issuer, and index.csv's totals equal the ledger's released and refunded amounts."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from marketplace.models import Invoice, Milestone
from payouts.models import AccountPurpose, Batch, Posting
from tests.en16931 import fatal_failures, need_validator

pytestmark = pytest.mark.django_db


def _cents(value: str) -> int:
    return int(Decimal(value) * 100)


def _ledger(kind: str, *, to: tuple[str, ...]) -> int:
    """What the ledger moved for the marketplace's milestones. The payout cycles' demo also posts
    ledger-only releases for past months (milestone ids from 9,000,000,000, no milestone rows):
    there is no milestone, contract or party to invoice, so they are left out on both sides."""
    milestones = {f"milestone:{pk}:" for pk in Milestone.objects.values_list("pk", flat=True)}
    postings = Posting.objects.filter(batch__kind=kind, to_account__purpose__in=to).values_list(
        "batch__idempotency_key", "amount_cents"
    )
    return sum(amount for key, amount in postings if key[: key.rindex(":") + 1] in milestones)


def test_the_demo_periods_export_validates_numbers_without_gaps_and_matches_the_ledger(tmp_path: Path) -> None:
    need_validator()
    call_command("seed_demo", verbosity=0)
    call_command("invoices_export", "--from", "2000-01-01", "--to", "2099-12-31", "--out", str(tmp_path))
    with (tmp_path / "index.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == Invoice.objects.count()
    kinds = {row["kind"] for row in rows}
    assert {"work", "fee", "work_credit", "fee_credit"} <= kinds
    categories = set(Invoice.objects.values_list("lines__vat_category", flat=True))
    assert {"S", "E", "AE"} <= categories  # standard rate, the KOR freelancer, the Belgian client

    for row in rows:
        assert (tmp_path / f"{row['number']}.pdf").read_bytes().startswith(b"%PDF-")
        assert fatal_failures((tmp_path / f"{row['number']}.xml").read_bytes()) == [], row["number"]

    sequences: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in rows:
        prefix, year, sequence = row["number"].rsplit("-", 2)
        sequences[(prefix, year)].append(int(sequence))
    for numbers in sequences.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))

    def total(*kinds: str) -> int:
        return sum(_cents(row["gross"]) for row in rows if row["kind"] in kinds)

    released = _ledger("escrow_release", to=(AccountPurpose.PAYABLE, AccountPurpose.FEE_INCOME)) + _ledger(
        "dispute_settle", to=(AccountPurpose.PAYABLE, AccountPurpose.FEE_INCOME)
    )
    fees = _ledger("escrow_release", to=(AccountPurpose.FEE_INCOME,)) + _ledger(
        "dispute_settle", to=(AccountPurpose.FEE_INCOME,)
    )
    refunded = _ledger("release_reversal", to=(AccountPurpose.PROVIDER_CLEARING,))
    assert total("work") == released
    assert total("fee") == fees
    assert -total("work_credit") == refunded
    assert Batch.objects.filter(kind="release_reversal").count() == 1
