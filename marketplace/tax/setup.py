"""Everything the yearly statement and DAC7 register with the kernel, called from MarketplaceConfig.ready()."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from core.navigation import NavItem, register_nav
    from marketplace.services.dac7 import withdrawal_gate
    from marketplace.tax import permissions, privacy
    from payouts.payments.gates import WITHDRAWAL_GATES

    permissions.register()
    privacy.register()
    # A seller is not paid out before their DAC7 details are complete.
    WITHDRAWAL_GATES.register("dac7", withdrawal_gate)
    register_nav(
        NavItem(
            label=_("Yearly statements"),
            url_name="marketplace:tax-statements",
            roles=frozenset({"freelancer"}),
            order=27,
            group="account",
            also=("marketplace:tax-statement", "marketplace:tax-details", "marketplace:tax-reported"),
        )
    )
