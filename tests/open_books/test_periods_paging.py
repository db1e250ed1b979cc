"""The financial years page lists every year, a page at a time, at the same cost however many there are."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from payouts.open_books.models import AccountingPeriod
from payouts.open_books.views.accounts import PERIODS_PER_PAGE
from tests.queries import settled_queries

pytestmark = pytest.mark.django_db


def _years(first: int, count: int) -> None:
    AccountingPeriod.objects.bulk_create(
        AccountingPeriod(year=year, start=date(year, 1, 1), end=date(year + 1, 1, 1), status="closed")
        for year in range(first, first + count)
    )


def test_every_financial_year_stays_reachable_at_a_fixed_cost(client_for: Any, finance: Any) -> None:
    client, url = client_for(finance), reverse("open_books:periods")
    _years(1970, 3)
    few = settled_queries(client, url)
    _years(1973, PERIODS_PER_PAGE + 2)
    assert settled_queries(client, url) == few

    oldest, newest = (f'href="{reverse("open_books:accounts", args=[y])}"' for y in (1970, 1974 + PERIODS_PER_PAGE))
    first = client.get(url).content.decode()
    assert oldest not in first and newest in first
    assert 'aria-label="Pages of financial years"' in first and 'href="?periods=2" rel="next"' in first
    second = client.get(url, {"periods": 2}).content.decode()
    assert oldest in second and f'href="{reverse("open_books:accounts", args=[1975])}"' not in second
    assert 'aria-label="Pagina\'s met boekjaren"' in client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
