from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    """Extra sign-up fields for allauth: the name people see and what the user came to do."""

    display_name = forms.CharField(label=_("Your name"), max_length=120)
    is_client = forms.BooleanField(label=_("I want to hire freelancers"), required=False)
    is_freelancer = forms.BooleanField(label=_("I want to work as a freelancer"), required=False)

    def signup(self, request: Any, user: Any) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.is_client = self.cleaned_data["is_client"]
        user.is_freelancer = self.cleaned_data["is_freelancer"]
        user.preferred_language = (getattr(request, "LANGUAGE_CODE", "") or "en")[:2]
        user.save(update_fields=["display_name", "is_client", "is_freelancer", "preferred_language"])
