"""A newcomer's first visit in a real Chromium: sign up, verify, log in, read Dutch, log out."""

import re

import pytest
from django.core import mail

from membership.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_verify_log_in_switch_to_dutch_and_log_out(page, live_server) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email:").fill("newcomer@example.org")
    page.get_by_label("Your name:").fill("Nora Newcomer")
    page.get_by_label("Password:", exact=True).fill("a-long-enough-passphrase")
    page.get_by_label("Password (again):").fill("a-long-enough-passphrase")
    page.get_by_label("I want to work as a freelancer").check()
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$|.*/dashboard/$"))

    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[0].body).group(1)

    # Log out first, so that verifying and logging in happen as a returning visitor would do them.
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    user = User.objects.get(email="newcomer@example.org")
    assert user.emailaddress_set.get().verified

    page.goto("/accounts/login/")
    page.get_by_label("Email:").fill("newcomer@example.org")
    page.get_by_label("Password:").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r".*/dashboard/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Nora Newcomer"
    assert page.get_by_text("Please confirm your email address").count() == 0

    # Choosing a language changes it at once: no separate "Switch" click (that button is for no script).
    assert not page.get_by_role("button", name="Switch").is_visible()
    with page.expect_navigation():
        page.get_by_label("Language").select_option("nl")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=1).inner_text() == "Welkom, Nora Newcomer"
    assert page.get_by_role("link", name="Direct naar de inhoud").count() == 1

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Inloggen").count() == 1
    page.goto("/dashboard/")
    assert "/accounts/login/" in page.url


def test_api_docs_render_from_local_assets_only(page, live_server) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    # Swagger renders only the operations near the viewport: deep-link to one to have it shown.
    page.goto("/api/docs/#/me/me_retrieve")
    page.locator("#operations-me-me_retrieve").wait_for(timeout=30_000)
    assert page.locator(".swagger-ui").count() == 1
    assert requested and all(url.startswith(live_server.url) or url.startswith("data:") for url in requested)
