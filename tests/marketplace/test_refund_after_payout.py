"""A refund after release takes the freelancer's part back out of their available balance; when they
have already withdrawn it, the refund is refused with the figures and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from core.exceptions import Conflict
from core.money import Money
from marketplace.exceptions import ErrorCode
from marketplace.models import Contract, Invoice, Milestone
from marketplace.services.refunds import milestone_refund_released, refund_take_back
from payouts.ledger import Batch, freelancer_balances
from tests.marketplace.invoice_helpers import NL_CLIENT, NL_FREELANCER, give_details, release
from tests.marketplace.tax_helpers import give_dac7_details

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(contract: Contract, finance: Any, fund: Any, django_capture_on_commit_callbacks: Any) -> Milestone:
    """A released milestone whose freelancer can withdraw (business, DAC7 and payout details given)."""
    from payouts.payments.withdrawals import payout_account_set

    freelancer = contract.freelancer
    give_details(freelancer, NL_FREELANCER)
    give_details(contract.client, NL_CLIENT, consent=False)
    give_dac7_details(freelancer)
    payout_account_set(user=freelancer, iban="NL91ABNA0417164300", holder_name="Ana de Vries", actor=freelancer)
    return release(contract.milestones.get(position=1), contract, finance, fund, django_capture_on_commit_callbacks)


def _euros(cents: int) -> str:
    return Money(cents, "EUR").format()


def test_a_refund_after_the_freelancer_withdrew_the_money_is_refused_with_the_figures(
    paid: Milestone, finance: Any
) -> None:
    from payouts.payments.withdrawals import withdrawal_create

    freelancer = paid.contract.freelancer
    part = refund_take_back(milestone=paid).freelancer_part_cents
    assert part == freelancer_balances(freelancer.pk, "EUR")["available"] > 10_000
    withdrawal_create(user=freelancer, amount_cents=part - 10_000, actor=freelancer)
    documents = Invoice.objects.count()

    with pytest.raises(Conflict) as refused:
        milestone_refund_released(milestone_id=paid.pk, actor=finance, reason="Work was not usable.")

    assert refused.value.code == ErrorCode.REFUND_EXCEEDS_BALANCE
    name = freelancer.get_full_name() or freelancer.email
    assert refused.value.message == (
        f"{name} has already withdrawn money from this payment: refunding it takes back their {_euros(part)}, "
        f"and their available balance holds {_euros(10_000)}. Nothing was refunded. Agree with them how the "
        f"{_euros(part - 10_000)} they were paid out comes back before refunding the client."
    )
    assert refused.value.detail == {"freelancer_part_cents": part, "available_cents": 10_000}
    paid.refresh_from_db()
    assert paid.status == Milestone.Status.RELEASED
    assert not Batch.objects.filter(kind="release_reversal").exists()
    assert freelancer_balances(freelancer.pk, "EUR")["available"] == 10_000
    assert Invoice.objects.count() == documents


def test_a_refund_the_balance_covers_takes_the_part_back_and_the_page_says_so_first(
    paid: Milestone, finance: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    freelancer = paid.contract.freelancer
    part = refund_take_back(milestone=paid).freelancer_part_cents
    work = Invoice.objects.get(milestone=paid, kind=Invoice.Kind.WORK)
    client.force_login(finance)
    page = client.get(reverse("marketplace:invoice-detail", args=[work.number])).content.decode()
    name = freelancer.get_full_name()
    assert (
        f"The freelancer's part, {_euros(part)}, is taken back from {name}'s available balance, "
        f"which holds {_euros(part)} now."
    ) in page
    assert "Refund the client" in page

    with django_capture_on_commit_callbacks(execute=True):
        milestone_refund_released(milestone_id=paid.pk, actor=finance, reason="Work was not usable.")
    assert freelancer_balances(freelancer.pk, "EUR")["available"] == 0
    assert Invoice.objects.filter(corrects=work).count() == 1


def test_the_invoice_page_warns_and_offers_no_refund_once_the_money_was_withdrawn(
    paid: Milestone, finance: Any, client: Any
) -> None:
    from payouts.payments.withdrawals import withdrawal_create

    freelancer = paid.contract.freelancer
    part = refund_take_back(milestone=paid).freelancer_part_cents
    withdrawal_create(user=freelancer, amount_cents=part, actor=freelancer)
    work = Invoice.objects.get(milestone=paid, kind=Invoice.Kind.WORK)
    client.force_login(finance)
    url = reverse("marketplace:invoice-detail", args=[work.number])
    page = client.get(url).content.decode()
    name = freelancer.get_full_name()
    assert (
        f"{name} has already withdrawn {_euros(part)} of it, so it cannot be refunded here: agree with them how "
        "that money comes back first."
    ) in page
    assert "Refund the client" not in page

    # Posted anyway (an old tab): the page says why and nothing is refunded.
    response = client.post(
        reverse("marketplace:milestone-refund-released", args=[paid.pk]), {"reason": "Not usable."}, follow=True
    )
    assert "has already withdrawn money from this payment" in response.content.decode()
    paid.refresh_from_db()
    assert paid.status == Milestone.Status.RELEASED
