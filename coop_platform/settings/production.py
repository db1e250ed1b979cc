"""Production settings: the base settings, hardened. Refuses to start without a real secret or bank account."""

from django.core.exceptions import ImproperlyConfigured

from coop_platform.settings.base import *  # noqa: F403
from coop_platform.settings.base import COOP_IBAN, DEMO_IBAN, INSECURE_DEV_SECRET_KEY, SECRET_KEY, env

if SECRET_KEY == INSECURE_DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters in production.")
# Payers would wire real money to the demo account, and SEPA payout files would name it as debtor.
if COOP_IBAN.replace(" ", "").upper() == DEMO_IBAN:
    raise ImproperlyConfigured(
        f"COOP_IBAN must be set to the coop's own bank account in production, not the demo IBAN {DEMO_IBAN}."
    )

DEBUG = False
# Full-strength password hashing: PBKDF2-SHA256 at Django's default work factor (1,000,000
# iterations), above OWASP's 600,000. Hashes written by the demo's cheaper hasher still verify
# and are upgraded at the next login. Never the development hasher here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
