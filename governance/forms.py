"""Forms for governance pages: they validate shape only; services decide."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.decisions import decision_types
from governance.exceptions import ErrorCode
from governance.models import Choice, Election, RuleSet
from governance.services.elections import SEATS_MAX


def parse_details(text: str) -> dict[str, Any]:
    """Turn "name: value" lines into a payload; whole numbers become ints, decimals stay exact strings."""
    payload: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise ValidationError(
                _("Line %(n)d: write each detail as name: value."), code=ErrorCode.BAD_LINE, params={"n": number}
            )
        value = value.strip()
        if value.lower() in {"true", "false"}:
            payload[name.strip()] = value.lower() == "true"
            continue
        try:
            payload[name.strip()] = int(value)
            continue
        except ValueError:
            pass
        payload[name.strip()] = value
    return payload


class ProposalForm(forms.Form):
    decision_key = forms.ChoiceField(label=_("What kind of decision"))
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Motion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you propose and why. Members read this before they vote."),
    )
    details = forms.CharField(
        label=_("Details of the decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("One detail per line, as name: value (for example percent: 8). Leave empty for a resolution."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision_key"].choices = [(t.key, t.label) for t in decision_types()]

    def clean_details(self) -> dict[str, Any]:
        return parse_details(self.cleaned_data.get("details") or "")


class AmendForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Motion"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    details = forms.CharField(
        label=_("Details of the decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    note = forms.CharField(label=_("What changed and why"), max_length=300, required=False)

    def clean_details(self) -> dict[str, Any]:
        return parse_details(self.cleaned_data.get("details") or "")


class PublishForm(forms.Form):
    """Publish a draft. Pages offer the urgent box only to the board, for the types the rules list
    (`ruleset`: the rules whose urgent procedure is offered); the service decides."""

    urgent = forms.BooleanField(label=_("Use the urgent procedure"), required=False)

    def __init__(self, *args: Any, ruleset: RuleSet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ruleset is not None:
            self.fields["urgent"].help_text = urgent_procedure_text(ruleset)


def urgent_procedure_text(ruleset: RuleSet) -> str:
    """Say what the urgent procedure of these rules shortens, and under which article."""
    text = ngettext(
        "Notice of %(notice)d day instead of %(usual_notice)d,",
        "Notice of %(notice)d days instead of %(usual_notice)d,",
        ruleset.urgent_notice_days,
    ) % {"notice": ruleset.urgent_notice_days, "usual_notice": ruleset.notice_days}
    text += " " + ngettext(
        "then voting for %(voting)d day instead of %(usual_voting)d.",
        "then voting for %(voting)d days instead of %(usual_voting)d.",
        ruleset.urgent_voting_days,
    ) % {"voting": ruleset.urgent_voting_days, "usual_voting": ruleset.voting_days}
    if ruleset.urgent_article:
        text += " " + gettext("Article %(article)s of the bylaws allows it.") % {"article": ruleset.urgent_article}
    return text


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}))


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=Choice.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    on_behalf_of = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ProxyForm(forms.Form):
    holder_member_number = forms.IntegerField(label=_("Member number of your proxy"), min_value=1)


class ElectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    seats = forms.IntegerField(label=_("Seats to fill"), min_value=1, max_value=SEATS_MAX, initial=1)
    method = forms.ChoiceField(label=_("Counting method"), choices=Election.Method.choices, initial="stv-scottish")


class NominationForm(forms.Form):
    statement = forms.CharField(
        label=_("Your statement"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why you are standing and what you would do on the board."),
    )


def join_details(payload: dict[str, Any]) -> str:
    return "\n".join(f"{name}: {value}" for name, value in payload.items())
