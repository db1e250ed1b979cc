"""Input shapes that several of the marketplace API's write endpoints share.

A shape only one endpoint reads lives on that endpoint's view as its `InputSerializer`.
"""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from core.api.fields import CentsField, CountField, CurrencyField
from marketplace import limits
from marketplace.models import Job
from marketplace.models.jobs import MAX_HIRES, SECTORS
from marketplace.services.proposals import MAX_PLAN_ITEMS


class PlanItemInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    amount_cents = CentsField(min_value=1)
    due_date = serializers.DateField(required=False, allow_null=True)


class JobInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=limits.JOB_DESCRIPTION)
    skills = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, default=list, max_length=15
    )
    pricing_type = serializers.ChoiceField(choices=Job.PricingType.choices, default=Job.PricingType.FIXED)
    budget_min_cents = CentsField()
    budget_max_cents = CentsField()
    currency = CurrencyField()
    remote = serializers.BooleanField(default=True)
    location = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    hires_wanted = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_HIRES,
        help_text="How many people the job hires (1 when left out on create, unchanged on update); "
        "once hired, the job leaves search and takes no more proposals.",
    )
    sector = serializers.ChoiceField(
        choices=SECTORS,
        required=False,
        default=None,
        allow_null=True,
        allow_blank=True,
        help_text="The client's sector; the members' project acceptance rules read it when the job is "
        "published (unchanged on update when left out; fixed once published).",
    )


class FilesInput(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=10)


class TermsInput(serializers.Serializer):
    amount_cents = CentsField()
    currency = CurrencyField()
    duration_days = CountField()
    milestone_plan = PlanItemInput(
        many=True,
        required=False,
        default=list,
        max_length=MAX_PLAN_ITEMS,
        error_messages={"max_length": gettext_lazy("A plan can have at most {max_length} milestones.")},
    )


class NoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=limits.CHANGES_NOTE)
