"""The open books' list pages run the same queries however much there is, and read in Dutch."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_expense_list_and_the_transactions_run_fixed_queries(
    submit: Any, finance: Any, client_for: Any, fee_income: int
) -> None:
    from payouts.open_books.services.expenses import expense_approve

    for _ in range(2):
        expense_approve(claim_id=submit().pk, actor=finance)
    page = client_for(finance)
    few = (_queries(page, "/money/expenses/"), _queries(page, "/money/open-books/transactions/"))
    for _ in range(12):
        expense_approve(claim_id=submit().pk, actor=finance)
    assert (_queries(page, "/money/expenses/"), _queries(page, "/money/open-books/transactions/")) == few


def test_the_expense_form_reads_in_dutch(claimant: Any, client_for: Any) -> None:
    page = client_for(claimant)
    page.cookies["django_language"] = "nl"
    text = page.get("/money/expenses/new/").content.decode()
    assert "Een uitgave indienen" in text and "Bonnetje of factuur" in text
