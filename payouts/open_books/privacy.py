"""The personal data of the open books: expenses and their receipts, kept as accounting records."""

from django.utils.translation import gettext_lazy as _

from core.privacy import KEEP, register_personal_data


def register() -> None:
    from payouts.open_books.models import AccountingPeriodStatusChange, ExpenseClaim, ExpenseClaimStatusChange

    keep = _(
        "Accounting records, receipts included, are kept for seven years (Dutch Civil Code, article 2:10); "
        "they are never published with your name."
    )
    register_personal_data(
        ExpenseClaim,
        ("claimant", "approved_by"),
        erase=KEEP,
        secret=("receipt",),
        purpose=_("The expenses you claimed or decided on, with their receipts, to reimburse and book them."),
        keep_reason=keep,
    )
    register_personal_data(
        ExpenseClaimStatusChange,
        "actor",
        erase=KEEP,
        purpose=_("Who moved an expense on, and when."),
        keep_reason=keep,
    )
    register_personal_data(
        AccountingPeriodStatusChange,
        "actor",
        erase=KEEP,
        purpose=_("Who closed a financial year, and when."),
        keep_reason=keep,
    )
