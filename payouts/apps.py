from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayoutsConfig(AppConfig):
    name = "payouts"
    verbose_name = _("Payouts and ledger")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from payouts.ledger.guard import install_sqlite_guard

        connection_created.connect(install_sqlite_guard, dispatch_uid="payouts_sqlite_ledger_guard")
