"""Fixtures for the open books: a coop with fee income, a member with a payout account, two people in finance."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tests.factories import MemberFactory, UserFactory


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def closed_periods_forgotten() -> Iterator[None]:
    """Each test reads the closed periods afresh (a rolled-back close must not linger in memory)."""
    from payouts.open_books.periods import forget_closed

    forget_closed()
    yield
    forget_closed()


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture
def fee_income(db: Any) -> int:
    """Give the coop €1,000 of income to pay costs from."""
    from payouts import ledger

    ledger.income_record(
        amount_cents=100_000, currency="EUR", provider="bank_transfer", memo="Grant", actor=None, key="test:grant"
    )
    return 100_000


@pytest.fixture
def claimant(db: Any, media: Any) -> Any:
    from payouts.payments.withdrawals import payout_account_set

    user = MemberFactory().user
    payout_account_set(user=user, iban="NL91ABNA0417164300", holder_name="Cla Imant", actor=user)
    return user


@pytest.fixture
def finance(db: Any) -> Any:
    return UserFactory(is_staff=True, staff_roles=["finance"])


@pytest.fixture
def finance_too(db: Any) -> Any:
    return UserFactory(is_staff=True, staff_roles=["finance"])


def png(name: str = "receipt.png") -> SimpleUploadedFile:
    from payouts.open_books.demo import receipt_png

    return SimpleUploadedFile(name, receipt_png(name), content_type="image/png")


@pytest.fixture
def submit(claimant: Any) -> Any:
    """Submit an expense claim as the claimant (keyword arguments override the defaults)."""
    from datetime import date

    from payouts.open_books.services.expenses import expense_submit

    def make(**overrides: Any) -> Any:
        values: dict[str, Any] = {
            "actor": claimant,
            "kind": "claim",
            "category": "travel",
            "description": "Train to the meetup",
            "amount_cents": 6_420,
            "spent_on": date(2026, 11, 3),
            "receipt": png(),
        }
        values.update(overrides)
        return expense_submit(**values)

    return make
