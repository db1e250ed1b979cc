"""A cheaper password hasher for the demo and development settings only.

Production (coop_platform/settings/production.py) uses Django's PBKDF2-SHA256 at its default
work factor (1,000,000 iterations in Django 5.2). Demo and development logins used the same
and took seconds on a small machine; this hasher writes hashes with far fewer iterations. The
stored hash names its own iteration count, so a production server still verifies a demo hash,
and upgrades it to the production work factor at the next login.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class DevelopmentPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 with 20,000 iterations: fine for demo accounts, never for real ones."""

    iterations = 20_000
