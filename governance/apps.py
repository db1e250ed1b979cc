from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from core import dashboard, navigation
        from core import open_data as core_open_data
        from core.decisions import decision_opener, decision_vote_opener, decision_withdrawer
        from core.demo import register_demo, register_demo_foundation
        from governance import builtin, demo, notifications, open_data, permissions, privacy, selectors
        from governance.rules_defaults import ensure_founding_rules
        from governance.services.proposals import (
            proposal_create_for_decision,
            proposal_put_to_vote_for_platform,
            proposal_withdraw_for_platform,
        )

        decision_opener.provide(proposal_create_for_decision)
        decision_vote_opener.provide(proposal_put_to_vote_for_platform)
        decision_withdrawer.provide(proposal_withdraw_for_platform)
        core_open_data.books_publication.provide(open_data.books_public_level)
        open_data.register()
        builtin.register()
        permissions.register()
        notifications.register()
        privacy.register()
        # The marketplace's demo, seeded before this app's, opens a project decision: the rules first.
        register_demo_foundation(self.label, ensure_founding_rules)
        register_demo(self.label, demo.seed)
        navigation.register_nav(
            navigation.NavItem(
                label=_("Decisions"), url_name="governance:proposal_list", roles=None, order=40, group="coop"
            )
        )
        navigation.register_nav(
            navigation.NavItem(
                label=_("Elections"), url_name="governance:election_list", roles=None, order=45, group="coop"
            )
        )
        dashboard.register_panel(
            dashboard.Panel(
                role="member",
                template_name="governance/panels/member.html",
                get_context=selectors.governance_panel_context,
                order=35,
            )
        )
