"""The project's URLs plus the Stripe gateway's, until coop_platform/urls.py includes them."""

from django.urls import include, path

from coop_platform.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("", include("payouts.stripe_gateway.urls")), *project_urlpatterns]
