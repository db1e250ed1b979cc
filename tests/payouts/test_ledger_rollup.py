"""The monthly posting totals kept at posting time: equal to the postings, and proven so by ledger_check."""

from datetime import UTC, date, datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from payouts.ledger.posting import Leg, batch_post, clearing_account, escrow_account, payable_account
from payouts.ledger.rollup import pair_totals, period_split, rollup_discrepancies, rollup_rebuild
from payouts.models import Batch, Posting, PostingRollup

pytestmark = pytest.mark.django_db


def _at(moment: datetime):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def _rows() -> list[tuple]:
    return sorted(
        PostingRollup.objects.values_list(
            "month", "from_account_id", "to_account_id", "kind", "amount_cents", "postings"
        )
    )


def test_every_event_adds_its_postings_to_their_local_month(freelancer, client_user):
    clearing = clearing_account("bank_transfer", "EUR")
    escrow = escrow_account(contract_id=1, currency="EUR", client_id=client_user.pk, freelancer_id=freelancer.pk)
    payable = payable_account(freelancer.pk, "EUR")
    # 23:30 UTC on 31 January is half past midnight on 1 February in Amsterdam: a February posting.
    with _at(datetime(2026, 1, 31, 22, 0, tzinfo=UTC)):
        batch_post(key="a", kind="fund", legs=[Leg(clearing, escrow, 1_000)], actor=None)
    with _at(datetime(2026, 1, 31, 23, 30, tzinfo=UTC)):
        batch_post(key="b", kind="fund", legs=[Leg(clearing, escrow, 500), Leg(clearing, escrow, 250)], actor=None)
        batch_post(key="b", kind="fund", legs=[Leg(clearing, escrow, 500), Leg(clearing, escrow, 250)], actor=None)
    with _at(datetime(2026, 2, 10, 12, 0, tzinfo=UTC)):
        batch_post(key="c", kind="fund", legs=[Leg(clearing, escrow, 4_000)], actor=None)
        batch_post(key="d", kind="release", legs=[Leg(escrow, payable, 3_000)], actor=None)

    assert _rows() == [
        (date(2026, 1, 1), clearing.pk, escrow.pk, "fund", 1_000, 1),
        (date(2026, 2, 1), clearing.pk, escrow.pk, "fund", 4_750, 3),
        (date(2026, 2, 1), escrow.pk, payable.pk, "release", 3_000, 1),
    ]
    assert rollup_discrepancies() == []
    # Rebuilt from the postings (what migration 0007 does), the rows are the same.
    rollup_rebuild()
    assert _rows()[1] == (date(2026, 2, 1), clearing.pk, escrow.pk, "fund", 4_750, 3)
    assert len(_rows()) == 3


def test_ledger_check_names_a_total_that_differs_from_its_postings(freelancer, client_user, capsys):
    clearing = clearing_account("bank_transfer", "EUR")
    escrow = escrow_account(contract_id=1, currency="EUR", client_id=client_user.pk, freelancer_id=freelancer.pk)
    batch_post(key="a", kind="fund", legs=[Leg(clearing, escrow, 1_000)], actor=None)
    call_command("ledger_check")

    PostingRollup.objects.update(amount_cents=999)
    with pytest.raises(CommandError):
        call_command("ledger_check")
    assert "stored 999 EUR in 1 postings, the postings sum to 1000 EUR in 1 postings" in capsys.readouterr().err


def test_ledger_check_names_postings_no_total_counts(freelancer, client_user, capsys):
    clearing = clearing_account("bank_transfer", "EUR")
    escrow = escrow_account(contract_id=1, currency="EUR", client_id=client_user.pk, freelancer_id=freelancer.pk)
    moment = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    batch = Batch.objects.create(idempotency_key="forged", kind="forged", created_at=moment)
    Posting.objects.create(
        batch=batch, from_account=clearing, to_account=escrow, amount_cents=100, currency="EUR", created_at=moment
    )

    with pytest.raises(CommandError):
        call_command("ledger_check")
    assert "monthly totals 2026-03 forged" in capsys.readouterr().err
    assert "stored nothing, the postings sum to 100 EUR in 1 postings" in "\n".join(rollup_discrepancies())


def test_a_period_sums_whole_months_from_the_totals_and_partial_ones_from_the_postings(freelancer, client_user):
    clearing = clearing_account("bank_transfer", "EUR")
    escrow = escrow_account(contract_id=1, currency="EUR", client_id=client_user.pk, freelancer_id=freelancer.pk)
    days = [(date(2026, 1, 10), 1), (date(2026, 1, 20), 10), (date(2026, 2, 3), 100), (date(2026, 3, 2), 1_000)]
    for day, cents in days:
        with _at(datetime(day.year, day.month, day.day, 12, tzinfo=UTC)):
            batch_post(key=f"k{day}", kind="fund", legs=[Leg(clearing, escrow, cents)], actor=None)

    def total(start: date, end: date) -> int:
        return sum(pair[-1] for pair in pair_totals(start, end, "EUR"))  # the last column: cents

    assert total(date(2026, 1, 1), date(2026, 4, 1)) == 1_111
    assert total(date(2026, 1, 15), date(2026, 3, 2)) == 110
    assert total(date(2026, 1, 15), date(2026, 3, 3)) == 1_110
    assert total(date(2026, 2, 1), date(2026, 3, 1)) == 100
    assert total(date(2026, 1, 11), date(2026, 1, 21)) == 10
    ((_f, from_purpose, _fn, _fu, _fb, _t, to_purpose, _tn, to_user, to_beneficiary, _cents),) = pair_totals(
        date(2026, 1, 1), date(2026, 4, 1), "EUR"
    )
    assert (from_purpose, to_purpose, to_user, to_beneficiary) == (
        "provider_clearing",
        "escrow",
        client_user.pk,
        freelancer.pk,
    )
    # Whole months in the middle, the days around them at either end.
    split = period_split(date(2026, 1, 15), date(2026, 3, 3))
    assert (split.first_month, split.end_month, len(split.edges)) == (date(2026, 2, 1), date(2026, 3, 1), 2)
