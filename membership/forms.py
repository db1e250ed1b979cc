from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from membership.exceptions import ErrorCode
from membership.models import MemberClass, PrivacySettings


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


class MemberClassChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MemberClass) -> str:
        from core.money import Money

        return f"{obj.display_name} ({Money(obj.share_total_cents, obj.currency).format()})"


class ApplicationForm(forms.Form):
    member_class = MemberClassChoiceField(
        label=_("Member class"),
        queryset=MemberClass.objects.filter(open_for_applications=True).order_by("name"),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a member class."), "invalid_choice": _("Choose a member class.")},
    )
    motivation = forms.CharField(
        label=_("Why do you want to become a member?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": _("Tell the members why you want to join.")},
    )
    bylaws_version = forms.IntegerField(widget=forms.HiddenInput)
    accept_bylaws = forms.BooleanField(
        label=_("I have read the bylaws and accept them"),
        error_messages={"required": _("You need to accept the bylaws to become a member.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give a reason.")},
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, I am sure"), error_messages={"required": _("Tick the box to confirm.")})


class PrivacySettingsForm(forms.ModelForm):
    class Meta:
        model = PrivacySettings
        fields = [
            "profile_audience",
            "show_hourly_rate",
            "show_location",
            "show_reviews",
            "show_membership",
            "show_name_in_register",
        ]
        widgets = {"profile_audience": forms.RadioSelect}


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
        error_messages={"required": _("Enter your password to confirm.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone"),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not correct."), code=ErrorCode.BAD_PASSWORD)
        return password
