from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayoutCyclesConfig(AppConfig):
    name = "payouts.cycles"
    label = "payout_cycles"
    verbose_name = _("Payout cycles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.demo import register_demo
        from core.navigation import NavItem, register_nav
        from payouts.cycles import demo, notifications, permissions, privacy
        from payouts.cycles.bases import register_payout_bases
        from payouts.cycles.decisions import register_decision_types

        register_nav(
            NavItem(
                label=_("Payout cycles"),
                url_name="payout_cycles:cycle_list",
                roles=frozenset({"finance", "board"}),
                order=70,
                group="staff",
            )
        )
        register_nav(
            NavItem(
                label=_("My profit shares"),
                url_name="payout_cycles:my_cycles",
                roles=frozenset({"member"}),
                order=71,
                group="coop",
            )
        )
        permissions.register()
        register_decision_types()
        register_payout_bases()
        privacy.register()
        notifications.register_notification_kinds()
        register_demo(self.label, demo.seed)
