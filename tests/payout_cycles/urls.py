"""The project's URLs plus payout cycles', as the lead wires them in coop_platform/urls.py."""

from django.urls import include, path

from coop_platform.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/", include("payouts.cycles.api.urls")),
    path("", include("payouts.cycles.urls")),
    *project_urlpatterns,
]
