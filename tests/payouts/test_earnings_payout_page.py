"""What the earnings payouts page says after a run: one freelancer, or several."""

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from payouts.payments.withdrawals import payout_account_set
from tests.factories import UserFactory
from tests.payouts.ledger_helpers import fund_and_release

pytestmark = pytest.mark.django_db

IBAN = "NL91ABNA0417164300"


def _earning(count: int) -> None:
    for index in range(count):
        person = UserFactory(is_freelancer=True)
        fund_and_release(milestone_id=500 + index, freelancer=person, client=person, amount_cents=5_000, fee="0")
        payout_account_set(user=person, iban=IBAN, holder_name=f"Person {index}", actor=person)


def _run(client_for: Any, staff: Any, language: str = "en") -> list[str]:
    http = client_for(staff)
    http.cookies["django_language"] = language
    response = http.post(reverse("payout_cycles:earnings"))
    assert response.status_code == 302
    with translation.override(language):
        return [str(m) for m in get_messages(response.wsgi_request)]


def test_one_freelancer_in_the_batch_is_singular(client_for: Any, staff: Any) -> None:
    _earning(1)

    assert _run(client_for, staff) == ["1 freelancer is in the payment batch."]


def test_several_freelancers_in_the_batch_are_plural(client_for: Any, staff: Any) -> None:
    _earning(2)

    assert _run(client_for, staff) == ["2 freelancers are in the payment batch."]


def test_the_batch_count_reads_in_dutch(client_for: Any, staff: Any) -> None:
    _earning(1)

    assert _run(client_for, staff, "nl") == ["1 freelancer zit in de betaalbatch."]
