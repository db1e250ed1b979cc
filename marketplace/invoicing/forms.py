"""The business details form: every field labelled and explained; the service checks the numbers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.models import BusinessDetails
from marketplace.selectors.invoices import country_choices


class BusinessDetailsForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("You invoice as"),
        choices=BusinessDetails.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_("A sole trader (eenmanszaak) is an individual."),
    )
    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=200,
        help_text=_("The name on your invoices: your full name, or your company's registered name."),
    )
    street = forms.CharField(label=_("Street and number"), max_length=200, help_text=_("For example: Damrak 5"))
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, help_text=_("For example: 1012 LG"))
    city = forms.CharField(label=_("City"), max_length=100, help_text=_("For example: Amsterdam"))
    country = forms.ChoiceField(label=_("Country"), help_text=_("Where your business is established."))
    kvk_number = forms.CharField(
        label=_("KVK number"),
        required=False,
        max_length=20,
        help_text=_("Eight digits, from the Dutch Chamber of Commerce. Leave empty outside the Netherlands."),
    )
    vat_scheme = forms.ChoiceField(
        label=_("VAT status"),
        choices=BusinessDetails.TaxStatus.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Under the small-business scheme (KOR) your invoices carry no VAT. Clients who are private "
            "persons choose “not registered”."
        ),
    )
    vat_number = forms.CharField(
        label=_("VAT number"),
        required=False,
        max_length=30,
        help_text=_(
            "With the country prefix, for example NL123456789B01. Needed when you are registered for VAT or "
            "use the KOR, and for business clients in another EU country (reverse charge)."
        ),
    )
    self_billing_consent = forms.BooleanField(
        label=_("I agree that the coop issues invoices for my work in my name (self-billing)"),
        required=False,
        help_text=_(
            "Freelancers only: when a milestone is paid, the coop issues the invoice to your client on your "
            "behalf, numbered in your own series. You agree once; it stays recorded."
        ),
    )

    def __init__(self, *args: Any, details: BusinessDetails | None = None, **kwargs: Any) -> None:
        # Initial values show only on an unbound form, so they are set whatever the form is bound to.
        if details is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": details.kind,
                    "legal_name": details.legal_name,
                    "street": details.street,
                    "postal_code": details.postal_code,
                    "city": details.city,
                    "country": details.country,
                    "kvk_number": details.kvk_number,
                    "vat_number": details.vat_number,
                    "vat_scheme": details.vat_scheme,
                    "self_billing_consent": details.self_billing_consent_at is not None,
                },
            )
        else:
            kwargs.setdefault("initial", {"country": "NL", "kind": "individual", "vat_scheme": "vat"})
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = country_choices()
        if details is not None and details.self_billing_consent_at is not None:
            self.fields["self_billing_consent"].disabled = True
            self.fields["self_billing_consent"].initial = True
