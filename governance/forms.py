"""Forms for governance pages: they validate shape only; services decide."""

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.decisions import DecisionType, FormField, decision_types
from core.exceptions import ApplicationError
from core.money import cents_to_major, currency_label, major_to_cents
from core.widgets import LocaleDateInput
from governance.models import Choice, Election, RuleSet
from governance.services.elections import SEATS_MAX


class AmountField(forms.DecimalField):
    """An amount typed in the coop's currency (12.50), cleaned to integer cents."""

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        amount = super().clean(value)
        return None if amount is None else major_to_cents(amount)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return cents_to_major(value)
        return value


def _coerce_to(choices: Sequence[tuple[Any, Any]]) -> Callable[[str], Any]:
    by_text = {str(value): value for value, _label in choices}
    return lambda text: by_text[str(text)]


def decision_form_field(spec: FormField) -> forms.Field:
    """The Django form field for one declared input of a decision type."""
    common: dict[str, Any] = {"label": spec.label, "help_text": spec.help_text, "required": spec.required}
    if spec.kind == "percent":
        return forms.DecimalField(
            min_value=spec.min_value if spec.min_value is not None else Decimal("0"),
            max_value=spec.max_value if spec.max_value is not None else Decimal("100"),
            max_digits=5,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            **common,
        )
    if spec.kind == "amount":
        return AmountField(
            min_value=spec.min_value if spec.min_value is not None else Decimal("0"),
            max_value=spec.max_value,
            max_digits=12,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            **{**common, "label": currency_label(spec.label)},
        )
    if spec.kind == "date":
        return forms.DateField(widget=LocaleDateInput(), **common)
    if spec.kind in ("choice", "choices"):
        choices = list(spec.choices() if spec.choices else [])
        if spec.kind == "choice":
            return forms.TypedChoiceField(
                choices=[("", gettext("Choose…")), *choices], coerce=_coerce_to(choices), **common
            )
        return forms.TypedMultipleChoiceField(
            choices=choices, coerce=_coerce_to(choices), widget=forms.CheckboxSelectMultiple, **common
        )
    if spec.kind == "longtext":
        return forms.CharField(max_length=spec.max_length, widget=forms.Textarea(attrs={"rows": 5}), **common)
    return forms.CharField(max_length=spec.max_length or 200, **common)


ROW_SEP = "__"


class DecisionFieldsMixin:
    """Adds the inputs a decision type declares to a form, and turns them into the type's payload.

    The cleaned payload is in `cleaned_data["payload"]`: exactly what the API would take. Rows
    fields become `name__<row>__<column>` inputs, with two blank rows to add more."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    initial: dict[str, Any]

    def _add_decision_fields(self, decision: DecisionType | None, payload: dict[str, Any] | None) -> None:
        self.decision = decision
        self.decision_specs = list(decision.form_fields()) if decision else []
        values = decision.from_payload(payload) if decision and payload is not None else {}
        self.row_counts: dict[str, int] = {}
        data = getattr(self, "data", {}) or {}
        for spec in self.decision_specs:
            if spec.kind != "rows":
                self.fields[spec.name] = decision_form_field(spec)
                if spec.name in values:
                    self.initial.setdefault(spec.name, values[spec.name])
                continue
            rows = list(values.get(spec.name) or [])
            posted = int(data.get(f"{spec.name}{ROW_SEP}count", 0) or 0) if data else 0
            count = min(max(len(rows) + 2, posted, 3), 30)
            self.row_counts[spec.name] = count
            for index in range(count):
                row = rows[index] if index < len(rows) else {}
                for column in spec.columns:
                    name = ROW_SEP.join((spec.name, str(index), column.name))
                    field = decision_form_field(column)
                    field.required = False
                    self.fields[name] = field
                    if column.name in row:
                        self.initial.setdefault(name, row[column.name])

    def decision_layout(self) -> list[dict[str, Any]]:
        """The declared inputs in order, for the template: single fields, and tables of rows."""
        form = cast(forms.Form, self)
        layout: list[dict[str, Any]] = []
        for spec in self.decision_specs:
            if spec.kind != "rows":
                layout.append({"field": form[spec.name]})
                continue
            rows = [
                [form[ROW_SEP.join((spec.name, str(index), column.name))] for column in spec.columns]
                for index in range(self.row_counts[spec.name])
            ]
            layout.append(
                {
                    "spec": spec,
                    "columns": spec.columns,
                    "rows": rows,
                    "count_name": f"{spec.name}{ROW_SEP}count",
                    "count": self.row_counts[spec.name],
                }
            )
        return layout

    def _clean_rows(self, spec: FormField) -> list[dict[str, Any]]:
        form = cast(forms.Form, self)
        rows: list[dict[str, Any]] = []
        for index in range(self.row_counts[spec.name]):
            names = {c.name: ROW_SEP.join((spec.name, str(index), c.name)) for c in spec.columns}
            row = {key: self.cleaned_data.get(name) for key, name in names.items()}
            if all(value in (None, "") for value in row.values()):
                continue
            for column in spec.columns:
                if column.required and row[column.name] in (None, ""):
                    form.add_error(
                        names[column.name], gettext("Fill in %(label)s in this row.") % {"label": column.label}
                    )
            rows.append(row)
        if spec.required and not rows:
            form.add_error(None, gettext("Add at least one row to %(label)s.") % {"label": spec.label})
        return rows

    def _clean_decision(self, *, earliest_date: date | None = None) -> None:
        form = cast(forms.Form, self)
        decision = self.decision
        if decision is None:
            return
        values: dict[str, Any] = {}
        for spec in self.decision_specs:
            if spec.kind == "rows":
                values[spec.name] = self._clean_rows(spec)
                continue
            values[spec.name] = self.cleaned_data.get(spec.name)
            when = values[spec.name]
            if spec.not_before_close and earliest_date is not None and isinstance(when, date) and when < earliest_date:
                form.add_error(
                    spec.name,
                    gettext(
                        "Choose %(date)s or later: the vote cannot close before then, so an earlier start would apply"
                        " the decision retroactively."
                    )
                    % {"date": date_format(earliest_date, "DATE_FORMAT")},
                )
        # Only the decision's own inputs decide whether its payload can be built: a preview needs no title.
        own = {spec.name for spec in self.decision_specs} | {
            name for name in form.fields if any(name.startswith(spec.name + ROW_SEP) for spec in self.decision_specs)
        }
        if any(name in form.errors for name in own) or NON_FIELD_ERRORS in form.errors:
            return
        try:
            payload = decision.to_payload(values)
            self.cleaned_data["payload"] = decision.validate_payload(payload)
        except ApplicationError as error:
            field = error.detail.get("field") if isinstance(error.detail, dict) else None
            form.add_error(field if field in form.fields else None, str(error.message))


class DecisionTypeForm(forms.Form):
    """Step one of a new proposal: what kind of decision (sent by GET, so the page works without scripts)."""

    type = forms.ChoiceField(label=_("What kind of decision"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", gettext("Choose…"))] + [(t.key, t.label) for t in decision_types()]


class ProposalForm(DecisionFieldsMixin, forms.Form):
    decision_key = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Motion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you propose and why. Members read this before they vote."),
    )

    def __init__(self, *args: Any, decision: DecisionType, earliest_date: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["decision_key"] = decision.key
        self.earliest_date = earliest_date
        self._add_decision_fields(decision, None)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._clean_decision(earliest_date=self.earliest_date)
        return cleaned


class AmendForm(DecisionFieldsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Motion"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    note = forms.CharField(label=_("What changed and why"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        decision: DecisionType,
        payload: dict[str, Any],
        earliest_date: date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.earliest_date = earliest_date
        self._add_decision_fields(decision, payload)
        # The note last, after the decision's own inputs.
        self.fields["note"] = self.fields.pop("note")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._clean_decision(earliest_date=self.earliest_date)
        return cleaned


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
