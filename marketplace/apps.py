from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from core import dashboard
        from core.demo import register_demo
        from core.navigation import NavItem, register_nav
        from core.payout_bases import PayoutBasis, register_payout_basis
        from core.ports import register_payment_purpose
        from marketplace import decisions, demo, invoicing, open_data, permissions, privacy
        from marketplace.notifications import register_notification_kinds
        from marketplace.selectors import panels
        from marketplace.selectors.contracts import completed_contract_count
        from marketplace.selectors.mediators import mediator_active_expression
        from marketplace.selectors.timesheets import approved_minutes_by_user
        from marketplace.services.escrow import MILESTONE_FUNDING
        from marketplace.services.milestones import on_milestone_paid
        from marketplace.tax import setup as tax_setup
        from membership.activity import register_activity_check
        from payouts.earnings import MILESTONE_TITLES

        # The earnings page names the milestone a payment was for ("Client paid milestone 'Draft text'").
        MILESTONE_TITLES.register("titles", _milestone_titles)
        dashboard.register_role("freelancer", _("Freelancer"), lambda user: bool(user.is_freelancer))
        dashboard.register_role("client", _("Client"), lambda user: bool(user.is_client))
        dashboard.register_role("mediator", _("Mediator"), query=mediator_active_expression)
        dashboard.register_panel(
            dashboard.Panel(
                role="freelancer",
                template_name="marketplace/panels/freelancer.html",
                get_context=panels.freelancer_panel_context,
                order=10,
            )
        )
        dashboard.register_panel(
            dashboard.Panel(
                role="client",
                template_name="marketplace/panels/client.html",
                get_context=panels.client_panel_context,
                order=20,
            )
        )
        dashboard.register_panel(
            dashboard.Panel(
                role="public",
                template_name="marketplace/panels/latest_jobs.html",
                get_context=panels.latest_jobs_context,
                order=10,
            )
        )
        register_nav(NavItem(label=_("Find work"), url_name="marketplace:job-list", order=10))
        register_nav(
            NavItem(
                label=_("My jobs"),
                url_name="marketplace:my-jobs",
                roles=frozenset({"client"}),
                order=20,
                # Posting, editing and comparing proposals are the client's own pages, not "Find work".
                also=(
                    "marketplace:job-create",
                    "marketplace:job-edit",
                    "marketplace:job-proposals",
                    "marketplace:freelancer-list",
                    "marketplace:freelancer-invite",
                ),
            )
        )
        # "Find freelancers" is linked from My jobs and from an open job's page rather than the bar,
        # which holds one row at 1280 px only with the entries it has.
        register_nav(
            NavItem(
                label=_("Proposals"),
                url_name="marketplace:my-proposals",
                roles=frozenset({"freelancer"}),
                order=21,
                also=("marketplace:my-invitations",),
            )
        )
        register_nav(
            NavItem(
                label=_("Invitations"),
                url_name="marketplace:my-invitations",
                roles=frozenset({"freelancer"}),
                order=25,
                group="account",
            )
        )
        register_nav(
            NavItem(
                label=_("Contracts"), url_name="marketplace:contract-list", roles=frozenset({"authenticated"}), order=22
            )
        )
        register_nav(
            NavItem(label=_("Messages"), url_name="marketplace:inbox", roles=frozenset({"authenticated"}), order=23)
        )
        register_nav(
            NavItem(
                label=_("Notifications"),
                url_name="notifications",
                roles=frozenset({"authenticated"}),
                order=24,
                group="account",
            )
        )
        register_nav(
            NavItem(
                label=_("Disputes"),
                url_name="marketplace:mediation",
                # Mediation is the coop's own service: the board and the members it or a vote appointed.
                roles=frozenset({"board", "mediator"}),
                order=80,
                group="coop",
            )
        )
        invoicing.register()
        decisions.register()
        open_data.register()
        permissions.register()
        privacy.register()
        register_notification_kinds()
        tax_setup.register()
        register_demo(self.label, demo.seed)
        register_payment_purpose(MILESTONE_FUNDING, on_milestone_paid)
        # What the marketplace knows that other apps ask about: an applicant's completed contracts
        # (an admission policy's activity check) and hours worked (a payout basis).
        register_activity_check("completed_contracts", _("completed contracts"), completed_contract_count)
        register_payout_basis(PayoutBasis(key="hours", label=_("Hours worked"), source=approved_minutes_by_user))


def _milestone_titles(ids: object) -> dict[int, str]:
    from marketplace.models import Milestone

    return dict(Milestone.objects.filter(pk__in=list(ids)).values_list("pk", "title"))  # type: ignore[call-overload]
