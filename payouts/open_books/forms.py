"""Forms check the shape of input; the services decide what is allowed."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import currency_label
from core.widgets import LocaleDateInput
from payouts.forms import AmountField
from payouts.open_books.models import CostCategory, ExpenseClaim


class ExpenseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=ExpenseClaim.Kind.choices,
        initial=ExpenseClaim.Kind.CLAIM,
        help_text=_(
            "An expense claim pays you back what you spent; a supplier invoice (finance only) pays a supplier."
        ),
    )
    category = forms.ChoiceField(
        label=_("Cost category"),
        choices=[("", _("Choose…")), *CostCategory.choices],
        help_text=_("The budget line it counts against on the open books."),
    )
    description = forms.CharField(
        label=_("What it was for"), max_length=300, help_text=_("Published on the open books; no names, please.")
    )
    amount = AmountField(
        label=currency_label(_("Amount (%(symbol)s)")), help_text=_("As on the receipt, VAT included.")
    )
    spent_on = forms.DateField(
        label=_("Date on the receipt"),
        widget=LocaleDateInput(),
        initial=timezone.localdate,
        help_text=_("Not in the future."),
    )
    supplier_name = forms.CharField(
        label=_("Supplier (invoices only)"),
        max_length=120,
        required=False,
        help_text=_("The business that sent the invoice; never published."),
    )
    receipt = forms.FileField(
        label=_("Receipt or invoice"),
        help_text=_("A PDF, PNG or JPEG file of at most 5 MB. Only you and finance can open it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args: object, can_invoice: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not can_invoice:
            del self.fields["kind"]
            del self.fields["supplier_name"]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is turned down"),
        max_length=300,
        help_text=_("The person who submitted it reads this."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
