"""The earnings history speaks of what happened to the freelancer, not of ledger accounts."""

from django.utils import translation

from payouts.earnings import _changes, _describe
from payouts.models import Account, AccountPurpose, Batch, Posting

USER = 7


def _posting(kind, source, target, amount=10_000, data=None):
    batch = Batch(kind=kind, data=data or {}, memo="Milestone 9000000001 released")
    return Posting(batch=batch, from_account=source, to_account=target, amount_cents=amount, currency="EUR")


ESCROW = Account(purpose=AccountPurpose.ESCROW, beneficiary_id=USER, currency="EUR")
PAYABLE = Account(purpose=AccountPurpose.PAYABLE, owner_type="user", owner_id=str(USER), currency="EUR")
PENDING = Account(purpose=AccountPurpose.PAYOUT_PENDING, owner_type="user", owner_id=str(USER), currency="EUR")
CLEARING = Account(purpose=AccountPurpose.PROVIDER_CLEARING, currency="EUR")
FEES = Account(purpose=AccountPurpose.FEE_INCOME, currency="EUR")


def test_each_movement_reads_as_what_happened_in_both_languages():
    titles = {5: "Draft text"}
    funded = _posting("escrow_fund", CLEARING, ESCROW, data={"milestone_id": 5})
    released = _posting("escrow_release", ESCROW, PAYABLE, data={"milestone_id": 5})
    fee = _posting("escrow_release", ESCROW, FEES, data={"milestone_id": 5})
    paid = _posting("withdrawal_settle", PENDING, CLEARING)
    with translation.override("en"):
        assert _describe(funded, USER, titles) == "Client paid milestone “Draft text” into escrow"
        assert _describe(released, USER, titles) == "Milestone “Draft text” released to you"
        assert _describe(fee, USER, titles) == "The coop's fee on milestone “Draft text”"
        assert _describe(paid, USER, titles) == "Paid to your bank account"
    with translation.override("nl"):
        assert "Draft text" in _describe(released, USER, titles)
        assert "vrijgegeven" in _describe(released, USER, titles)
        assert _describe(paid, USER, titles) == "Uitbetaald op je bankrekening"


def test_movements_change_the_right_columns():
    assert _changes(_posting("escrow_fund", CLEARING, ESCROW), USER)["in_escrow"] == 10_000
    release = _changes(_posting("escrow_release", ESCROW, PAYABLE), USER)
    assert (release["in_escrow"], release["available"]) == (-10_000, 10_000)
    settle = _changes(_posting("withdrawal_settle", PENDING, CLEARING), USER)
    assert (settle["pending_withdrawal"], settle["paid_out"]) == (-10_000, 10_000)
