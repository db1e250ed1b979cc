"""The DAC7 details form: its shape only; the service checks the values (a Dutch TIN's eleven-test)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.tax.countries import country_choices


class Dac7DetailsForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=200,
        required=False,
        help_text=_("As on your passport or identity card."),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=200,
        required=False,
        help_text=_("With any prefix, such as \u201cvan\u201d or \u201cde\u201d."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The tax authority uses it to tell people with the same name apart."),
    )
    tin = forms.CharField(
        label=_("Tax identification number"),
        max_length=200,
        help_text=_("In the Netherlands your BSN (a person) or RSIN (a company); elsewhere your country's tax number."),
    )
    tin_country = forms.ChoiceField(
        label=_("Country that issued it"),
        help_text=_("The country whose tax authority gave you this number."),
    )

    registration_number = forms.CharField(
        label=_("Business registration number"),
        max_length=200,
        required=False,
        help_text=_(
            "The number your business has in the business register, such as its KVK number in the Netherlands. "
            "A Dutch business may leave it empty when its business details have its KVK number."
        ),
    )
    registration_country = forms.ChoiceField(
        label=_("Country of the register"),
        required=False,
        help_text=_("The country whose business register gave this number."),
    )

    def __init__(self, *args: object, entity: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["tin_country"].choices = country_choices()  # type: ignore[attr-defined]
        self.fields["registration_country"].choices = country_choices()  # type: ignore[attr-defined]
        if entity:
            for name in ("first_name", "last_name", "date_of_birth"):
                del self.fields[name]
        else:
            for name in ("first_name", "last_name", "date_of_birth"):
                self.fields[name].required = True
            for name in ("registration_number", "registration_country"):
                del self.fields[name]
