"""Hooks other apps offer and the marketplace fills in, registered once from MarketplaceConfig.ready().

Dependencies point from the marketplace to membership and payouts, never back: those apps keep a
registry, and the marketplace hands them its selectors here.
"""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from marketplace.selectors.contracts import completed_contract_count
    from marketplace.selectors.timesheets import approved_minutes_by_user
    from membership.activity import register_activity_check
    from payouts.cycles.selectors.sums import register_basis_source

    register_activity_check("completed_contracts", _("completed contracts"), completed_contract_count)
    register_basis_source("hours", approved_minutes_by_user)
