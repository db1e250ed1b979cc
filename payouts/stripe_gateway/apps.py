from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StripeGatewayConfig(AppConfig):
    name = "payouts.stripe_gateway"
    label = "stripe_gateway"
    verbose_name = _("Stripe payments")

    def ready(self) -> None:
        from django.conf import settings

        from core.navigation import NavItem, register_nav
        from payouts.payments import register_provider
        from payouts.stripe_gateway import privacy
        from payouts.stripe_gateway.provider import StripeProvider

        register_provider(StripeProvider())
        privacy.register()
        if not settings.STRIPE_SECRET_KEY:
            return
        register_nav(
            NavItem(
                label=_("Stripe payouts"),
                url_name="stripe_gateway:connect",
                roles=frozenset({"freelancer"}),
                order=60,
                group="account",
            )
        )
