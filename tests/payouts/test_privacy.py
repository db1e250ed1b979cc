"""Account deletion waits until the coop has paid out what it owes; payout data is erased or kept by rule."""

from typing import Any

import pytest
from django.utils import translation

from core.exceptions import Conflict
from membership.services import account_delete
from payouts.models import PayoutAccount, Withdrawal
from payouts.payments.withdrawals import (
    payout_account_set,
    withdrawal_batch_create,
    withdrawal_batch_settle,
    withdrawal_create,
)
from tests.payouts.ledger_helpers import fund_and_release

pytestmark = pytest.mark.django_db

IBAN = "NL91ABNA0417164300"


@pytest.fixture
def earning(freelancer: Any, client_user: Any) -> Any:
    """A freelancer with €90.00 earned (€100.00 released, 10% fee) and a payout account."""
    fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=10_000)
    payout_account_set(user=freelancer, iban=IBAN, holder_name=freelancer.display_name, actor=freelancer)
    return freelancer


def test_deleting_an_account_with_earnings_not_paid_out_is_refused(earning: Any) -> None:
    with pytest.raises(Conflict) as refused:
        account_delete(user=earning, actor=earning)
    assert refused.value.code == "account_deletion_blocked"
    assert refused.value.message == (
        "You still have €90.00 in earnings that we have not paid out to you. Withdraw it first; "
        "once it has been paid out you can delete your account."
    )


def test_deleting_an_account_with_a_withdrawal_not_yet_paid_is_refused_in_dutch_too(earning: Any) -> None:
    withdrawal_create(user=earning, amount_cents=9_000, actor=earning)
    with translation.override("nl"), pytest.raises(Conflict) as refused:
        account_delete(user=earning, actor=earning)
    assert refused.value.message == (
        "We hebben je opname nog niet uitbetaald. Je kunt je account verwijderen zodra die is betaald, "
        "zodat we nog weten waar het geld heen moet."
    )


def test_once_paid_out_deletion_drops_the_payout_account_and_keeps_the_withdrawal_under_the_pseudonym(
    second_staff: Any, earning: Any, staff: Any
) -> None:
    name = earning.display_name
    withdrawal = withdrawal_create(user=earning, amount_cents=9_000, actor=earning)
    withdrawal_batch_settle(batch_id=withdrawal_batch_create(actor=staff).pk, actor=second_staff)
    account_delete(user=earning, actor=earning)
    withdrawal.refresh_from_db()
    assert not PayoutAccount.objects.filter(user=earning).exists()
    assert (withdrawal.status, withdrawal.amount_cents, withdrawal.iban) == (Withdrawal.Status.SETTLED, 9_000, IBAN)
    assert withdrawal.holder_name == f"Former user {earning.pk}" != name
