"""Output shapes shared by membership's API views."""

from rest_framework import serializers


class MemberClassOutput(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    share_price_cents = serializers.IntegerField()
    shares_required = serializers.IntegerField()
    share_total_cents = serializers.IntegerField()
    currency = serializers.CharField()
    votes = serializers.BooleanField()
    vote_weight = serializers.IntegerField()
    vote_share_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class MemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    member_number = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    member_class = serializers.CharField(source="member_class.slug")
    shares = serializers.IntegerField()
    joined_at = serializers.DateTimeField(allow_null=True)
    share_payment_reference = serializers.CharField()
    share_paid_at = serializers.DateTimeField(allow_null=True)
    admission_proposal_id = serializers.IntegerField(allow_null=True)
    resignation_requested_at = serializers.DateTimeField(allow_null=True)
    exit_effective_on = serializers.DateField(allow_null=True)
    exited_at = serializers.DateTimeField(allow_null=True)


class StatusChangeOutput(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor_id = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    proposal_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


class MemberRecordOutput(MemberOutput):
    user_id = serializers.IntegerField()
    name = serializers.CharField(source="user.display_name")
    email = serializers.EmailField(source="user.email")
    motivation = serializers.CharField()
    history = StatusChangeOutput(source="status_changes.all", many=True)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class DataExportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.CharField(allow_null=True)
