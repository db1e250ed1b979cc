from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from core import dashboard
        from marketplace import selectors

        dashboard.register_role("freelancer", _("Freelancer"), lambda user: bool(user.is_freelancer))
        dashboard.register_role("client", _("Client"), lambda user: bool(user.is_client))
        dashboard.register_panel(
            dashboard.Panel(
                role="freelancer",
                template_name="marketplace/panels/freelancer.html",
                get_context=selectors.freelancer_panel_context,
                order=10,
            )
        )
        dashboard.register_panel(
            dashboard.Panel(
                role="client",
                template_name="marketplace/panels/client.html",
                get_context=selectors.client_panel_context,
                order=20,
            )
        )
        dashboard.register_panel(
            dashboard.Panel(
                role="public",
                template_name="marketplace/panels/latest_jobs.html",
                get_context=selectors.latest_jobs_context,
                order=10,
            )
        )
