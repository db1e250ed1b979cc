from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "membership"
    verbose_name = _("Membership")

    def ready(self) -> None:
        from core import dashboard
        from core.demo import register_demo
        from core.navigation import NavItem, register_nav
        from core.ports import register_payment_purpose
        from membership import demo, open_data, permissions, selectors
        from membership.decisions import register_decision_types
        from membership.notifications import register_notification_kinds
        from membership.privacy.builtin import register_builtin
        from membership.services import SHARE_PURPOSE, member_share_paid

        dashboard.register_role("member", _("Member"), query=selectors.is_active_member_expression)
        open_data.register()
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
        register_nav(
            NavItem(
                label=_("Membership"),
                url_name="membership:home",
                roles=frozenset({"authenticated"}),
                order=60,
                group="coop",
            )
        )
        register_nav(
            NavItem(
                label=_("Member register"),
                url_name="membership:register",
                roles=frozenset({"member", "board", "finance"}),
                order=61,
                group="coop",
            )
        )
        register_nav(
            NavItem(
                label=_("Applications"),
                url_name="membership:staff_applications",
                roles=frozenset({"board"}),
                order=62,
                group="staff",
            )
        )
        register_nav(NavItem(label=_("Privacy"), url_name="membership:privacy", order=90, group="footer"))
        permissions.register()
        register_builtin()
        register_payment_purpose(SHARE_PURPOSE, member_share_paid)
        register_decision_types()
        register_notification_kinds()
        register_demo(self.label, demo.seed)
