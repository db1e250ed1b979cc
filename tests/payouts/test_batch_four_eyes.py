"""Four eyes on a withdrawal batch: whoever exported it does not also confirm the bank paid it, and the
finance page asks for that confirmation with the batch's count and total before it settles anything."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from core.exceptions import NotAllowed
from payouts.models import Withdrawal, WithdrawalBatch
from payouts.payments.withdrawals import (
    payout_account_set,
    withdrawal_batch_create,
    withdrawal_batch_settle,
    withdrawal_create,
)
from tests.payouts.ledger_helpers import fund_and_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(freelancer: Any, client_user: Any, staff: Any) -> WithdrawalBatch:
    fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=10_000)
    payout_account_set(user=freelancer, iban="NL91ABNA0417164300", holder_name="F. Reelancer", actor=freelancer)
    withdrawal_create(user=freelancer, amount_cents=9_000, actor=freelancer)
    return withdrawal_batch_create(actor=staff)


def test_the_creator_cannot_confirm_their_own_batch_and_nothing_changes(
    batch: WithdrawalBatch, staff: Any, second_staff: Any
) -> None:
    with pytest.raises(NotAllowed) as refused:
        withdrawal_batch_settle(batch_id=batch.pk, actor=staff)
    assert refused.value.code == "batch_same_person"
    batch.refresh_from_db()
    assert batch.status == WithdrawalBatch.Status.EXPORTED
    assert batch.withdrawals.get().status == Withdrawal.Status.EXPORTED
    assert withdrawal_batch_settle(batch_id=batch.pk, actor=second_staff).status == WithdrawalBatch.Status.SETTLED


def test_the_page_confirms_with_count_and_total_then_refuses_the_creator(
    batch: WithdrawalBatch, staff: Any, client_for: Any
) -> None:
    c = client_for(staff)
    url = reverse("payouts:batch_settle", args=[batch.pk])
    page = c.get(url)
    html = page.content.decode().replace("\xa0", " ")
    assert page.status_code == 200
    assert "€90.00" in html and "<dd>1</dd>" in html
    assert WithdrawalBatch.objects.get(pk=batch.pk).status == WithdrawalBatch.Status.EXPORTED
    after = c.post(url, follow=True).content.decode()
    assert "someone else from finance must confirm that the bank paid it" in after
    assert WithdrawalBatch.objects.get(pk=batch.pk).status == WithdrawalBatch.Status.EXPORTED
