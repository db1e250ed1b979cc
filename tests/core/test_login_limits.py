"""Guessing passwords and codes: the client's address, and back-off per account and per address on every way in."""

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from core import limits
from core.http import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"
PASSWORD = "correct-horse-battery"
SECRET = "JBSWY3DPEHPK3PXP"
ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.9"


class Clock:
    """The limiter's clock, frozen; tests move it instead of sleeping."""

    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    frozen = Clock()
    monkeypatch.setattr(limits, "now", lambda: frozen.now)
    yield frozen


def totp_code() -> str:
    return format_hotp_value(hotp_value(SECRET, next(yield_hotp_counters_from_time())))


def page_login(client: Client, email: str, password: str) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password})


# The client's address


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "1.2.3.4", ATTACKER),
        (0, "", ATTACKER),
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "9.9.9.9, 1.2.3.4", "1.2.3.4"),
        (2, "9.9.9.9, 1.2.3.4, 10.0.0.2", "1.2.3.4"),
        (2, "1.2.3.4", ATTACKER),
        (1, "not-an-address", ATTACKER),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_takes_x_forwarded_for_only_from_trusted_proxies(
    trusted: int, forwarded: str, expected: str
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=trusted):
        assert client_ip(request) == expected


def test_allauth_uses_the_same_client_address() -> None:
    from allauth.account.adapter import get_adapter

    request = RequestFactory().get("/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert get_adapter(request).get_client_ip(request) == ATTACKER


def test_the_api_rate_limit_ignores_a_forged_x_forwarded_for() -> None:
    from django.conf import settings

    UserFactory(email="ada@example.org")
    api = APIClient(REMOTE_ADDR=ATTACKER)
    rates = {"login": "3/min", "write": "100000/min"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        answers = [
            api.post(TOKEN, {"email": "ada@example.org", "password": f"guess-{i}"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
            for i in range(4)
        ]
    assert [r.status_code for r in answers] == [400, 400, 400, 429]


# The done-when: rotating X-Forwarded-For gains nothing, the owner still gets in


def test_a_hundred_token_guesses_with_rotating_forwarded_addresses_are_slowed_and_the_owner_still_gets_in(
    clock: Clock,
) -> None:
    UserFactory(email="ada@example.org")
    api = APIClient(REMOTE_ADDR=ATTACKER)
    answers = [
        api.post(
            TOKEN,
            {"email": "ada@example.org", "password": f"guess-{i}"},
            HTTP_X_FORWARDED_FOR=f"10.{i // 250}.{i % 250}.1",
        )
        for i in range(100)
    ]
    statuses = [r.status_code for r in answers]
    free = limits.LOGIN_ACCOUNT.free
    assert statuses == [400] * free + [429] * (100 - free)
    refused = answers[-1]
    assert refused.json()["code"] == "throttled"
    assert set(refused.json()) == {"code", "message", "detail"}
    assert refused.json()["message"] == "Too many failed attempts. Wait 30 seconds and try again."
    assert refused["Retry-After"] == str(limits.LOGIN_ACCOUNT.first_wait)

    # The right password, from a fresh forged address, still waits out the back-off.
    right = api.post(TOKEN, {"email": "ada@example.org", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert right.status_code == 429
    assert 0 < int(right["Retry-After"]) <= limits.LOGIN_ACCOUNT.first_wait

    # Once it has passed, the owner logs in on the page from another address.
    clock.advance(limits.LOGIN_ACCOUNT.first_wait)
    owner = Client(REMOTE_ADDR=ELSEWHERE)
    response = page_login(owner, "ada@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_each_further_failure_doubles_the_wait_up_to_the_cap(clock: Clock) -> None:
    UserFactory(email="ada@example.org")
    api = APIClient(REMOTE_ADDR=ATTACKER)
    for i in range(limits.LOGIN_ACCOUNT.free):
        api.post(TOKEN, {"email": "ada@example.org", "password": f"guess-{i}"})
    waits = []
    for i in range(8):
        refused = api.post(TOKEN, {"email": "ada@example.org", "password": "again"})
        waits.append(int(refused["Retry-After"]))
        clock.advance(waits[-1])
        assert api.post(TOKEN, {"email": "ada@example.org", "password": f"late-guess-{i}"}).status_code == 400
    assert waits == [30, 60, 120, 240, 480, 900, 900, 900]


def test_a_success_clears_the_accounts_failures(clock: Clock) -> None:
    UserFactory(email="ada@example.org")
    api = APIClient(REMOTE_ADDR=ELSEWHERE)
    for i in range(limits.LOGIN_ACCOUNT.free - 1):
        api.post(TOKEN, {"email": "ada@example.org", "password": f"typo-{i}"})
    assert api.post(TOKEN, {"email": "ada@example.org", "password": PASSWORD}).status_code == 200
    free = limits.LOGIN_ACCOUNT.free
    typos = [api.post(TOKEN, {"email": "ada@example.org", "password": "typo"}) for _ in range(free)]
    assert [r.status_code for r in typos] == [400] * free


def test_the_account_is_one_whatever_case_or_spaces_the_email_is_typed_in(clock: Clock) -> None:
    UserFactory(email="ada@example.org")
    api = APIClient(REMOTE_ADDR=ATTACKER)
    spellings = ["ada@example.org", "ADA@example.org", "Ada@Example.org", "ada@EXAMPLE.ORG", "aDa@example.org"]
    for spelling in spellings:
        api.post(TOKEN, {"email": spelling, "password": "guess"})
    assert api.post(TOKEN, {"email": "ada@example.ORG", "password": PASSWORD}).status_code == 429


def test_an_unknown_account_is_slowed_exactly_as_a_known_one(clock: Clock) -> None:
    UserFactory(email="ada@example.org")

    def guesses(email: str) -> list[tuple[int, dict[str, Any], str | None]]:
        api = APIClient(REMOTE_ADDR=ATTACKER)
        answers = [api.post(TOKEN, {"email": email, "password": "guess"}) for _ in range(7)]
        return [(r.status_code, r.json(), r.get("Retry-After")) for r in answers]

    assert guesses("ada@example.org") == guesses("nobody@example.org")


# A shared address is not blocked for everyone


def test_many_accounts_failing_once_each_behind_one_address_do_not_block_a_new_accounts_right_password(
    clock: Clock,
) -> None:
    office = APIClient(REMOTE_ADDR=ATTACKER)
    colleagues = [UserFactory() for _ in range(30)]
    for colleague in colleagues:
        assert office.post(TOKEN, {"email": colleague.email, "password": "typo"}).status_code == 400
    UserFactory(email="new@example.org")
    assert office.post(TOKEN, {"email": "new@example.org", "password": PASSWORD}).status_code == 200
    assert page_login(Client(REMOTE_ADDR=ATTACKER), colleagues[0].email, PASSWORD).status_code == 302


def test_an_address_spraying_guesses_over_many_accounts_is_slowed_but_other_addresses_are_not(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "LOGIN_ADDRESS", limits.Backoff("login-address", 4, 2, 300, 3600))
    UserFactory(email="ada@example.org")
    sprayer = APIClient(REMOTE_ADDR=ATTACKER)
    answers = [sprayer.post(TOKEN, {"email": f"person{i}@example.org", "password": "123456"}) for i in range(6)]
    assert [r.status_code for r in answers] == [400, 400, 400, 400, 429, 429]
    # The account itself failed nowhere, so its owner elsewhere is not slowed.
    elsewhere = APIClient(REMOTE_ADDR=ELSEWHERE).post(TOKEN, {"email": "ada@example.org", "password": PASSWORD})
    assert elsewhere.status_code == 200


# The token endpoint never confirms a password


def test_the_token_endpoint_answers_a_right_password_without_the_second_factor_as_a_wrong_one(clock: Clock) -> None:
    user = UserFactory(email="ada@example.org")
    TOTP.activate(user, SECRET)
    api = APIClient(REMOTE_ADDR=ELSEWHERE)
    wrong_password = api.post(TOKEN, {"email": "ada@example.org", "password": "wrong"})
    no_code = api.post(TOKEN, {"email": "ada@example.org", "password": PASSWORD})
    wrong_code = api.post(TOKEN, {"email": "ada@example.org", "password": PASSWORD, "code": "000000"})
    wrong_password_with_code = api.post(TOKEN, {"email": "ada@example.org", "password": "wrong", "code": totp_code()})
    answers = [wrong_password, no_code, wrong_code, wrong_password_with_code]
    assert {(r.status_code, r.content) for r in answers} == {
        (
            400,
            b'{"code":"bad_credentials","message":"The email address, password or two-factor code is not correct.",'
            b'"detail":{}}',
        )
    }
    right = api.post(TOKEN, {"email": "ada@example.org", "password": PASSWORD, "code": totp_code()})
    assert right.status_code == 200 and right.json()["token"]


def test_the_token_endpoint_slows_code_guesses_without_telling_the_password_was_right(clock: Clock) -> None:
    user = UserFactory(email="ada@example.org")
    TOTP.activate(user, SECRET)
    api = APIClient(REMOTE_ADDR=ELSEWHERE)
    for i in range(limits.MFA_ACCOUNT.free - 1):
        api.post(TOKEN, {"email": "ada@example.org", "password": PASSWORD, "code": f"{i:06d}"})
    # The password alone on the login page clears the account's password count, not its code
    # count, so interleaving page logins buys no more code guesses.
    assert page_login(Client(REMOTE_ADDR=ELSEWHERE), "ada@example.org", PASSWORD).status_code == 302
    api.post(TOKEN, {"email": "ada@example.org", "password": PASSWORD, "code": "999999"})
    refused = api.post(TOKEN, {"email": "ada@example.org", "password": PASSWORD, "code": totp_code()})
    assert refused.status_code == 400
    assert refused.json()["code"] == "bad_credentials"
    clock.advance(limits.MFA_ACCOUNT.first_wait)
    assert api.post(TOKEN, {"email": "ada@example.org", "password": PASSWORD, "code": totp_code()}).status_code == 200


# The login page and the two-factor step


def test_the_login_page_slows_guesses_with_a_message_and_lets_the_owner_in_after_the_wait(clock: Clock) -> None:
    UserFactory(email="ada@example.org")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for i in range(limits.LOGIN_ACCOUNT.free):
        response = page_login(attacker, "ada@example.org", f"guess-{i}")
        assert "The email address and/or password you specified are not correct." in response.content.decode()
    refused = page_login(attacker, "ada@example.org", PASSWORD)
    assert refused.status_code == 200
    assert "Too many failed attempts. Wait 30 seconds and try again." in refused.content.decode()
    owner = Client(REMOTE_ADDR=ELSEWHERE)
    assert page_login(owner, "ada@example.org", PASSWORD).status_code == 200
    clock.advance(limits.LOGIN_ACCOUNT.first_wait)
    assert page_login(owner, "ada@example.org", PASSWORD).status_code == 302


def test_the_login_page_and_the_token_endpoint_share_the_accounts_count(clock: Clock) -> None:
    UserFactory(email="ada@example.org")
    page = Client(REMOTE_ADDR=ATTACKER)
    api = APIClient(REMOTE_ADDR=ATTACKER)
    for i in range(limits.LOGIN_ACCOUNT.free):
        if i % 2:
            page_login(page, "ada@example.org", f"guess-{i}")
        else:
            api.post(TOKEN, {"email": "ada@example.org", "password": f"guess-{i}"})
    assert api.post(TOKEN, {"email": "ada@example.org", "password": PASSWORD}).status_code == 429


def test_the_login_page_in_dutch_says_how_long_to_wait_in_dutch(clock: Clock) -> None:
    UserFactory(email="ada@example.org")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    attacker.cookies["django_language"] = "nl"
    for i in range(limits.LOGIN_ACCOUNT.free):
        page_login(attacker, "ada@example.org", f"guess-{i}")
    refused = page_login(attacker, "ada@example.org", "again")
    assert "Te veel mislukte pogingen. Wacht 30 seconden en probeer het opnieuw." in refused.content.decode()


def test_the_two_factor_step_slows_code_guesses_and_takes_the_right_code_after_the_wait(clock: Clock) -> None:
    user = UserFactory(email="ada@example.org")
    TOTP.activate(user, SECRET)
    browser = Client(REMOTE_ADDR=ELSEWHERE)
    assert page_login(browser, "ada@example.org", PASSWORD)["Location"] == reverse("mfa_authenticate")
    for i in range(limits.MFA_ACCOUNT.free):
        wrong = browser.post(reverse("mfa_authenticate"), {"code": f"{i:06d}"})
        assert wrong.status_code == 200
    refused = browser.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert "Too many failed attempts. Wait 30 seconds and try again." in refused.content.decode()
    clock.advance(limits.MFA_ACCOUNT.first_wait)
    response = browser.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert browser.get(reverse("dashboard")).status_code == 200


# Password reset requests


def test_password_reset_requests_are_slowed_alike_for_a_known_and_an_unknown_address(clock: Clock) -> None:
    UserFactory(email="ada@example.org")

    def requests(email: str) -> list[tuple[int, str]]:
        browser = Client(REMOTE_ADDR=ELSEWHERE)
        answers = [browser.post(reverse("account_reset_password"), {"email": email}) for _ in range(5)]
        return [(r.status_code, r.get("Location", "")) for r in answers]

    known, unknown = requests("ada@example.org"), requests("nobody@example.org")
    assert known == unknown
    assert [status for status, _ in known] == [302] * limits.RESET_ACCOUNT.free + [200] * 2
    # One email per request let through: the reset link to the owner, the explanation to the stranger.
    assert len(mail.outbox) == 2 * limits.RESET_ACCOUNT.free
    clock.advance(limits.RESET_ACCOUNT.first_wait)
    again = Client(REMOTE_ADDR=ELSEWHERE).post(reverse("account_reset_password"), {"email": "ada@example.org"})
    assert again.status_code == 302


def test_a_refused_reset_request_says_how_long_to_wait(clock: Clock) -> None:
    browser = Client(REMOTE_ADDR=ELSEWHERE)
    for _ in range(limits.RESET_ACCOUNT.free):
        browser.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    refused = browser.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    assert "Too many failed attempts. Wait 1 minute and try again." in refused.content.decode()


# The cache may fail


class BrokenCache:
    def __getattr__(self, name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> Any:
            raise ConnectionError("cache down")

        return fail


def test_logins_work_and_a_warning_is_logged_when_the_cache_fails(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from core.api import throttling

    UserFactory(email="ada@example.org")
    monkeypatch.setattr(limits, "cache", BrokenCache())
    monkeypatch.setattr(throttling.ScopedRateThrottle, "cache", BrokenCache())
    monkeypatch.setattr(throttling.WriteRateThrottle, "cache", BrokenCache())
    with caplog.at_level(logging.WARNING):
        wrong = APIClient().post(TOKEN, {"email": "ada@example.org", "password": "wrong"})
        right = APIClient().post(TOKEN, {"email": "ada@example.org", "password": PASSWORD})
        page = page_login(Client(), "ada@example.org", PASSWORD)
    assert wrong.status_code == 400
    assert right.status_code == 200
    assert page.status_code == 302
    assert "the cache failed" in caplog.text


# Parallel guesses


def test_parallel_guesses_past_the_free_ones_get_one_attempt_per_wait(clock: Clock) -> None:
    # Attempts begun before any of them ended (as parallel requests are) still claim the one
    # attempt each wait allows: the count is taken when an attempt begins, not when it fails.
    request = RequestFactory().post(TOKEN, REMOTE_ADDR=ATTACKER)
    begun = []
    refused = 0
    for _ in range(20):
        try:
            begun.append(limits.login_attempt(request, email="ada@example.org"))
        except limits.TooManyAttempts:
            refused += 1
    assert len(begun) == limits.LOGIN_ACCOUNT.free
    assert refused == 20 - limits.LOGIN_ACCOUNT.free
    for attempt in begun:
        attempt.failed()
    assert cache.get(limits._Key(limits.LOGIN_ACCOUNT, "ada@example.org", limits.ACCOUNT).count_key) == 5
