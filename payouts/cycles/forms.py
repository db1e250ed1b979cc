from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import LocaleDateInput


class CycleOpenForm(forms.Form):
    period_start = forms.DateField(label=_("First day of the period"), widget=LocaleDateInput())
    period_end = forms.DateField(
        label=_("Day after the period"),
        help_text=_("The period runs up to, not including, this day."),
        widget=LocaleDateInput(),
    )


class ApproveForm(forms.Form):
    allocation_hash = forms.CharField(min_length=64, max_length=64, widget=forms.HiddenInput)
