"""The money forms' amount labels follow the coop's currency and the reader's language."""

from typing import Any

from django.utils import translation

from payouts.forms import BankPaymentForm, WithdrawalForm


def test_amount_labels_show_the_coops_currency_symbol_in_the_readers_language(settings: Any) -> None:
    with translation.override("en"):
        assert str(WithdrawalForm().fields["amount"].label) == "Amount to withdraw (€)"
    with translation.override("nl"):
        assert str(BankPaymentForm().fields["amount"].label) == "Ontvangen bedrag (€)"
    settings.COOP_CURRENCY = "GBP"
    with translation.override("nl"):
        assert str(WithdrawalForm().fields["amount"].label) == "Op te nemen bedrag (£)"
