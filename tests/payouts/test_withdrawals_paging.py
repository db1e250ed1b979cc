"""The earnings page pages through a freelancer's withdrawals: the oldest stay reachable, at a fixed cost."""

from typing import Any

import pytest
from django.urls import reverse

from payouts.models import Withdrawal
from payouts.views.earnings import WITHDRAWALS_PER_PAGE
from tests.queries import settled_queries

pytestmark = pytest.mark.django_db


def _withdrawals(user: Any, first: int, count: int) -> None:
    Withdrawal.objects.bulk_create(
        Withdrawal(
            user=user,
            amount_cents=1_000,
            currency="EUR",
            status=Withdrawal.Status.FAILED,
            iban="NL91ABNA0417164300",
            holder_name="Freelancer",
            failure_reason=f"Reason {n:03d}",
        )
        for n in range(first, first + count)
    )


def test_the_earnings_page_pages_through_every_withdrawal_at_a_fixed_cost(client_for: Any, freelancer: Any) -> None:
    client, url = client_for(freelancer), reverse("payouts:earnings")
    _withdrawals(freelancer, 0, 3)
    few = settled_queries(client, url)
    _withdrawals(freelancer, 3, WITHDRAWALS_PER_PAGE + 2)
    assert settled_queries(client, url) == few

    first = client.get(url).content.decode()
    assert first.count(": Reason ") == WITHDRAWALS_PER_PAGE and "Reason 000" not in first
    assert 'aria-label="Pages of your withdrawals"' in first and 'href="?withdrawals=2" rel="next"' in first
    second = client.get(url, {"withdrawals": 2}).content.decode()
    assert "Reason 000" in second and second.count(": Reason ") == 5
    # The withdrawals' pager keeps the history's place.
    kept = client.get(url, {"page": 1, "withdrawals": 1}).content.decode()
    assert 'href="?page=1&amp;withdrawals=2" rel="next"' in kept
    dutch = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'aria-label="Pagina\'s met je opnames"' in dutch
