"""Fixtures for the ledger and payments tests."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from core.ports import PAYMENT_PURPOSES, register_payment_purpose
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Run each test in English, whatever language an earlier request left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def freelancer(db: Any) -> Any:
    return UserFactory(is_freelancer=True)


@pytest.fixture
def client_user(db: Any) -> Any:
    return UserFactory(is_client=True)


@pytest.fixture
def paid_calls() -> Iterator[list[Any]]:
    """Register a "test_purpose" payment purpose whose handler records each call."""
    calls: list[Any] = []
    register_payment_purpose("test_purpose", calls.append)
    yield calls
    PAYMENT_PURPOSES._items.pop("test_purpose", None)
