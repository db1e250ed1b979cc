from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "membership"
    verbose_name = _("Membership")

    def ready(self) -> None:
        from core import dashboard
        from membership import selectors

        dashboard.register_role("member", _("Member"), selectors.user_is_active_member)
        dashboard.register_panel(
            dashboard.Panel(
                role="member",
                template_name="membership/panels/member.html",
                get_context=selectors.member_panel_context,
                order=30,
            )
        )
        dashboard.register_panel(
            dashboard.Panel(
                role="public",
                template_name="membership/panels/public.html",
                get_context=selectors.public_panel_context,
                order=50,
            )
        )
