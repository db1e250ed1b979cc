from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenBooksConfig(AppConfig):
    name = "payouts.open_books"
    label = "open_books"
    verbose_name = _("Open books")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.demo import register_demo
        from core.navigation import NavItem, register_nav
        from payouts.open_books import datasets, decisions, demo, notifications, permissions, privacy

        permissions.register()
        notifications.register()
        privacy.register()
        decisions.register()
        datasets.register()
        register_demo(self.label, demo.seed)
        register_nav(
            NavItem(
                _("Expenses"),
                "open_books:expense_list",
                roles=frozenset({"member", "finance", "board"}),
                order=62,
                group="coop",
            )
        )
