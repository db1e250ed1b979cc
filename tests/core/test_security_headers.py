"""Headers and pages every visitor meets: Permissions-Policy, no server banner, CSRF failure, admin sign-in."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.middleware import DENIED_FEATURES, PERMISSIONS_POLICY
from core.models import Notification
from tests.factories import UserFactory

ROOT = Path(settings.BASE_DIR)


# --- Permissions-Policy -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/api/me/", "/no-such-page/", "/static/css/coop.css", "/accounts/login/"])
def test_every_response_denies_the_browser_features_the_site_does_not_use(client: Client, url: str) -> None:
    assert client.get(url)["Permissions-Policy"] == PERMISSIONS_POLICY


def test_the_policy_denies_camera_microphone_geolocation_payment_and_usb_to_everyone() -> None:
    policy = dict(entry.split("=") for entry in PERMISSIONS_POLICY.split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "hid"):
        assert policy[feature] == "()"
    assert set(policy.values()) == {"()"}


def test_no_page_or_script_uses_a_denied_feature() -> None:
    # Card payments go to Stripe Checkout by redirect: no page calls the Payment Request API.
    calls = {
        "camera": r"getUserMedia|mediaDevices",
        "geolocation": r"navigator\.geolocation",
        "payment": r"PaymentRequest|js\.stripe\.com",
        "usb": r"navigator\.usb",
        "fullscreen": r"requestFullscreen",
        "publickey-credentials-get": r"navigator\.credentials",
    }
    assert set(calls) <= set(DENIED_FEATURES)
    sources = [*ROOT.joinpath("static").rglob("*.js"), *ROOT.joinpath("templates").rglob("*.html")]
    found = [
        f"{path.relative_to(ROOT)}: {feature}"
        for path in sources
        for feature, pattern in calls.items()
        if re.search(pattern, path.read_text(errors="replace"))
    ]
    assert found == []


# --- No server banner -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_gunicorn_with_the_projects_config_sends_no_server_header(tmp_path: Path) -> None:
    """Start gunicorn as the image does (its config), and read a real answer's headers."""
    port = _free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "--config",
            "python:coop_platform.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "coop_platform.wsgi:application",
        ],
        cwd=ROOT,
        env={
            **__import__("os").environ,
            "DJANGO_SETTINGS_MODULE": "coop_platform.settings.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        headers = _headers_when_up(f"http://127.0.0.1:{port}/static/css/coop.css", process, tmp_path)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    assert "Server" not in headers, headers
    assert headers.get("Permissions-Policy") == PERMISSIONS_POLICY
    assert headers.get("Date") and headers.get("Connection")


def _headers_when_up(url: str, process: subprocess.Popen[bytes], tmp_path: Path) -> dict[str, str]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("gunicorn stopped: " + (tmp_path / "gunicorn.log").read_text()[-2000:])
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return dict(response.headers.items())
        except urllib.error.HTTPError as answered:
            return dict(answered.headers.items())
        except OSError:
            time.sleep(0.3)
    pytest.fail("gunicorn did not answer within a minute: " + (tmp_path / "gunicorn.log").read_text()[-2000:])


# --- The CSRF failure page -----------------------------------------------------------------------------


@pytest.fixture
def signed_in(db: Any) -> tuple[Client, Any]:
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client, user


def _unread(user: Any) -> Notification:
    return Notification.objects.create(user=user, kind="test", data={}, url="/")


def test_a_form_without_its_token_gets_the_sites_page_and_changes_nothing(signed_in: tuple[Client, Any]) -> None:
    client, user = signed_in
    notice = _unread(user)
    client.cookies["csrftoken"] = "a" * 32
    response = client.post(
        reverse("notifications-read"),
        {"csrfmiddlewaretoken": "b" * 32},
        HTTP_REFERER="http://testserver/notifications/",
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Your form could not be sent</h1>" in page
    assert "Go back to the form, reload the page and send it again." in page
    assert 'href="http://testserver/notifications/"' in page
    assert "cookie" not in page.split("<h1>")[1].split("</main>")[0].lower()
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_csrf_page_says_when_the_cookie_is_missing_and_speaks_dutch(signed_in: tuple[Client, Any]) -> None:
    client, _user = signed_in
    client.cookies["django_language"] = "nl"
    response = client.post(reverse("notifications-read"), {}, HTTP_REFERER="https://evil.example/form")
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Je formulier kon niet worden verstuurd</h1>" in page
    assert "Je browser stuurde de cookie van deze site niet mee." in page
    assert "evil.example" not in page


def test_the_csrf_failure_view_is_the_projects() -> None:
    assert settings.CSRF_FAILURE_VIEW == "core.views.csrf_failure"


# --- The admin's sign-in ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_sends_staff_to_the_sites_sign_in_page(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=%2Fadmin%2F"
    page = client.get(response.url).content.decode()
    assert settings.COOP_NAME in page and 'name="password"' in page
    assert "Django administration" not in page


@pytest.mark.django_db
def test_the_admins_own_password_form_signs_nobody_in(client: Client) -> None:
    """Django's admin form has neither the second factor nor the back-off: it must not sign anyone in."""
    staff = UserFactory(is_staff=True)
    response = client.post("/admin/login/", {"username": staff.email, "password": "correct-horse-battery"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_signed_in_member_who_is_not_staff_is_refused_the_admin(client: Client) -> None:
    client.force_login(UserFactory())
    assert client.get("/admin/login/").status_code == 403
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    assert staff.get("/admin/login/").status_code == 302
