"""Forms check the shape of input; the services decide what is allowed."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import currency_label, major_to_cents
from core.widgets import LocaleDateInput
from payouts.exceptions import ErrorCode
from payouts.payments.services import already_recorded_message, bank_payment_already_recorded


class AmountField(forms.DecimalField):
    """An amount in the coop currency's major units typed by a person, cleaned to integer cents."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal("0.01"))
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("step", "0.01")

    def clean(self, value: Any) -> int:
        amount = super().clean(value)
        return major_to_cents(amount)


class WithdrawalForm(forms.Form):
    amount = AmountField(label=currency_label(_("Amount to withdraw (%(symbol)s)")))


class PayoutAccountForm(forms.Form):
    holder_name = forms.CharField(label=_("Account holder"), max_length=70)
    iban = forms.CharField(label=_("IBAN"), max_length=42, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    bic = forms.CharField(label=_("BIC (optional)"), max_length=11, required=False)


class BankPaymentForm(forms.Form):
    reference = forms.CharField(label=_("Reference as on the bank statement"), max_length=140, required=False)
    amount = AmountField(label=currency_label(_("Amount received (%(symbol)s)")))
    received_on = forms.DateField(label=_("Received on"), widget=LocaleDateInput(), initial=timezone.localdate)
    bank_transaction_id = forms.CharField(label=_("Bank transaction id (optional)"), max_length=100, required=False)
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)

    def clean_bank_transaction_id(self) -> str:
        # The service returns a repeat unchanged (it is the statement's idempotency key); a person
        # typing it in again is told so here, instead of reading "matched" as if it were new money.
        value = self.cleaned_data["bank_transaction_id"]
        seen = bank_payment_already_recorded(value)
        if seen is not None:
            raise ValidationError(already_recorded_message(seen), code=ErrorCode.ALREADY_RECORDED)
        return value


class SuspenseApplyForm(forms.Form):
    reference = forms.CharField(label=_("Payment reference to apply it to"), max_length=20)


class WithdrawalBatchForm(forms.Form):
    execution_date = forms.DateField(label=_("Execution date"), widget=LocaleDateInput(), initial=timezone.localdate)


class WithdrawalFailForm(forms.Form):
    reason = forms.CharField(label=_("Why did it fail?"), max_length=200)
