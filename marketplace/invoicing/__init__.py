"""The documents of an invoice: its EN 16931 UBL e-invoice and its PDF, rendered from the stored record."""


def register() -> None:
    """Put the invoice pages in the navigation (from MarketplaceConfig.ready())."""
    from django.utils.translation import gettext_lazy as _

    from core.navigation import NavItem, register_nav

    register_nav(
        NavItem(
            label=_("Invoices"),
            url_name="marketplace:invoice-list",
            roles=frozenset({"authenticated"}),
            order=26,
            group="account",
            also=("marketplace:invoice-detail",),
        )
    )
    register_nav(
        NavItem(
            label=_("Business details"),
            url_name="marketplace:business-details",
            roles=frozenset({"authenticated"}),
            order=27,
            group="account",
        )
    )
    register_nav(
        NavItem(
            _("All invoices"), "marketplace:finance-invoices", roles=frozenset({"finance"}), order=810, group="staff"
        )
    )
