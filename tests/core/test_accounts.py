import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.permissions import has_verified_email
from membership.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new@example.org",
    "display_name": "New Person",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
    "is_freelancer": "on",
}


def confirmation_link(message: str) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", message)
    assert match, message
    return match.group(1)


def test_sign_up_sends_a_verification_link_that_verifies_the_address(client: Client) -> None:
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert user.display_name == "New Person"
    assert user.is_freelancer and not user.is_client
    assert not has_verified_email(user)
    assert len(mail.outbox) == 1
    link = confirmation_link(mail.outbox[0].body)
    assert client.get(link).status_code == 200
    client.post(link)
    assert EmailAddress.objects.get(user=user).verified


def test_sign_up_with_mismatched_passwords_changes_nothing(client: Client) -> None:
    response = client.post(reverse("account_signup"), {**SIGNUP, "password2": "something-else-entirely"})
    assert response.status_code == 200
    assert "You must type the same password each time." in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()
    assert mail.outbox == []


def test_sign_up_in_dutch_gets_dutch_errors(client: Client) -> None:
    client.cookies["django_language"] = "nl"
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "not-an-email"})
    assert "Voer een geldig e-mailadres in." in response.content.decode()


def test_login_and_logout(client: Client) -> None:
    UserFactory(email="ada@example.org")
    response = client.post(reverse("account_login"), {"login": "ada@example.org", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_login_with_a_wrong_password_is_refused_with_a_clear_message(client: Client) -> None:
    UserFactory(email="ada@example.org")
    response = client.post(reverse("account_login"), {"login": "ada@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_two_factor_with_totp_is_required_at_login_once_activated(client: Client) -> None:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    user = UserFactory(email="ada@example.org")
    client.force_login(user)
    # Turning two-factor on asks for the password again first.
    client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery"})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()

    fresh = Client()
    response = fresh.post(reverse("account_login"), {"login": "ada@example.org", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert fresh.get(reverse("dashboard")).status_code == 302
