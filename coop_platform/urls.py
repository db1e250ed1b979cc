from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import views as core_views

# Swagger UI sets inline style attributes as it renders; allow styles (never scripts) on this
# one page. Everything else keeps the strict policy.
api_docs = csp_update({"style-src": ["'self'", "'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"

api_patterns = [
    path("", include("core.api.urls")),
    path("", include("membership.api.urls")),
    path("", include("marketplace.api.urls")),
    path("", include("governance.api.urls")),
    path("", include("payouts.api.urls")),
    path("", include("payouts.cycles.api.urls")),
    path("", include("payouts.stripe_gateway.api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", api_docs, name="api-docs"),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dashboard/", core_views.dashboard, name="dashboard"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("api/", include(api_patterns)),
    path("", include("membership.urls")),
    path("", include("marketplace.urls")),
    path("", include("governance.urls")),
    path("", include("payouts.urls")),
    path("", include("payouts.cycles.urls")),
    path("", include("payouts.stripe_gateway.urls")),
    path("admin/", admin.site.urls),
]
