from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The kernel's registries and ports exist before any app registers with them.
        from core import dashboard, decisions, demo, notifications, tokens, transitions  # noqa: F401
        from core.api import converters as api_converters
        from core.demo import register_demo
        from core.navigation import NavItem, register_nav
        from core.privacy import register_core_personal_data

        register_core_personal_data()
        tokens.connect_signals()
        # `<id:…>` in the API's URL patterns, which load after this.
        api_converters.register()
        register_demo(self.label, demo.seed)

        register_nav(NavItem(_("Dashboard"), "dashboard", roles=frozenset({"authenticated"}), order=1))
        register_nav(NavItem(_("Admin site"), "admin:index", roles=frozenset({"admin"}), order=900, group="staff"))
        register_nav(NavItem(_("API"), "api-docs", order=950, group="footer"))
        register_nav(
            NavItem(_("API tokens"), "api-tokens-page", roles=frozenset({"authenticated"}), order=60, group="account")
        )

        dashboard.register_panel(
            dashboard.Panel(
                role="admin",
                template_name="core/panels/admin.html",
                get_context=dashboard.admin_panel_context,
            )
        )

        from django.db.models.signals import post_migrate

        from core.cache import fallback_table_create

        # The cache's database fallback needs its table wherever `migrate` runs: make run, CI, production.
        post_migrate.connect(fallback_table_create, sender=self, dispatch_uid="core_cache_fallback_table")
