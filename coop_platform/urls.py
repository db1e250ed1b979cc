from allauth.account.decorators import secure_admin_login
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views import defaults
from rest_framework import exceptions

from core import token_views
from core import views as core_views
from core.api.docs import DocsView, SchemaView
from core.api.errors import api_aware

# Swagger UI sets inline style attributes as it renders; allow styles (never scripts) on this
# one page. Everything else keeps the strict policy.
api_docs = csp_update({"style-src": ["'self'", "'unsafe-inline'"]})(DocsView.as_view(url_name="api-schema"))

# Under /api/ (API_PATH_PREFIX) errors raised outside a DRF view come back as the API's JSON;
# elsewhere they are the site's own pages.
handler400 = api_aware(defaults.bad_request, error=exceptions.ParseError)
handler403 = api_aware(core_views.permission_denied, error=exceptions.PermissionDenied)
handler404 = api_aware(core_views.page_not_found, error=exceptions.NotFound)
handler500 = api_aware(defaults.server_error, error=exceptions.APIException, code="server_error")

# Staff sign in to the admin through the site's own sign-in page, which asks for the second factor
# and applies the login back-off; Django admin's own form knows neither, so it is never shown.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

api_patterns: list[URLPattern | URLResolver] = [
    path("", include("core.api.urls")),
    path("", include("membership.api.urls")),
    path("", include("marketplace.api.urls")),
    path("", include("governance.api.urls")),
    path("", include("payouts.api.urls")),
    path("", include("payouts.cycles.api.urls")),
    path("", include("payouts.open_books.api")),
    path("", include("payouts.stripe_gateway.api")),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", api_docs, name="api-docs"),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dashboard/", core_views.dashboard, name="dashboard"),
    path("healthz", core_views.healthz, name="healthz"),
    path("notifications/", core_views.notifications, name="notifications"),
    path("notifications/read/", core_views.notifications_read, name="notifications-read"),
    path("notifications/settings/", core_views.notification_settings, name="notification-settings"),
    path(
        "notifications/unsubscribe/<str:token>/",
        core_views.notification_unsubscribe,
        name="notification-unsubscribe",
    ),
    path("account/tokens/", token_views.api_tokens, name="api-tokens-page"),
    path("account/tokens/<int:token_id>/revoke/", token_views.api_token_revoke, name="api-token-revoke-page"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("api/", include(api_patterns)),
    path("", include("membership.urls")),
    path("", include("marketplace.urls")),
    path("", include("governance.urls")),
    path("", include("payouts.urls")),
    path("", include("payouts.cycles.urls")),
    path("", include("payouts.open_books.urls")),
    path("", include("payouts.stripe_gateway.urls")),
    path("admin/", admin.site.urls),
]
