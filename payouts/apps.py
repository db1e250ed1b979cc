from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayoutsConfig(AppConfig):
    name = "payouts"
    verbose_name = _("Payouts and ledger")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from core import dashboard, ports
        from core.demo import register_demo
        from core.navigation import NavItem, register_nav
        from payouts import demo, notifications, permissions, privacy, selectors
        from payouts.ledger.guard import install_sqlite_guard
        from payouts.ports import PaymentRequestsPort, ShareLedgerPort

        ports.payment_requests.provide(PaymentRequestsPort())
        ports.share_ledger.provide(ShareLedgerPort())
        permissions.register()
        privacy.register()
        notifications.register_notification_kinds()
        register_demo(self.label, demo.seed)
        connection_created.connect(install_sqlite_guard, dispatch_uid="payouts_sqlite_ledger_guard")
        register_nav(NavItem(_("Earnings"), "payouts:earnings", roles=frozenset({"freelancer"}), order=40))
        register_nav(
            NavItem(
                _("Open books"),
                "payouts:open_books",
                roles=frozenset({"member", "finance", "board"}),
                order=60,
                group="coop",
            )
        )
        register_nav(
            NavItem(_("Finance"), "payouts:finance_payments", roles=frozenset({"finance"}), order=800, group="staff")
        )
        dashboard.register_panel(
            dashboard.Panel(
                role="freelancer",
                template_name="payouts/panels/balance.html",
                get_context=selectors.balance_panel_context,
                order=15,
            )
        )
