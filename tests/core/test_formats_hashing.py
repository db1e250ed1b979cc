"""One date style per language, and password hashing strong in production and cheap in the demo."""

import datetime
import importlib

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.test import override_settings
from django.utils import formats, translation

from core.hashers import DevelopmentPBKDF2PasswordHasher

MOMENT = datetime.datetime(2026, 12, 4, 15, 50)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["4 December 2026", "4 Dec 2026", "4 December 2026, 15:50", "4 Dec 2026, 15:50"]),
        ("nl", ["4 december 2026", "04-12-2026", "4 december 2026, 15:50", "04-12-2026 15:50"]),
    ],
)
def test_each_language_has_one_date_style_and_never_the_us_one(language, expected):
    names = ["DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"]
    with translation.override(language):
        assert [formats.date_format(MOMENT, name) for name in names] == expected


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_date_typed_in_the_language_style_is_read(language):
    with translation.override(language):
        from django import forms

        field = forms.DateField()
        assert field.clean("04-12-2026") == datetime.date(2026, 12, 4)
        assert field.clean("2026-12-04") == datetime.date(2026, 12, 4)


def test_production_hashes_passwords_at_full_strength():
    production_hashers = _production_setting("PASSWORD_HASHERS")
    assert production_hashers == ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    assert PBKDF2PasswordHasher.iterations >= 600_000  # OWASP's floor for PBKDF2-SHA256


def test_demo_hash_is_cheap_and_production_verifies_and_upgrades_it():
    with override_settings(PASSWORD_HASHERS=["core.hashers.DevelopmentPBKDF2PasswordHasher"]):
        encoded = get_hasher().encode("coop-demo-2026", "saltsaltsalt")
    assert DevelopmentPBKDF2PasswordHasher.iterations <= 50_000
    production = PBKDF2PasswordHasher()
    assert production.verify("coop-demo-2026", encoded)
    assert production.must_update(encoded)


def _production_setting(name):
    """Read a production setting's source value without importing the module (it refuses a dev key)."""
    source = importlib.util.find_spec("coop_platform.settings.production").origin
    namespace: dict = {}
    with open(source, encoding="utf-8") as settings_file:
        for line in settings_file:
            if line.startswith(f"{name} ="):
                exec(line, namespace)  # our own settings file
    return namespace[name]
