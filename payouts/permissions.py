"""Payouts' rows of the permission table (core.permissions), registered from PayoutsConfig.ready().

Finance records the bank payments that arrive, resolves what lands in suspense, exports and settles
withdrawal batches and reads the books. A person withdraws their own earnings and sets their own
payout account; a payer pays their own payment requests. Payment providers and tasks act as the
platform. Payout cycles are payouts.cycles' (its own permissions module).
"""

from django.utils.translation import gettext_lazy

from core.permissions import Relation, register_kind, register_rule

FINANCE_ONLY = gettext_lazy("Only finance can do this.")


def register() -> None:
    register_kind(
        "earnings",
        "earnings and payout account (one's own)",
        {"self": Relation("their owner", lambda user, person: bool(person.pk == user.pk))},
    )
    # Finance too: an earnings payout run asks for every freelancer's withdrawal at once.
    register_rule("earnings", "withdraw", "ask for a withdrawal", relations={"self"}, roles={"finance"}, system=True)
    register_rule("earnings", "payout_account", "set the payout account (IBAN)", relations={"self"})
    register_rule("earnings", "connect_stripe", "set up Stripe payouts", relations={"self"})

    register_kind(
        "payment_request",
        "payment request",
        {"payer": Relation("its payer", lambda user, request: bool(request.payer_id == user.pk))},
    )
    register_rule("payment_request", "view", "see how to pay it", relations={"payer"}, roles={"finance"})
    register_rule("payment_request", "pay_by_card", "pay by card", relations={"payer"}, system=True)
    register_rule(
        "payment_request", "cancel", "cancel before paying", relations={"payer"}, roles={"finance"}, system=True
    )

    register_kind("bank_payment", "bank payment received")
    for action, label in (
        ("record", "record"),
        ("apply", "apply from suspense"),
        ("refund", "pay back from suspense"),
    ):
        register_rule("bank_payment", action, label, roles={"finance"}, system=True, message=FINANCE_ONLY)

    register_kind("withdrawal", "withdrawal")
    register_rule("withdrawal", "fail", "mark failed", roles={"finance"}, system=True, message=FINANCE_ONLY)
    register_rule("withdrawal", "settle", "settle through a provider", system=True)
    register_kind("withdrawal_batch", "withdrawal batch (SEPA)")
    for action, label in (("create", "export"), ("settle", "mark paid")):
        register_rule("withdrawal_batch", action, label, roles={"finance"}, system=True, message=FINANCE_ONLY)

    register_kind("books", "the books")
    register_rule("books", "view", "trial balance, finance pages", roles={"finance"}, message=FINANCE_ONLY)
    register_rule(
        "books",
        "open",
        "the open books",
        roles={"member", "finance", "board"},
        message=gettext_lazy("Only members can see the open books."),
    )
