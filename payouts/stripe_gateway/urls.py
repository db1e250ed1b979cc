"""Include from coop_platform/urls.py with path("", include("payouts.stripe_gateway.urls"))."""

from django.urls import path

from payouts.stripe_gateway import views

app_name = "stripe_gateway"

urlpatterns = [
    path("stripe/webhook/", views.webhook, name="webhook"),
    path("earnings/stripe/", views.connect, name="connect"),
    path("earnings/stripe/refresh/", views.connect_refresh, name="connect-refresh"),
    path("earnings/stripe/return/", views.connect_return, name="connect-return"),
    path("payments/<int:pk>/card/", views.checkout, name="checkout"),
    path("payments/<int:pk>/card/done/", views.checkout_done, name="checkout-done"),
]
