"""Settings for every environment, read from the process environment (see .env.example)."""

from pathlib import Path

import django_stubs_ext
import environ
from django.utils.translation import gettext_lazy as _

# Django's generic classes (ModelAdmin[Job], QuerySet[Job]) subscriptable at run time, as the type
# checker sees them; a few lines of django-stubs' own runtime helper, no behaviour change.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# A fixed development key: production.py refuses to start with it.
INSECURE_DEV_SECRET_KEY = "dev-insecure-0c4f1e7a9b2d4c8e8f6a3b5d7e9f1a2c"
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEV_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# How many proxies of ours stand in front of the app, each appending to X-Forwarded-For. 0: the
# header is ignored and the peer is the client. core.http.client_ip is the one reader of it, for
# every rate limit, the login back-off, allauth and the logs.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# A form refused by the CSRF check gets the site's own page (templates/403_csrf.html), in the reader's language.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

COOP_NAME = env.str("COOP_NAME", default="Commons Work Cooperative")
# The one currency of the coop's amounts (ISO 4217); read it through core.money.default_currency().
# DEFAULT_CURRENCY was its name before COOP_CURRENCY and is still read, so that a deployment
# that set it does not silently change currency on upgrade.
COOP_CURRENCY = env.str("COOP_CURRENCY", default=env.str("DEFAULT_CURRENCY", default="EUR")).upper()
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "core",
    "membership",
    "payouts",
    "payouts.stripe_gateway",
    "payouts.cycles",
    "marketplace",
    "governance",
    # Last: its demo publishes open data from every other app's demo (seed_demo runs in this order).
    "payouts.open_books",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, so static files carry the header too.
    "core.middleware.PermissionsPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # django-csp's, with the site's policy built once (core.middleware.CSPMiddleware).
    "core.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After the session and authentication middleware: a key belongs to the signed-in user.
    "core.middleware.IdempotencyMiddleware",
    "core.middleware.FriendlyMethodNotAllowed",
]

ROOT_URLCONF = "coop_platform.urls"
WSGI_APPLICATION = "coop_platform.wsgi.application"
ASGI_APPLICATION = "coop_platform.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.coop",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The demo database serves several people at once from a threaded runserver, with Celery tasks
# in-process. Wait on the write lock instead of failing at once; take it when a transaction
# begins, since a transaction that read first cannot wait for it later (SQLite refuses the
# upgrade at once: "database is locked"); and let readers go on while one writes.
SQLITE_OPTIONS = {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
else:
    # A request (or a Celery task: Celery's Django fix-up closes connections past their age)
    # reuses its process's connection instead of opening one each time (13-60 ms measured, issue
    # 18); the health check replaces a connection the server dropped before the request uses it.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "membership.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# allauth: email is the login, and a confirmed address is needed to log in: only so can sign-up
# answer the same whether or not the address is taken (allauth's enumeration prevention; the
# owner of a taken address gets an email saying someone tried). core.permissions still checks it
# before posting, proposing or voting, for accounts made another way.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{COOP_NAME}] "
# False turns allauth's limits off (the test settings do). Failed logins, two-factor codes and
# reset requests are limited by core.limits instead (back-off per account and per address, no
# lock): allauth's "login_failed" locked an account for everyone.
ACCOUNT_RATE_LIMITS: dict[str, str | None] | bool = {
    "login_failed": None,
    "signup": "20/m/ip",
    "reset_password": None,
    "confirm_email": "1/3m/key",
}
ACCOUNT_ADAPTER = "core.accounts.AccountAdapter"
ACCOUNT_FORMS = {"reset_password": "core.accounts.LimitedResetPasswordForm"}
MFA_FORMS = {
    "authenticate": "core.accounts.LimitedAuthenticateForm",
    "reauthenticate": "core.accounts.LimitedReauthenticateForm",
}
ACCOUNT_SIGNUP_FORM_CLASS = "membership.forms.SignupForm"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = COOP_NAME

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Dutch"))]
# One catalog per app (locale/<app>/nl/LC_MESSAGES/django.po) so that work on one app never
# conflicts with another's; Django merges them. `manage.py i18n_missing` lists gaps.
LOCALE_PATHS = [
    BASE_DIR / "locale" / name for name in ("core", "membership", "marketplace", "governance", "payouts")
] + [BASE_DIR / "locale" / "payout_cycles"]
LOCALE_PATHS += [BASE_DIR / "locale" / "stripe_gateway"]
# One catalogue per area of work, so translations of separate features never collide in one file.
LOCALE_PATHS += [BASE_DIR / "locale" / name for name in ("invoices", "tax_reports", "work_rules", "open_books")]
TIME_ZONE = "Europe/Amsterdam"
# One date style per language (core/formats/<lang>/formats.py): "4 December 2026" / "4 december 2026"
# in text, "4 Dec 2026" / "04-12-2026" in tables; never Django's US-style English defaults.
FORMAT_MODULE_PATH = ["core.formats"]
# Demo and development: a cheaper PBKDF2 work factor so a login takes milliseconds, not seconds
# (core/hashers.py). production.py sets Django's full-strength hashers; tests use MD5.
PASSWORD_HASHERS = [
    "core.hashers.DevelopmentPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from the finders so `make run` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="coop@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The cache counts rate limits (throttles, allauth, core.limits). "default" is the configured cache
# (CACHE_URL, Redis in production) and, while that is unreachable, a table in the database
# (core.cache.FallbackCache): a cache outage never fails a login or a write.
CACHES = {
    "default": {"BACKEND": "core.cache.FallbackCache", "OPTIONS": {"PRIMARY": "primary", "FALLBACK": "fallback"}},
    "primary": env.cache("CACHE_URL", default="locmemcache://"),
    "fallback": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "core_cache_fallback"},
}
if CACHES["primary"]["BACKEND"].endswith("RedisCache"):
    # A Redis that does not answer costs a request half a second once, not a hang.
    CACHES["primary"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 0.5, "socket_timeout": 0.5})

# Celery: with no broker the tasks run in-process, synchronously, after commit.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A dead broker must fail a publish within a second, not hang the request that publishes (a
# silent Redis blocked it forever, a refusing one for ~19 s of retries): the outbox (core/outbox.py)
# keeps the message and the periodic relay sends it once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 0.5,
    "socket_timeout": 0.5,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 0.5
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every periodic job of every app, in one place.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "core-outbox-relay": {"task": "core.tasks.outbox_relay", "schedule": 30},
    "core-notification-digests": {"task": "core.tasks.notification_digests_send", "schedule": 60 * 60},
    "core-outbox-purge": {"task": "core.tasks.outbox_purge", "schedule": 60 * 60 * 24},
    "core-idempotency-purge": {"task": "core.tasks.idempotency_purge", "schedule": 60 * 60},
    "payouts-ledger-check": {"task": "payouts.tasks.ledger_check_scheduled", "schedule": 60 * 60 * 24},
    "membership-complete-due-resignations": {
        "task": "membership.tasks.complete_due_resignations",
        "schedule": 60 * 60,
    },
    "membership-expire-data-exports": {"task": "membership.tasks.expire_data_exports", "schedule": 60 * 60},
    "core-purge-expired-sessions": {
        "task": "core.tasks.purge_expired_sessions",
        "schedule": 60 * 60 * 24,
    },
    "marketplace-milestones-auto-release": {
        "task": "marketplace.tasks.milestones_auto_release_due",
        "schedule": 60 * 15,
    },
    "marketplace-reviews-reveal": {"task": "marketplace.tasks.reviews_reveal_due", "schedule": 60 * 60},
    "marketplace-saved-search-alerts": {"task": "marketplace.tasks.saved_searches_alert", "schedule": 60 * 60},
    "governance-open-due-ballots": {"task": "governance.tasks.open_due_ballots", "schedule": 60},
    "governance-close-due-ballots": {"task": "governance.tasks.close_due_ballots", "schedule": 60},
    "governance-closing-reminders": {"task": "governance.tasks.send_closing_reminders", "schedule": 60 * 15},
    "stripe-post-pending-fees": {
        "task": "payouts.stripe_gateway.tasks.stripe_fees_post_pending_task",
        "schedule": 60 * 60,
    },
    "payout-cycles-earnings-payout": {
        "task": "payouts.cycles.tasks.earnings_payout_scheduled",
        "schedule": 60 * 60 * 24 * 7,
    },
    "open-books-open-data": {"task": "payouts.open_books.tasks.open_data_regenerate", "schedule": 60 * 60 * 24},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "core.api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.api.errors.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    # Counted in the cache, per account or client IP (core/api/throttling.py): the token endpoint at
    # the pace of allauth's failed-login limit, and every write. Reads are not limited.
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.ScopedRateThrottle", "core.api.throttling.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"login": "10/min", "write": "120/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{COOP_NAME} API",
    "DESCRIPTION": "Every user action of the cooperative marketplace. Errors share one format: "
    '{"code", "message", "detail"}. Amounts are integers in minor units (cents: 2500 is 25.00) in '
    "fields named `<name>_cents`, never decimals or floats; every object that carries amounts has a "
    "`currency` field with their ISO 4217 code. Requests take amounts the same way and may name "
    "their `currency`, which must be the coop's own.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The API's ids in paths (core.api.converters): integers the database can hold.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.docs.describe_amounts",
        "core.idempotency.document_idempotency",
    ],
    # Several models name their choices "Status"; give each set one stable schema name.
    "ENUM_NAME_OVERRIDES": {
        "ContractStatusEnum": "marketplace.models.contracts.Contract.Status",
        "ProposalStatusEnum": "marketplace.models.proposals.Proposal.Status",
        "ReviewSideEnum": "marketplace.models.reviews.Review.Side",
        "ClientKindEnum": "marketplace.models.profiles.ClientProfile.Kind",
    },
}

# Content-Security-Policy: only our own origin; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# The coop's own bank account, shown to payers of bank transfers and used as the debtor of SEPA
# payout files (the defaults are demo values; production.py refuses the demo IBAN). Withdrawals
# below the minimum are refused.
DEMO_IBAN = "NL91ABNA0417164300"
COOP_IBAN = env.str("COOP_IBAN", default=DEMO_IBAN)
COOP_BIC = env.str("COOP_BIC", default="ABNANL2A")
COOP_ACCOUNT_NAME = env.str("COOP_ACCOUNT_NAME", default=COOP_NAME)
PAYOUTS_WITHDRAWAL_MIN_CENTS = env.int("PAYOUTS_WITHDRAWAL_MIN_CENTS", default=1000)

# The coop as the issuer of its fee invoices and of self-billed invoices in freelancers' names
# (issue 15). The defaults are demo values (a test VAT number of the Dutch tax authority).
COOP_LEGAL_NAME = env.str("COOP_LEGAL_NAME", default=COOP_NAME)
COOP_STREET = env.str("COOP_STREET", default="Coöperatieweg 1")
COOP_POSTAL_CODE = env.str("COOP_POSTAL_CODE", default="1011 AB")
COOP_CITY = env.str("COOP_CITY", default="Amsterdam")
COOP_COUNTRY = env.str("COOP_COUNTRY", default="NL")
COOP_VAT_NUMBER = env.str("COOP_VAT_NUMBER", default="NL000099998B57")
COOP_KVK_NUMBER = env.str("COOP_KVK_NUMBER", default="12345678")
# Check VAT numbers live against the EU's VIES service when saving business details; off by default
# (needs the network), never in tests.
INVOICES_VIES_CHECK = env.bool("INVOICES_VIES_CHECK", default=False)
# Open books (issue 17): the largest receipt upload, and k, the fewest people a published open-data
# cell may be built from (smaller cells are blanked).
OPEN_BOOKS_RECEIPT_MAX_BYTES = env.int("OPEN_BOOKS_RECEIPT_MAX_BYTES", default=5 * 1024 * 1024)
OPEN_DATA_MIN_GROUP = env.int("OPEN_DATA_MIN_GROUP", default=5)

# The platform operator as the yearly DAC7 report names it (manage.py dac7_report; README: "DAC7
# report"): the coop's name and address above, and its tax identification number (for a Dutch
# coop its RSIN, the nine digits of its VAT number; the default is the demo's).
DAC7_OPERATOR_NAME = env.str("DAC7_OPERATOR_NAME", default=COOP_LEGAL_NAME)
DAC7_OPERATOR_TIN = env.str("DAC7_OPERATOR_TIN", default="000099998")
DAC7_OPERATOR_COUNTRY = env.str("DAC7_OPERATOR_COUNTRY", default=COOP_COUNTRY)
DAC7_OPERATOR_STREET = env.str("DAC7_OPERATOR_STREET", default=COOP_STREET)
DAC7_OPERATOR_POSTCODE = env.str("DAC7_OPERATOR_POSTCODE", default=COOP_POSTAL_CODE)
DAC7_OPERATOR_CITY = env.str("DAC7_OPERATOR_CITY", default=COOP_CITY)
DAC7_CONTACT = env.str("DAC7_CONTACT", default="finance@example.org")

# Stripe is on only when its keys are set.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
STRIPE_CONNECT_API_BASE = env.str("STRIPE_CONNECT_API_BASE", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # One line per finished task: noise when tasks run in-process (`make run`, seed_demo), and
        # workers log their own progress. Failures are still logged at ERROR.
        "celery.app.trace": {"level": "WARNING"},
    },
}
