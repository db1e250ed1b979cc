"""Forms owned by core: how a person wants each kind of notice, and a new API token."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core import tokens
from core.models import NotificationChannel
from core.notifications import NOTIFICATION_KINDS


def _field_name(kind: str) -> str:
    return "kind__" + kind.replace(".", "__")


class NotificationSettingsForm(forms.Form):
    """One choice per registered kind of notice, grouped by topic on the page."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind_for_field: dict[str, str] = {}
        # One choice for every kind at once (such as the weekly digest for everything); empty keeps each kind's.
        self.fields["every_kind"] = forms.ChoiceField(
            label=_("For every kind of notice"),
            choices=[("", _("As chosen for each kind below")), *NotificationChannel.choices],
            required=False,
            help_text=_("The weekly digest lists, each Monday, the notices of the week before in one email."),
        )
        for key, kind in NOTIFICATION_KINDS.items():
            name = _field_name(key)
            self.kind_for_field[name] = key
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                choices=NotificationChannel.choices,
                initial=current.get(key),
                required=False,
            )
            self.fields[name].topic = kind.topic  # type: ignore[attr-defined]

    def topics(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Return the fields grouped by topic, in registration order."""
        groups: dict[str, list[forms.BoundField]] = {}
        for name in self.kind_for_field:
            groups.setdefault(str(self.fields[name].topic), []).append(self[name])  # type: ignore[attr-defined]
        return list(groups.items())

    def channels(self) -> dict[str, str]:
        every = self.cleaned_data.get("every_kind")
        chosen = {kind: every or self.cleaned_data.get(name) for name, kind in self.kind_for_field.items()}
        return {kind: channel for kind, channel in chosen.items() if channel}


class TokenCreateForm(forms.Form):
    """Name a new API token and choose how long it stays valid."""

    VALIDITY_CHOICES = [
        (30, _("30 days")),
        (90, _("90 days")),
        (180, _("180 days")),
        (365, _("1 year")),
    ]

    name = forms.CharField(
        label=_("Name"),
        max_length=tokens.NAME_MAX_LENGTH,
        help_text=_("What uses it, such as “Laptop script”, so you know which to revoke."),
        error_messages={"required": _("Give the token a name, such as the device or script that uses it.")},
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Valid for"),
        choices=VALIDITY_CHOICES,
        coerce=int,
        initial=tokens.DEFAULT_DAYS,
        error_messages={"invalid_choice": _("Choose how long the token stays valid.")},
    )
