"""The demo records the members' share payments by bank transfer, as finance would, once."""

import pytest
from django.core.management import call_command

from core.ports import share_ledger
from membership.models import Member
from membership.services import SHARE_PURPOSE
from payouts.models import BankPayment, PaymentRequest

pytestmark = pytest.mark.django_db


def test_the_demo_pays_every_share_request_by_bank_transfer_once() -> None:
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    requests = PaymentRequest.objects.filter(purpose=SHARE_PURPOSE)
    assert requests.exists()
    assert set(requests.values_list("status", flat=True)) == {PaymentRequest.Status.PAID}
    assert BankPayment.objects.filter(bank_transaction_id__startswith="DEMO-SHARE-").count() == requests.count()
    applicant = Member.objects.get(user__email="farid@example.org")
    assert applicant.status == Member.Status.APPLICANT
    assert applicant.share_paid_at is not None
    for member in Member.objects.select_related("member_class"):
        capital = share_ledger.get().member_capital(
            member_id=member.pk, user_id=member.user_id, currency=member.member_class.currency
        )
        assert [m.kind for m in capital.movements if m.kind == "share_purchase"] == ["share_purchase"]
        assert capital.shares_cents == member.member_class.share_total_cents
