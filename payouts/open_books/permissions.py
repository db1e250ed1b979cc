"""The open books' rows of the permission table (core.permissions), registered from OpenBooksConfig.ready().

Members, finance and the board submit expense claims (money they spent for the coop); finance books
suppliers' invoices and decides on expenses, never on their own (the services add four eyes);
whoever submitted an expense sees it and its receipt, and may withdraw it while it waits. Finance
closes accounting periods. What visitors see of the books is the bylaws' rule, not a role.
"""

from django.utils.translation import gettext_lazy

from core.permissions import Relation, register_kind, register_rule

FINANCE_ONLY = gettext_lazy("Only finance can do this.")


def register() -> None:
    register_kind(
        "expense",
        "expense claim or supplier invoice",
        {"claimant": Relation("whoever submitted it", lambda user, claim: bool(claim.claimant_id == user.pk))},
    )
    register_rule(
        "expense",
        "submit",
        "submit an expense claim",
        roles={"member", "finance", "board"},
        message=gettext_lazy("Only members and finance can claim expenses."),
    )
    register_rule("expense", "invoice", "book a supplier's invoice", roles={"finance"}, message=FINANCE_ONLY)
    register_rule("expense", "view", "see it and its receipt", relations={"claimant"}, roles={"finance", "board"})
    register_rule("expense", "list", "list every expense", roles={"finance", "board"})
    register_rule("expense", "approve", "approve or turn down (not one's own)", roles={"finance"}, message=FINANCE_ONLY)
    register_rule("expense", "withdraw", "withdraw while it waits", relations={"claimant"})
    register_kind("accounting_period", "accounting period")
    register_rule("accounting_period", "close", "close", roles={"finance"}, message=FINANCE_ONLY)
