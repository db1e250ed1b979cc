"""API tokens: named per device, hashed, expiring, listed and revoked by their owner, revoked on a password change."""

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core import tokens
from core.exceptions import ErrorCode
from core.models import ApiToken
from membership.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"
PASSWORD = "correct-horse-battery"


def obtain(email: str = "ada@example.org", **extra: Any) -> Any:
    return APIClient().post(TOKEN, {"email": email, "password": PASSWORD, **extra}, format="json")


def with_token(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def usable(key: str) -> bool:
    return with_token(key).get("/api/me/").status_code == 200


# Making a token through the API


def test_the_token_endpoint_makes_a_named_token_valid_for_90_days_and_shows_its_key_once() -> None:
    UserFactory(email="ada@example.org")
    response = obtain(name="Laptop script")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "id", "name", "created_at", "last_used_at", "expires_at"}
    assert body["name"] == "Laptop script"
    token = ApiToken.objects.get(pk=body["id"])
    assert token.expires_at - token.created_at == pytest.approx(timedelta(days=90), abs=timedelta(seconds=5))
    # Only the key's SHA-256 is stored.
    assert token.key_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in {str(v) for v in ApiToken.objects.values_list(flat=True)}
    assert usable(body["token"])
    # Listing never shows a key again.
    listed = with_token(body["token"]).get(reverse("api-tokens")).json()
    assert "token" not in listed["results"][0] and "key_hash" not in listed["results"][0]


def test_each_call_makes_another_token_with_the_expiry_asked_for() -> None:
    UserFactory(email="ada@example.org")
    first = obtain().json()
    second = obtain(name="Phone", expires_in_days=7).json()
    assert first["id"] != second["id"] and first["token"] != second["token"]
    assert first["name"] == "API token"
    made = ApiToken.objects.get(pk=second["id"])
    assert made.expires_at - made.created_at == pytest.approx(timedelta(days=7), abs=timedelta(seconds=5))
    assert usable(first["token"]) and usable(second["token"])


@pytest.mark.parametrize("days", [0, 366, -1, 10**30])
def test_an_expiry_out_of_range_is_refused_and_makes_no_token(days: int) -> None:
    UserFactory(email="ada@example.org")
    response = obtain(expires_in_days=days)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["detail"]) == {"expires_in_days"}
    assert not ApiToken.objects.exists()


def test_a_too_long_name_is_refused_with_a_clear_message() -> None:
    UserFactory(email="ada@example.org")
    response = obtain(name="x" * 101)
    assert response.status_code == 400
    assert response.json()["detail"]["name"] == ["Ensure this field has no more than 100 characters."]


# Using a token


def test_an_expired_token_is_refused_with_its_own_code() -> None:
    UserFactory(email="ada@example.org")
    body = obtain().json()
    now = timezone.now()
    ApiToken.objects.filter(pk=body["id"]).update(
        created_at=now - timedelta(days=91), expires_at=now - timedelta(seconds=1)
    )
    response = with_token(body["token"]).get("/api/me/")
    assert response.status_code in {401, 403}
    assert response.json()["code"] == ErrorCode.TOKEN_EXPIRED
    assert response.json()["message"] == "The token has expired. Make a new one on your account's API tokens page."


def test_a_revoked_or_unknown_token_is_refused() -> None:
    UserFactory(email="ada@example.org")
    body = obtain().json()
    ApiToken.objects.filter(pk=body["id"]).update(revoked_at=timezone.now())
    assert with_token(body["token"]).get("/api/me/").json()["code"] == ErrorCode.TOKEN_REVOKED
    assert with_token("not-a-token").get("/api/me/").json()["code"] == ErrorCode.TOKEN_INVALID


def test_a_token_of_a_deactivated_user_is_refused() -> None:
    user = UserFactory(email="ada@example.org")
    key = obtain().json()["token"]
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert with_token(key).get("/api/me/").json()["code"] == ErrorCode.TOKEN_INVALID


def test_last_used_is_written_at_most_once_a_minute() -> None:
    UserFactory(email="ada@example.org")
    body = obtain().json()
    api = with_token(body["token"])
    api.get("/api/me/")
    first_use = ApiToken.objects.get(pk=body["id"]).last_used_at
    assert first_use is not None
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/me/")
    assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)
    assert ApiToken.objects.get(pk=body["id"]).last_used_at == first_use
    ApiToken.objects.filter(pk=body["id"]).update(last_used_at=timezone.now() - timedelta(minutes=2))
    api.get("/api/me/")
    assert ApiToken.objects.get(pk=body["id"]).last_used_at > first_use


# Listing and revoking through the API


def test_the_list_shows_only_the_persons_own_tokens_that_are_not_revoked() -> None:
    ada = UserFactory(email="ada@example.org")
    other = UserFactory()
    tokens.token_create(user=other, name="Not Ada's")
    revoked = tokens.token_create(user=ada, name="Old laptop")
    tokens.token_revoke(user=ada, token_id=revoked.token.pk)
    kept = [tokens.token_create(user=ada, name=f"Device {i}") for i in range(3)]
    api = APIClient()
    api.force_authenticate(ada)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(reverse("api-tokens"))
    assert response.status_code == 200
    assert [t["id"] for t in response.json()["results"]] == [made.token.pk for made in reversed(kept)]
    assert len(queries) == 2  # the count and the page


def test_the_list_needs_a_signed_in_person() -> None:
    response = APIClient().get(reverse("api-tokens"))
    assert response.status_code in {401, 403}
    assert response.json()["code"] == "not_authenticated"


def test_revoking_a_token_stops_it_at_once() -> None:
    UserFactory(email="ada@example.org")
    first, second = obtain(name="One").json(), obtain(name="Two").json()
    response = with_token(second["token"]).post(reverse("api-token-revoke", args=[first["id"]]))
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert not usable(first["token"])
    assert usable(second["token"])


def test_someone_elses_token_cannot_be_revoked_and_is_not_found() -> None:
    UserFactory(email="ada@example.org")
    other = UserFactory()
    theirs = tokens.token_create(user=other, name="Theirs")
    response = with_token(obtain().json()["token"]).post(reverse("api-token-revoke", args=[theirs.token.pk]))
    assert response.status_code == 404
    assert response.json()["code"] == ErrorCode.NOT_FOUND
    assert usable(theirs.key)


# Revoked on a password change, reset or set, deleted with the account


def test_changing_the_password_revokes_every_token() -> None:
    user = UserFactory(email="ada@example.org")
    keys = [obtain(name=f"Device {i}").json()["token"] for i in range(2)]
    browser = Client()
    browser.force_login(user)
    response = browser.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    assert not any(usable(key) for key in keys)
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()


def test_resetting_the_password_revokes_every_token() -> None:
    UserFactory(email="ada@example.org")
    key = obtain().json()["token"]
    browser = Client()
    browser.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link
    form = browser.get(link.group(1), follow=True)
    response = browser.post(
        form.redirect_chain[-1][0], {"password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"}
    )
    assert response.status_code == 302
    assert not usable(key)


def test_setting_a_password_revokes_every_token() -> None:
    user = UserFactory(email="ada@example.org")
    made = tokens.token_create(user=user, name="Script")
    user.set_unusable_password()
    user.save()
    browser = Client()
    browser.force_login(user)
    response = browser.post(
        reverse("account_set_password"), {"password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"}
    )
    assert response.status_code == 302
    assert not usable(made.key)


def test_an_administrator_setting_the_password_in_the_admin_revokes_every_token() -> None:
    user = UserFactory(email="ada@example.org")
    made = tokens.token_create(user=user, name="Script")
    admin = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(admin)
    response = browser.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not usable(made.key)


def test_the_changepassword_command_revokes_every_token(monkeypatch: Any) -> None:
    from django.core.management import call_command

    user = UserFactory(email="ada@example.org")
    made = tokens.token_create(user=user, name="Script")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "a-new-long-passphrase")
    call_command("changepassword", user.get_username())
    assert not usable(made.key)


def test_a_hash_upgrade_at_sign_in_is_not_a_password_change(settings: Any) -> None:
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    user = UserFactory(email="ada@example.org")
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="md5"))
    made = tokens.token_create(user=user, name="Script")
    assert obtain(name="Laptop").status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    assert usable(made.key)


def test_deleting_the_account_deletes_its_tokens() -> None:
    from membership.services.privacy import account_delete

    user = UserFactory(email="ada@example.org")
    made = tokens.token_create(user=user, name="Script")
    account_delete(user=user, actor=user)
    assert not ApiToken.objects.filter(user=user).exists()
    assert not usable(made.key)


# The account page


def reauthenticated(user: User) -> Client:
    browser = Client()
    browser.force_login(user)
    browser.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return browser


def test_the_page_lists_the_tokens_with_dates_in_the_readers_language() -> None:
    user = UserFactory(email="ada@example.org")
    made = tokens.token_create(user=user, name="Laptop script", expires_in_days=30)
    ApiToken.objects.filter(pk=made.token.pk).update(expires_at=timezone.make_aware(timezone.datetime(2031, 3, 5)))
    browser = Client()
    browser.force_login(user)
    browser.cookies["django_language"] = "nl"
    page = browser.get(reverse("api-tokens-page")).content.decode()
    assert "Laptop script" in page
    assert "5 maart 2031" in page
    assert "Nooit" in page
    assert "2031-03-05" not in page
    assert made.key not in page


def test_the_account_menu_links_to_the_tokens_page() -> None:
    browser = Client()
    browser.force_login(UserFactory())
    assert f'href="{reverse("api-tokens-page")}"' in browser.get(reverse("dashboard")).content.decode()


def test_making_a_token_on_the_page_asks_for_the_password_again_first_then_makes_it() -> None:
    browser = Client()
    browser.force_login(UserFactory(email="ada@example.org"))
    response = browser.post(reverse("api-tokens-page"), {"name": "Laptop", "expires_in_days": "90"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not ApiToken.objects.exists()
    # Once the password is given, the form sent before is carried out.
    resumed = browser.post(response["Location"], {"password": PASSWORD})
    assert resumed.status_code == 200
    assert ApiToken.objects.get().name == "Laptop"
    assert '<code class="token-key">' in resumed.content.decode()


def test_making_a_token_on_the_page_shows_its_key_once() -> None:
    user = UserFactory(email="ada@example.org")
    browser = reauthenticated(user)
    response = browser.post(reverse("api-tokens-page"), {"name": "Laptop", "expires_in_days": "180"})
    assert response.status_code == 200
    key = re.search(r'<code class="token-key">([^<]+)</code>', response.content.decode())
    assert key and usable(key.group(1))
    token = ApiToken.objects.get(user=user)
    assert token.name == "Laptop"
    assert token.expires_at - token.created_at == pytest.approx(timedelta(days=180), abs=timedelta(seconds=5))
    assert key.group(1) not in browser.get(reverse("api-tokens-page")).content.decode()


def test_a_token_without_a_name_is_refused_on_the_page_with_a_clear_message() -> None:
    browser = reauthenticated(UserFactory(email="ada@example.org"))
    response = browser.post(reverse("api-tokens-page"), {"name": "  ", "expires_in_days": "90"})
    assert response.status_code == 200
    assert "Give the token a name, such as the device or script that uses it." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_on_the_page_asks_to_confirm_then_revokes() -> None:
    user = UserFactory(email="ada@example.org")
    made = tokens.token_create(user=user, name="Laptop script")
    browser = Client()
    browser.force_login(user)
    url = reverse("api-token-revoke-page", args=[made.token.pk])
    confirm = browser.get(url)
    assert confirm.status_code == 200
    assert "Revoke the token “Laptop script”?" in confirm.content.decode()
    assert usable(made.key)
    response = browser.post(url, follow=True)
    assert response.redirect_chain == [(reverse("api-tokens-page"), 302)]
    assert "The token “Laptop script” is revoked." in response.content.decode()
    assert not usable(made.key)


def test_someone_elses_token_has_no_revoke_page() -> None:
    theirs = tokens.token_create(user=UserFactory(), name="Theirs")
    browser = Client()
    browser.force_login(UserFactory())
    assert browser.get(reverse("api-token-revoke-page", args=[theirs.token.pk])).status_code == 404
    assert browser.post(reverse("api-token-revoke-page", args=[theirs.token.pk])).status_code == 404
    assert usable(theirs.key)


def test_the_tokens_page_needs_a_signed_in_person() -> None:
    response = Client().get(reverse("api-tokens-page"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
