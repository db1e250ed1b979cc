"""Sign-up and password reset answer the same whether or not an account has the address; the email explains."""

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from membership.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sign_up(email: str) -> Any:
    return Client().post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": "Someone",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
        follow=True,
    )


def answer(response: Any, typed: str) -> tuple[Any, ...]:
    """Return what the person sees: the redirects, the final page's status and its text.

    The page repeats the address the person typed ("Confirmation email sent to ..."), and the
    CSRF token in its forms is masked afresh on every page; the rest must be the same.
    """
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return response.redirect_chain, response.status_code, text.replace(typed, "<typed address>")


def test_sign_up_answers_the_same_for_a_taken_and_a_free_address() -> None:
    UserFactory(email="ada@example.org", display_name="Ada")
    taken = sign_up("ada@example.org")
    free = sign_up("new@example.org")
    assert answer(taken, "ada@example.org") == answer(free, "new@example.org")
    assert taken.redirect_chain == [(reverse("account_email_verification_sent"), 302)]
    assert "We have sent an email to you for verification" in taken.content.decode()
    assert User.objects.filter(email__iexact="ada@example.org").count() == 1


def test_the_owner_of_a_taken_address_gets_an_email_saying_someone_tried_to_sign_up() -> None:
    UserFactory(email="ada@example.org")
    sign_up("ada@example.org")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert "someone else tried to signup for an" in message.body
    assert "an account using that email address already exists" in message.body
    assert reverse("account_reset_password") in message.body


def test_a_new_address_gets_the_link_to_confirm_it_and_cannot_log_in_before() -> None:
    sign_up("new@example.org")
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    login = Client().post(
        reverse("account_login"), {"login": "new@example.org", "password": "a-long-enough-passphrase"}
    )
    assert login.status_code == 302
    assert login["Location"] == reverse("account_email_verification_sent")


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address() -> None:
    UserFactory(email="ada@example.org")
    known = Client().post(reverse("account_reset_password"), {"email": "ada@example.org"}, follow=True)
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.org"}, follow=True)
    assert answer(known, "ada@example.org") == answer(unknown, "nobody@example.org")
    assert known.redirect_chain == [(reverse("account_reset_password_done"), 302)]


def test_password_reset_mails_the_link_to_a_known_address_and_an_explanation_to_an_unknown_one() -> None:
    UserFactory(email="ada@example.org")
    Client().post(reverse("account_reset_password"), {"email": "ada@example.org"})
    Client().post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    to_known, to_unknown = mail.outbox
    assert to_known.to == ["ada@example.org"]
    assert "/accounts/password/reset/key/" in to_known.body
    assert to_unknown.to == ["nobody@example.org"]
    assert "we do not have any record of such an account" in to_unknown.body
    assert "/accounts/password/reset/key/" not in to_unknown.body
