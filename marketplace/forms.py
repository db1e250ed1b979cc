"""Forms check the shape of input; the services hold the rules."""

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.money import MAX_AMOUNT_CENTS, cents_to_major, currency_label, major_to_cents
from core.widgets import LocaleDateInput
from marketplace import limits
from marketplace.exceptions import ErrorCode
from marketplace.models import ClientProfile, Dispute, FreelancerProfile, Job, Skill
from marketplace.models.jobs import MAX_HIRES, SECTORS
from marketplace.selectors.search import POSTED_WITHIN_DAYS, SORTS
from marketplace.services._limits import amount_too_large_message, check_due_date, check_due_dates_in_order
from marketplace.services.profiles import SKILLS_VERSION_KEY
from marketplace.services.proposals import MAX_PLAN_ITEMS

PLAN_PREFIX = "plan"
FILTERS_CACHE_SECONDS = 600


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
    sector = forms.ChoiceField(
        label=gettext_lazy("Sector"),
        required=False,
        choices=[("", gettext_lazy("Not said")), *SECTORS],
        help_text=gettext_lazy(
            "The field your organisation works in. The members decide which sectors they take on; "
            "it cannot be changed once the job is published."
        ),
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

    def filters_html(self) -> SafeString:
        """The form's fields as HTML, rendered once per language, list of skills and values asked for.

        Rendering eight fields through Django's widget templates costs more than the search's queries
        (issue 18), and every visitor browsing the list asks for the same few renderings. A form with
        errors is rendered afresh; a new skill starts a new list (`skills_changed`), and a skill added
        by other means appears within `FILTERS_CACHE_SECONDS`.
        """
        if self.is_bound and self.errors:
            return self.as_div()
        key = self._filters_key([str(self[name].value() or "") for name in self.fields])
        html = cache.get(key)
        if html is None:
            html = str(self.as_div())
            cache.set(key, html, FILTERS_CACHE_SECONDS)
        return mark_safe(html)  # noqa: S308 - our own form's rendering, stored as rendered

    @classmethod
    def blank_filters_html(cls) -> SafeString:
        """`filters_html` of the form with nothing asked for, without building one when it is cached:
        what most visits to the list show."""
        html = cache.get(cls._filters_key([""] * len(cls.base_fields)))
        return cls().filters_html() if html is None else mark_safe(html)  # noqa: S308 - as filters_html

    @staticmethod
    def _filters_key(values: list[str]) -> str:
        digest = hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]
        return f"jobsearch:{get_language()}:{cache.get(SKILLS_VERSION_KEY, 0)}:{digest}"

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


class MilestoneRowForm(forms.Form):
    """One row of the milestone-plan editor: a title, an amount and an optional due date.

    A row left wholly empty is skipped (the page offers spare rows for people without the script).
    """

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    amount = AmountField(label=currency_label(gettext_lazy("Amount (%(symbol)s)")), required=False)
    due_date = forms.DateField(label=gettext_lazy("Due date"), required=False, widget=LocaleDateInput())

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("title") or data.get("amount") or data.get("due_date"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or not (data.get("title") or data.get("amount") or data.get("due_date")):
            return data
        if not (data.get("title") or "").strip():
            self.add_error("title", _("Give this milestone a title."))
        if not data.get("amount"):
            self.add_error("amount", _("Give this milestone an amount."))
        if data.get("due_date"):
            try:
                check_due_date(data["due_date"])
            except ApplicationError as error:
                self.add_error("due_date", error.message)
        return data


class BaseMilestonePlanFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = gettext_lazy("Remove this milestone")

    def clean(self) -> None:
        if any(self.errors):
            return
        try:
            check_due_dates_in_order(item["due_date"] for item in self.plan_rows() if item["due_date"])
        except ApplicationError as error:
            raise ValidationError(error.message) from None

    def plan_rows(self) -> list[dict[str, Any]]:
        """The rows kept (not removed, not blank), in page order, with dates as date objects."""
        rows = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.is_blank():
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            data = form.cleaned_data
            rows.append({"title": data["title"].strip(), "amount_cents": data["amount"], "due_date": data["due_date"]})
        return rows


MilestonePlanFormSet = forms.formset_factory(
    MilestoneRowForm,
    formset=BaseMilestonePlanFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_PLAN_ITEMS,
    validate_max=True,
    absolute_max=MAX_PLAN_ITEMS + 5,
)

# Spare empty rows a page without the script offers; with it, "Add a milestone" makes more.
PLAN_SPARE_ROWS = 2


class TermsForm(forms.Form):
    """The terms of a proposal, with its milestone plan as rows (`self.plan`, a formset prefixed "plan")."""

    amount = AmountField(label=currency_label(gettext_lazy("Price, or hourly rate for hourly jobs (%(symbol)s)")))
    duration_days = forms.IntegerField(label=gettext_lazy("Estimated duration (days)"), min_value=1, max_value=3650)

    def __init__(self, data: Any = None, *args: Any, plan: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        initial = [
            {
                "title": item["title"],
                "amount": cents_to_major(item["amount_cents"]),
                "due_date": date.fromisoformat(item["due_date"]) if item.get("due_date") else None,
            }
            for item in plan or []
        ]
        # A body without the plan's rows (an older page, a script) simply has no plan.
        has_rows = data is not None and f"{PLAN_PREFIX}-TOTAL_FORMS" in data
        self.plan = MilestonePlanFormSet(data if has_rows else None, prefix=PLAN_PREFIX, initial=initial)
        self.plan.extra = PLAN_SPARE_ROWS
        self._plan_bound = has_rows
        # Shown at the plan, where it is fixed, rather than at the top of the form.
        self.plan_sum_error = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["milestone_plan"] = []
        if not self._plan_bound:
            return data
        if not self.plan.is_valid():
            self.add_error(None, _("Check the milestone plan below."))
            return data
        rows = cast(BaseMilestonePlanFormSet, self.plan).plan_rows()
        amount = data.get("amount")
        if rows and amount is not None and sum(row["amount_cents"] for row in rows) != amount:
            self.plan_sum_error = _("The milestones must add up to the total price.")
            self.add_error(None, _("Check the milestone plan below."))
            return data
        data["milestone_plan"] = [
            {**row, "due_date": row["due_date"].isoformat() if row["due_date"] else None} for row in rows
        ]
        return data


class ProposalForm(TermsForm):
    cover_letter = forms.CharField(
        label=gettext_lazy("Cover letter"), max_length=limits.COVER_LETTER, widget=limits.counted(8)
    )
    field_order = ["cover_letter", "amount", "duration_days"]


class ReviseForm(TermsForm):
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=limits.PROPOSAL_NOTE, widget=limits.counted(2)
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Milestone"), max_length=200)
    amount = AmountField(label=currency_label(gettext_lazy("Amount (%(symbol)s)")))
    due_date = forms.DateField(label=gettext_lazy("Due date"), required=False, widget=LocaleDateInput())
    estimated_hours = forms.IntegerField(
        label=gettext_lazy("Estimated hours"),
        required=False,
        min_value=1,
        max_value=2000,
        help_text=gettext_lazy(
            "The hours of work this milestone pays for; needed when the members' minimum rate applies."
        ),
    )

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


class FreelancerSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    skill = forms.ModelChoiceField(
        label=gettext_lazy("Skill"),
        queryset=Skill.objects.filter(freelancers__isnull=False).distinct(),
        required=False,
        to_field_name="slug",
        empty_label=gettext_lazy("Any skill"),
    )

    def search_params(self) -> dict[str, str]:
        data = self.cleaned_data
        return {"q": data.get("q") or "", "skill": data["skill"].slug if data.get("skill") else ""}


class InvitationForm(forms.Form):
    job = forms.ModelChoiceField(label=gettext_lazy("Which of your open jobs?"), queryset=Job.objects.none())
    message = forms.CharField(
        label=gettext_lazy("Message (optional)"),
        required=False,
        max_length=limits.INVITATION,
        widget=limits.counted(4),
    )

    def __init__(self, *args: Any, jobs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["job"]).queryset = jobs
