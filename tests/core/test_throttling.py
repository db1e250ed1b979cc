"""The API's rate limits: the token endpoint per client address, and writes per account."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"


@contextmanager
def rates(*, login: str = "100000/min", write: str = "100000/min") -> Iterator[None]:
    """Set low rates for a test; the counts live in the cache, so start from an empty one."""
    cache.clear()
    chosen = {"login": login, "write": write}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": chosen}):
        yield
    cache.clear()


def test_the_token_endpoint_answers_429_after_its_rate_even_to_the_right_password() -> None:
    UserFactory(email="ada@example.org")
    api = APIClient()
    with rates(login="3/min"):
        guesses = [api.post(TOKEN, {"email": "ada@example.org", "password": f"guess-{i}"}) for i in range(3)]
        right = api.post(TOKEN, {"email": "ada@example.org", "password": "correct-horse-battery"})

    assert [r.json()["code"] for r in guesses] == ["bad_credentials"] * 3
    assert right.status_code == 429
    assert right.json()["code"] == "throttled"
    assert set(right.json()) == {"code", "message", "detail"}
    assert 0 < int(right["Retry-After"]) <= 60


def test_the_token_limit_counts_per_client_address() -> None:
    UserFactory(email="ada@example.org")
    with rates(login="3/min"):
        for _ in range(3):
            APIClient(REMOTE_ADDR="203.0.113.7").post(TOKEN, {"email": "ada@example.org", "password": "guess"})
        elsewhere = APIClient(REMOTE_ADDR="198.51.100.9").post(
            TOKEN, {"email": "ada@example.org", "password": "correct-horse-battery"}
        )

    assert elsewhere.status_code == 200 and elsewhere.json()["token"]


def test_writes_are_limited_per_account_and_reads_are_not() -> None:
    user, other = UserFactory(), UserFactory()
    api, someone_else = APIClient(), APIClient()
    api.force_authenticate(user)
    someone_else.force_authenticate(other)
    bad_account = {"iban": "NL00X", "holder_name": "Ada"}
    with rates(write="2/min"):
        writes = [api.post(reverse("api-money-payout-account-set"), bad_account, format="json") for _ in range(3)]
        read = api.get(reverse("api-money-balance"))
        other_write = someone_else.post(reverse("api-money-payout-account-set"), bad_account, format="json")

    assert [r.status_code for r in writes] == [400, 400, 429]
    assert writes[2].json()["code"] == "throttled"
    assert read.status_code == 200
    assert other_write.status_code == 400
