from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from core import dashboard

        dashboard.register_panel(
            dashboard.Panel(
                role="admin",
                template_name="core/panels/admin.html",
                get_context=dashboard.admin_panel_context,
            )
        )
