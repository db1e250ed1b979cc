"""A withdrawal paid out tells the freelancer, in the app and by email; its batch keeps its history."""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Notification
from payouts.models import Withdrawal, WithdrawalBatch
from payouts.notifications import PAYOUT_SENT
from payouts.payments.withdrawals import (
    payout_account_set,
    withdrawal_batch_create,
    withdrawal_batch_settle,
    withdrawal_create,
    withdrawal_fail,
)
from tests.payouts.ledger_helpers import fund_and_release

pytestmark = pytest.mark.django_db

IBAN = "NL91ABNA0417164300"


@pytest.fixture
def requested(freelancer: Any, client_user: Any) -> Withdrawal:
    fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=20_000, fee="0")
    payout_account_set(user=freelancer, iban=IBAN, holder_name="Ada", actor=freelancer)
    return withdrawal_create(user=freelancer, amount_cents=5_000, actor=freelancer)


def test_a_settled_batch_tells_each_freelancer_their_payout_was_sent(
    requested: Withdrawal,
    freelancer: Any,
    staff: Any,
    second_staff: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    batch = withdrawal_batch_create(actor=staff, execution_date=timezone.localdate())

    with django_capture_on_commit_callbacks(execute=True):
        withdrawal_batch_settle(batch_id=batch.pk, actor=second_staff)

    notice = Notification.objects.get(user=freelancer, kind=PAYOUT_SENT)
    assert notice.data == {"amount": "€50.00", "account_end": "4300"}
    assert notice.url == "/money/earnings/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [freelancer.email]
    assert "We paid €50.00 out to your account ending in 4300." in mail.outbox[0].subject


def test_a_failed_withdrawal_sends_no_payout_notice(requested: Withdrawal, staff: Any) -> None:
    withdrawal_fail(withdrawal_id=requested.pk, reason="Account closed", actor=staff)

    assert not Notification.objects.filter(kind=PAYOUT_SENT).exists()


def test_a_batch_keeps_the_history_of_its_status(requested: Withdrawal, staff: Any, second_staff: Any) -> None:
    batch = withdrawal_batch_create(actor=staff, execution_date=timezone.localdate() + datetime.timedelta(days=1))
    WithdrawalBatch.objects.filter(pk=batch.pk).update(execution_date=timezone.localdate())

    withdrawal_batch_settle(batch_id=batch.pk, actor=second_staff)

    history = [(c.from_status, c.to_status, c.actor) for c in batch.status_changes.all()]
    assert history == [("", "exported", staff), ("exported", "settled", second_staff)]
    requested.refresh_from_db()
    assert [c.to_status for c in requested.status_changes.all()] == ["requested", "exported", "settled"]
