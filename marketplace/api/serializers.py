"""Output shapes of the marketplace API, shared by its views. They shape data; they hold no rules."""

from rest_framework import serializers

from marketplace.models import (
    ClientProfile,
    Contract,
    Dispute,
    FeePolicy,
    FreelancerProfile,
    Job,
    Mediator,
    Message,
    Milestone,
    PortfolioItem,
    Proposal,
    ProposalRevision,
    Review,
    SavedSearch,
    Thread,
    Timesheet,
)
from marketplace.selectors.search import job_skills

# Unbound field instances: their formatting follows the settings and the active time zone, not a serializer.
_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()


class JobOut(serializers.ModelSerializer):
    skills = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    client_name = serializers.CharField(source="client.__str__", read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "title",
            "description",
            "skills",
            "status",
            "pricing_type",
            "budget_min_cents",
            "budget_max_cents",
            "currency",
            "remote",
            "location",
            "deadline",
            "hires_wanted",
            "sector",
            "members_decision_id",
            "published_at",
            "client_id",
            "client_name",
        ]

    # Search answers 25 of these per request: written out, a row costs a tenth of DRF's field-by-field
    # walk, and the serializer's fields are never built (issue 18). The same dictionary, key for key:
    # tests/marketplace/test_api_job_rows.py compares it with ModelSerializer's own output, so a field
    # added above must be added here.
    def to_representation(self, instance: Job) -> dict[str, object]:
        return {
            "id": instance.pk,
            "title": instance.title,
            "description": instance.description,
            "skills": [skill.name for skill in job_skills(instance)],
            "status": instance.status,
            "pricing_type": instance.pricing_type,
            "budget_min_cents": instance.budget_min_cents,
            "budget_max_cents": instance.budget_max_cents,
            "currency": instance.currency,
            "remote": instance.remote,
            "location": instance.location,
            "deadline": None if instance.deadline is None else _DATE.to_representation(instance.deadline),
            "hires_wanted": instance.hires_wanted,
            "sector": instance.sector,
            "members_decision_id": instance.members_decision_id,
            "published_at": None
            if instance.published_at is None
            else _DATETIME.to_representation(instance.published_at),
            "client_id": instance.client_id,
            "client_name": str(instance.client),
        }


class RevisionOut(serializers.ModelSerializer):
    currency = serializers.CharField(source="proposal.currency", read_only=True)

    class Meta:
        model = ProposalRevision
        fields = [
            "id",
            "party",
            "author_id",
            "amount_cents",
            "currency",
            "duration_days",
            "milestone_plan",
            "note",
            "created_at",
        ]


class ProposalOut(serializers.ModelSerializer):
    thread_id = serializers.IntegerField(source="thread.pk", read_only=True, default=None)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "job_id",
            "freelancer_id",
            "cover_letter",
            "status",
            "amount_cents",
            "currency",
            "duration_days",
            "milestone_plan",
            "terms_by",
            "thread_id",
            "created_at",
        ]


class ProposalDetailOut(ProposalOut):
    revisions = RevisionOut(many=True, read_only=True)

    class Meta(ProposalOut.Meta):
        fields = [*ProposalOut.Meta.fields, "revisions"]


class MilestoneOut(serializers.ModelSerializer):
    currency = serializers.CharField(source="contract.currency", read_only=True)
    dispute_id = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "contract_id",
            "position",
            "title",
            "amount_cents",
            "currency",
            "due_date",
            "status",
            "payment_reference",
            "submitted_at",
            "auto_release_at",
            "released_at",
            "dispute_id",
        ]

    def get_dispute_id(self, milestone: Milestone) -> int | None:
        dispute = getattr(milestone, "dispute", None)
        return dispute.pk if dispute is not None else None


class FundOut(serializers.Serializer):
    milestone = MilestoneOut()
    payment_reference = serializers.CharField()
    amount_cents = serializers.IntegerField()
    currency = serializers.CharField()
    provider = serializers.CharField()


class ContractOut(serializers.ModelSerializer):
    class Meta:
        model = Contract
        fields = [
            "id",
            "job_id",
            "proposal_id",
            "client_id",
            "freelancer_id",
            "title",
            "pricing_type",
            "amount_cents",
            "currency",
            "status",
            "fee_policy_id",
            "fee_percent",
            "fee_min_cents",
            "fee_max_cents",
            "auto_release_days",
            "created_at",
            "completed_at",
        ]


class ContractDetailOut(ContractOut):
    milestones = MilestoneOut(
        many=True,
        read_only=True,
        source="milestones_shown",
        help_text="The contract's first milestones in plan order (at most 50); "
        "`milestones_url` pages through all of them.",
    )
    milestone_count = serializers.IntegerField(help_text="How many milestones the contract has.")
    milestones_url = serializers.URLField(help_text="Every milestone of the contract, a page at a time.")
    fee_destination = serializers.CharField()

    class Meta(ContractOut.Meta):
        fields = [*ContractOut.Meta.fields, "milestones", "milestone_count", "milestones_url", "fee_destination"]


class TimesheetOut(serializers.ModelSerializer):
    currency = serializers.CharField(source="contract.currency", read_only=True)

    class Meta:
        model = Timesheet
        fields = [
            "id",
            "contract_id",
            "week_start",
            "minutes",
            "description",
            "status",
            "amount_cents",
            "currency",
            "client_note",
            "milestone_id",
        ]


class DeliveryOut(serializers.Serializer):
    id = serializers.IntegerField()
    milestone_id = serializers.IntegerField()
    message = serializers.CharField()
    files = serializers.ListField(child=serializers.CharField())


class ReviewOut(serializers.ModelSerializer):
    response = serializers.CharField(
        source="response.text", read_only=True, default=None, allow_null=True, help_text="The person's reply, if any."
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "contract_id",
            "author_id",
            "subject_id",
            "side",
            "rating_quality",
            "rating_communication",
            "rating_reliability",
            "text",
            "revealed_at",
            "response",
            "created_at",
        ]


class DisputeOut(serializers.ModelSerializer):
    currency = serializers.CharField(source="milestone.contract.currency", read_only=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "milestone_id",
            "opened_by_id",
            "reason",
            "statement",
            "respond_by",
            "response",
            "responded_at",
            "status",
            "mediator_id",
            "decision",
            "release_cents",
            "refund_cents",
            "currency",
            "resolved_at",
        ]


class ThreadOut(serializers.ModelSerializer):
    unread = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Thread
        fields = [
            "id",
            "subject",
            "proposal_id",
            "contract_id",
            "client_id",
            "freelancer_id",
            "last_message_at",
            "unread",
        ]


class MessageOut(serializers.ModelSerializer):
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "thread_id", "sender_id", "body", "created_at", "attachments"]

    def get_attachments(self, message: Message) -> list[dict]:
        return [{"id": a.pk, "name": a.name} for a in message.attachments.all()]


class PortfolioItemOut(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = PortfolioItem
        fields = ["id", "title", "description", "url", "has_file"]

    def get_has_file(self, item: PortfolioItem) -> bool:
        return bool(item.file)


class FreelancerProfileOut(serializers.ModelSerializer):
    skills = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    portfolio_items = PortfolioItemOut(many=True, read_only=True)

    class Meta:
        model = FreelancerProfile
        fields = [
            "user_id",
            "headline",
            "bio",
            "skills",
            "hourly_rate_cents",
            "currency",
            "availability",
            "location",
            "remote",
            "languages",
            "show_work_history",
            "portfolio_items",
        ]


class ClientProfileOut(serializers.ModelSerializer):
    class Meta:
        model = ClientProfile
        fields = ["user_id", "kind", "organisation_name", "about"]


class SavedSearchOut(serializers.ModelSerializer):
    class Meta:
        model = SavedSearch
        fields = ["id", "name", "params", "email_alerts", "last_alerted_at"]


class FeePolicyOut(serializers.ModelSerializer):
    class Meta:
        model = FeePolicy
        fields = ["id", "percent", "min_cents", "max_cents", "currency", "effective_from", "governance_proposal_id"]


class MediatorOut(serializers.ModelSerializer):
    class Meta:
        model = Mediator
        fields = ["id", "user", "appointed_at", "appointed_by", "source", "decision_id", "ended_at"]
        read_only_fields = fields
