"""Forms owned by core: how a person wants each kind of notice."""

from typing import Any

from django import forms

from core.models import NotificationChannel
from core.notifications import NOTIFICATION_KINDS


def _field_name(kind: str) -> str:
    return "kind__" + kind.replace(".", "__")


class NotificationSettingsForm(forms.Form):
    """One choice per registered kind of notice, grouped by topic on the page."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind_for_field: dict[str, str] = {}
        for key, kind in NOTIFICATION_KINDS.items():
            name = _field_name(key)
            self.kind_for_field[name] = key
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                choices=NotificationChannel.choices,
                initial=current.get(key),
            )
            self.fields[name].topic = kind.topic  # type: ignore[attr-defined]

    def topics(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Return the fields grouped by topic, in registration order."""
        groups: dict[str, list[forms.BoundField]] = {}
        for name in self.fields:
            groups.setdefault(str(self.fields[name].topic), []).append(self[name])  # type: ignore[attr-defined]
        return list(groups.items())

    def channels(self) -> dict[str, str]:
        return {self.kind_for_field[name]: value for name, value in self.cleaned_data.items()}
