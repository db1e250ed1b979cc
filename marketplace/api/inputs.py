"""Input shapes of the marketplace API's write endpoints."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from core.api.fields import CentsField, CountField, IdField, IdListField
from marketplace.models import ClientProfile, Dispute, FreelancerProfile, Job
from marketplace.services.proposals import MAX_PLAN_ITEMS


class PlanItemInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    amount_cents = CentsField(min_value=1)
    due_date = serializers.DateField(required=False, allow_null=True)


class JobInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    skills = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, default=list, max_length=15
    )
    pricing_type = serializers.ChoiceField(choices=Job.PricingType.choices, default=Job.PricingType.FIXED)
    budget_min_cents = CentsField()
    budget_max_cents = CentsField()
    remote = serializers.BooleanField(default=True)
    location = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class JobCreateInput(JobInput):
    publish = serializers.BooleanField(default=False)


class FundInput(serializers.Serializer):
    # Checked against the enabled providers by the payments layer, which names the refusal.
    provider = serializers.CharField(max_length=32, required=False, default="bank_transfer")


class FileInput(serializers.Serializer):
    file = serializers.FileField()


class FilesInput(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=10)


class TermsInput(serializers.Serializer):
    amount_cents = CentsField()
    duration_days = CountField()
    milestone_plan = PlanItemInput(
        many=True,
        required=False,
        default=list,
        max_length=MAX_PLAN_ITEMS,
        error_messages={"max_length": gettext_lazy("A plan can have at most {max_length} milestones.")},
    )


class ProposalInput(TermsInput):
    cover_letter = serializers.CharField()


class ReviseInput(TermsInput):
    note = serializers.CharField(required=False, default="", allow_blank=True)


class MilestoneInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    amount_cents = CentsField()
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class DeliveryInput(FilesInput):
    message = serializers.CharField()


class NoteInput(serializers.Serializer):
    note = serializers.CharField()


class TimesheetInput(serializers.Serializer):
    week_start = serializers.DateField()
    minutes = CountField()
    description = serializers.CharField()


class ReviewInput(serializers.Serializer):
    rating_quality = CountField()
    rating_communication = CountField()
    rating_reliability = CountField()
    text = serializers.CharField()


class TextInput(serializers.Serializer):
    text = serializers.CharField()


class DisputeInput(FilesInput):
    reason = serializers.ChoiceField(choices=Dispute.Reason.choices)
    statement = serializers.CharField()


class DisputeResponseInput(FilesInput):
    response = serializers.CharField()


class ResolveInput(serializers.Serializer):
    release_cents = CentsField()
    decision = serializers.CharField()


class MediatorAppointInput(serializers.Serializer):
    user_id = IdField()


class MessageInput(FilesInput):
    body = serializers.CharField(required=False, default="", allow_blank=True)


# Profile visibility lives in membership's privacy settings now. Ignoring these fields, as a
# serializer does with unknown ones, would let a client believe it had hidden something.
MOVED_PRIVACY_FIELDS = ("is_public", "show_rate", "show_location", "show_reviews")


def _no_moved_privacy_fields(serializer: serializers.Serializer, attrs: dict[str, Any]) -> dict[str, Any]:
    sent = [name for name in MOVED_PRIVACY_FIELDS if name in getattr(serializer, "initial_data", {})]
    if sent:
        raise serializers.ValidationError(
            {name: _("Choose who sees your profile in your privacy settings.") for name in sent}
        )
    return attrs


class FreelancerProfileInput(serializers.Serializer):
    headline = serializers.CharField(max_length=160)
    bio = serializers.CharField(required=False, default="", allow_blank=True)
    skills = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, default=list, max_length=15
    )
    hourly_rate_cents = CentsField(required=False, allow_null=True, default=None)
    availability = serializers.ChoiceField(
        choices=FreelancerProfile.Availability.choices, default=FreelancerProfile.Availability.PART_TIME
    )
    location = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    remote = serializers.BooleanField(default=True)
    languages = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    show_work_history = serializers.BooleanField(default=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _no_moved_privacy_fields(self, attrs)


class ClientProfileInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ClientProfile.Kind.choices, default=ClientProfile.Kind.PERSON)
    organisation_name = serializers.CharField(max_length=160, required=False, default="", allow_blank=True)
    about = serializers.CharField(required=False, default="", allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _no_moved_privacy_fields(self, attrs)


class PortfolioInput(serializers.Serializer):
    title = serializers.CharField(max_length=160)
    description = serializers.CharField(required=False, default="", allow_blank=True)
    url = serializers.URLField(required=False, default="", allow_blank=True)
    file = serializers.FileField(required=False, allow_null=True, default=None)


class SavedSearchInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    params = serializers.DictField(required=False, default=dict)
    email_alerts = serializers.BooleanField(default=True)


class NotificationReadInput(serializers.Serializer):
    ids = IdListField(required=False, allow_null=True, default=None)


class NotificationPreferenceInput(serializers.Serializer):
    email_messages = serializers.BooleanField()
    email_proposals = serializers.BooleanField()
    email_contracts = serializers.BooleanField()
    email_reviews = serializers.BooleanField()
    email_disputes = serializers.BooleanField()
    email_saved_searches = serializers.BooleanField()


class FeePolicyInput(serializers.Serializer):
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    min_cents = CentsField(default=0)
    max_cents = CentsField(required=False, allow_null=True, default=None)
