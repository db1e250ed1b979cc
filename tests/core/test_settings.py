import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# A valid IBAN that is not the demo default, for runs of the production settings.
OWN_IBAN = "NL20INGB0001234567"


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "COOP_IBAN"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_refuse_to_start_without_a_real_secret_key() -> None:
    result = run_manage("check", DJANGO_SETTINGS_MODULE="coop_platform.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deployment_checklist() -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="coop_platform.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="coop.example.org",
        COOP_IBAN=OWN_IBAN,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("iban", [None, "NL91ABNA0417164300", "nl91 abna 0417 1643 00"])
def test_production_settings_refuse_to_start_with_the_demo_iban(iban: str | None) -> None:
    bank = {} if iban is None else {"COOP_IBAN": iban}
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="coop_platform.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        **bank,
    )
    assert result.returncode != 0
    assert (
        "django.core.exceptions.ImproperlyConfigured: COOP_IBAN must be set to the coop's own bank account in "
        "production, not the demo IBAN NL91ABNA0417164300." in result.stderr
    )


def test_settings_come_from_the_environment() -> None:
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.COOP_NAME, s.TIME_ZONE, s.COOP_CURRENCY, "
        "s.CELERY_TASK_ALWAYS_EAGER, s.DATABASES['default']['ENGINE'])",
        COOP_NAME="Test Coop",
        CELERY_BROKER_URL="",
        DATABASE_URL="sqlite:////tmp/settings-test.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Test", "Coop", "Europe/Amsterdam", "EUR", "True", "django.db.backends.sqlite3"]


def test_the_currency_comes_from_coop_currency_and_every_reader_gets_it() -> None:
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from core.money import default_currency; from marketplace.models import Job; "
        "print(default_currency(), Job().currency)",
        COOP_CURRENCY="chf",
        DATABASE_URL="sqlite:////tmp/settings-test.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["CHF", "CHF"]


def test_the_currency_still_honours_the_old_default_currency_variable() -> None:
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from core.money import default_currency; print(default_currency())",
        DEFAULT_CURRENCY="SEK",
        DATABASE_URL="sqlite:////tmp/settings-test.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["SEK"]
