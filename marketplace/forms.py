"""Forms check the shape of input; the services hold the rules."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import ApplicationError
from core.money import MAX_AMOUNT_CENTS, currency_label, major_to_cents
from core.widgets import LocaleDateInput
from marketplace import limits
from marketplace.exceptions import ErrorCode
from marketplace.models import ClientProfile, Dispute, FreelancerProfile, Job, Skill
from marketplace.models.jobs import MAX_HIRES
from marketplace.selectors.search import POSTED_WITHIN_DAYS, SORTS
from marketplace.services._limits import amount_too_large_message, check_due_date, check_due_dates_in_order


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def to_cents(value: Decimal | None, currency: str | None = None) -> int | None:
    if value is None:
        return None
    try:
        return major_to_cents(value, currency)
    except ValueError:
        raise ValidationError(_("Use at most two decimals."), code=ErrorCode.PRECISION) from None


class AmountField(forms.DecimalField):
    """An amount typed in the coop currency's major units, cleaned to integer cents, at most MAX_AMOUNT_CENTS."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal("0.01"))
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> int | None:
        cents = to_cents(super().clean(value))
        if cents is not None and cents > MAX_AMOUNT_CENTS:
            raise ValidationError(amount_too_large_message(), code=ErrorCode.MAX_VALUE)
        return cents


def skill_names_from_text(text: str) -> list[str]:
    """Split comma-separated skills into names, repeats once, at most 15 (the API refuses more)."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    return list(dict.fromkeys(names))[:15]


class SkillsField(forms.CharField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("help_text", gettext_lazy("Separate skills with commas, for example: Python, Django"))
        super().__init__(*args, **kwargs)


class JobForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=limits.JOB_DESCRIPTION, widget=limits.counted(8)
    )
    skills = SkillsField(label=gettext_lazy("Skills"))
    pricing_type = forms.ChoiceField(label=gettext_lazy("Pricing"), choices=Job.PricingType.choices)
    budget_min = AmountField(label=currency_label(gettext_lazy("Budget from (%(symbol)s)")))
    budget_max = AmountField(label=currency_label(gettext_lazy("Budget up to (%(symbol)s)")))
    deadline = forms.DateField(label=gettext_lazy("Deadline"), required=False, widget=LocaleDateInput())
    remote = forms.BooleanField(label=gettext_lazy("Can be done remotely"), required=False, initial=True)
    location = forms.CharField(label=gettext_lazy("Location"), max_length=120, required=False)
    hires_wanted = forms.IntegerField(
        label=gettext_lazy("People to hire"),
        required=False,
        min_value=1,
        max_value=MAX_HIRES,
        initial=1,
        help_text=gettext_lazy("When this many people are hired, the job leaves search and takes no more proposals."),
    )
    attachments = MultipleFileField(label=gettext_lazy("Attachments"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("budget_min"), data.get("budget_max")
        if low is not None and high is not None and high < low:
            self.add_error("budget_max", _("The upper end must be at least the lower end."))
        return data


class ReopenForm(forms.Form):
    hires_wanted = forms.IntegerField(
        label=gettext_lazy("People to hire in all"),
        min_value=1,
        max_value=MAX_HIRES,
        help_text=gettext_lazy("Counting the people already hired; raise it to hire more."),
    )


def _posted_within_label(days: int) -> str:
    # Called when the choice is shown: `gettext_lazy(...) % {...}` would translate once, at import.
    return _("%(n)s days") % {"n": days} if days > 1 else _("1 day")


class JobSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    skill = forms.ModelChoiceField(
        label=gettext_lazy("Skill"),
        queryset=Skill.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=gettext_lazy("Any skill"),
    )
    pricing_type = forms.ChoiceField(
        label=gettext_lazy("Pricing"), required=False, choices=[("", gettext_lazy("Any")), *Job.PricingType.choices]
    )
    budget_min = AmountField(label=currency_label(gettext_lazy("Budget at least (%(symbol)s)")), required=False)
    budget_max = AmountField(label=currency_label(gettext_lazy("Budget at most (%(symbol)s)")), required=False)
    remote = forms.ChoiceField(
        label=gettext_lazy("Where"),
        required=False,
        choices=[
            ("", gettext_lazy("Anywhere")),
            ("true", gettext_lazy("Remote only")),
            ("false", gettext_lazy("On site")),
        ],
    )
    posted_within_days = forms.TypedChoiceField(
        label=gettext_lazy("Posted within"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", gettext_lazy("Any time"))]
        + [(str(d), lazy(_posted_within_label, str)(d)) for d in POSTED_WITHIN_DAYS],
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=list(
            zip(
                SORTS,
                [
                    gettext_lazy("Best match"),
                    gettext_lazy("Newest"),
                    gettext_lazy("Highest budget"),
                    gettext_lazy("Lowest budget"),
                ],
                strict=True,
            )
        ),
    )

    def search_params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "skill": data["skill"].slug if data.get("skill") else "",
            "pricing_type": data.get("pricing_type") or "",
            "budget_min_cents": data.get("budget_min"),
            "budget_max_cents": data.get("budget_max"),
            "remote": data.get("remote") or None,
            "posted_within_days": data.get("posted_within_days"),
            "sort": data.get("sort") or "relevance",
        }


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name this search"), max_length=120)
    email_alerts = forms.BooleanField(label=gettext_lazy("Email me new matches"), required=False, initial=True)


def parse_plan(text: str) -> list[dict[str, Any]]:
    """Read a plan written one milestone a line: "title; amount; optional due date (YYYY-MM-DD)"."""
    plan = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) < 2 or not parts[0]:
            raise ValidationError(_("Line %(n)s: write “title; amount; due date”.") % {"n": number})
        try:
            cents = to_cents(Decimal(parts[1].replace(",", ".")))
        except (ArithmeticError, ValueError):
            raise ValidationError(_("Line %(n)s: the amount is not a number.") % {"n": number}) from None
        due = parts[2] if len(parts) > 2 and parts[2] else None
        if due is not None:
            try:
                due_on = date.fromisoformat(due)
            except ValueError:
                raise ValidationError(_("Line %(n)s: write the due date as YYYY-MM-DD.") % {"n": number}) from None
            try:
                check_due_date(due_on)
            except ApplicationError:
                raise ValidationError(_("Line %(n)s: the due date cannot be in the past.") % {"n": number}) from None
        plan.append({"title": parts[0], "amount_cents": cents, "due_date": due})
    try:
        check_due_dates_in_order(date.fromisoformat(item["due_date"]) for item in plan if item["due_date"])
    except ApplicationError as error:
        raise ValidationError(error.message) from None
    return plan


class TermsForm(forms.Form):
    amount = AmountField(label=currency_label(gettext_lazy("Price, or hourly rate for hourly jobs (%(symbol)s)")))
    duration_days = forms.IntegerField(label=gettext_lazy("Estimated duration (days)"), min_value=1, max_value=3650)
    milestone_plan = forms.CharField(
        label=gettext_lazy("Milestone plan (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One milestone a line: title; amount; due date. For example: Design; 400; 2027-02-01"),
    )

    def clean_milestone_plan(self) -> list[dict[str, Any]]:
        return parse_plan(self.cleaned_data.get("milestone_plan") or "")


class ProposalForm(TermsForm):
    cover_letter = forms.CharField(
        label=gettext_lazy("Cover letter"), max_length=limits.COVER_LETTER, widget=limits.counted(8)
    )
    field_order = ["cover_letter", "amount", "duration_days", "milestone_plan"]


class ReviseForm(TermsForm):
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=limits.PROPOSAL_NOTE, widget=limits.counted(2)
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Milestone"), max_length=200)
    amount = AmountField(label=currency_label(gettext_lazy("Amount (%(symbol)s)")))
    due_date = forms.DateField(label=gettext_lazy("Due date"), required=False, widget=LocaleDateInput())

    def clean_due_date(self) -> date | None:
        due = self.cleaned_data.get("due_date")
        try:
            check_due_date(due)
        except ApplicationError as error:
            raise ValidationError(error.message) from None
        return due


class DeliveryForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("What are you delivering?"), max_length=limits.DELIVERY_MESSAGE, widget=limits.counted(6)
    )
    files = MultipleFileField(label=gettext_lazy("Files"))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What should change?"), max_length=limits.CHANGES_NOTE, widget=limits.counted(3)
    )


class TimesheetForm(forms.Form):
    week_start = forms.DateField(label=gettext_lazy("Week starting (Monday)"), widget=LocaleDateInput())
    hours = forms.DecimalField(label=gettext_lazy("Hours"), min_value=Decimal("0.25"), max_value=168, decimal_places=2)
    description = forms.CharField(
        label=gettext_lazy("What did you work on?"),
        max_length=limits.TIMESHEET_DESCRIPTION,
        widget=limits.counted(3),
    )


class ReviewForm(forms.Form):
    STARS = [(n, str(n)) for n in range(5, 0, -1)]
    rating_quality = forms.TypedChoiceField(label=gettext_lazy("Quality"), choices=STARS, coerce=int)
    rating_communication = forms.TypedChoiceField(label=gettext_lazy("Communication"), choices=STARS, coerce=int)
    rating_reliability = forms.TypedChoiceField(label=gettext_lazy("Reliability"), choices=STARS, coerce=int)
    text = forms.CharField(label=gettext_lazy("Your review"), max_length=limits.REVIEW, widget=limits.counted(5))


class ResponseForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your response"), max_length=limits.REVIEW_RESPONSE, widget=limits.counted(3)
    )


class DisputeForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=Dispute.Reason.choices)
    statement = forms.CharField(
        label=gettext_lazy("What happened?"), max_length=limits.DISPUTE_TEXT, widget=limits.counted(6)
    )
    files = MultipleFileField(label=gettext_lazy("Evidence"))


class DisputeResponseForm(forms.Form):
    response = forms.CharField(
        label=gettext_lazy("Your side"), max_length=limits.DISPUTE_TEXT, widget=limits.counted(6)
    )
    files = MultipleFileField(label=gettext_lazy("Evidence"))


class EvidenceForm(forms.Form):
    files = MultipleFileField(label=gettext_lazy("More evidence"), required=True)


class ResolveForm(forms.Form):
    release = AmountField(
        label=currency_label(gettext_lazy("Release to the freelancer (%(symbol)s)")), min_value=Decimal(0)
    )
    decision = forms.CharField(
        label=gettext_lazy("Decision and reasons"), max_length=limits.DISPUTE_TEXT, widget=limits.counted(5)
    )


class MediatorAppointForm(forms.Form):
    user_id = forms.IntegerField(label=gettext_lazy("Member's user number"), min_value=1)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"), required=False, max_length=limits.MESSAGE, widget=limits.counted(3)
    )
    files = MultipleFileField(label=gettext_lazy("Attach files"))


class FreelancerProfileForm(forms.ModelForm):
    skills_text = SkillsField(label=gettext_lazy("Skills"))
    hourly_rate = AmountField(label=currency_label(gettext_lazy("Hourly rate (%(symbol)s)")), required=False)

    class Meta:
        model = FreelancerProfile
        fields = [
            "headline",
            "bio",
            "availability",
            "remote",
            "location",
            "languages",
            "show_work_history",
        ]
        widgets = {"bio": limits.counted(6)}


class ClientProfileForm(forms.ModelForm):
    class Meta:
        model = ClientProfile
        fields = ["kind", "organisation_name", "about"]
        widgets = {"about": limits.counted(5)}


class PortfolioItemForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=160)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=limits.PORTFOLIO_DESCRIPTION,
        widget=limits.counted(3),
    )
    url = forms.URLField(label=gettext_lazy("Link"), required=False, assume_scheme="https")
    file = forms.FileField(label=gettext_lazy("File"), required=False)
