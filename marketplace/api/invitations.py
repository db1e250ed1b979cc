"""The marketplace API for finding freelancers and inviting them to propose on a job."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from marketplace import limits
from marketplace.api._base import ERRORS, SignedInRequest, WriteApi
from marketplace.models import FreelancerProfile, Invitation
from marketplace.selectors.freelancers import freelancer_directory, invitations_of
from marketplace.services import invitations as invitation_services
from membership.selectors import profile_visibility


class FreelancerCardOut(serializers.ModelSerializer):
    """A freelancer as the directory shows them.

    The rate, rating and member mark only where the person's privacy settings allow (else null).
    """

    user_id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()
    hourly_rate_cents = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()
    review_count = serializers.SerializerMethodField()
    completed_contracts = serializers.IntegerField(source="completed_count", read_only=True)
    is_member = serializers.SerializerMethodField()
    is_verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = FreelancerProfile
        fields = [
            "user_id",
            "name",
            "headline",
            "skills",
            "hourly_rate_cents",
            "currency",
            "rating",
            "review_count",
            "completed_contracts",
            "is_member",
            "is_verified",
        ]

    def _visible(self, profile: FreelancerProfile) -> Any:
        return profile_visibility(profile.user, self.context["request"].user)

    def get_name(self, profile: FreelancerProfile) -> str:
        return str(profile.user)

    def get_skills(self, profile: FreelancerProfile) -> list[str]:
        return [skill.name for skill in profile.skills.all()]

    def get_hourly_rate_cents(self, profile: FreelancerProfile) -> int | None:
        return profile.hourly_rate_cents if self._visible(profile).hourly_rate else None

    def get_rating(self, profile: Any) -> float | None:
        if not self._visible(profile).reviews or profile.rating_avg is None:
            return None
        return round(float(profile.rating_avg), 2)

    def get_review_count(self, profile: Any) -> int | None:
        return profile.review_count if self._visible(profile).reviews else None

    def get_is_member(self, profile: Any) -> bool | None:
        return bool(profile.is_member) if self._visible(profile).membership else None


@extend_schema(tags=["freelancers"], summary="Find freelancers who let the caller find them, by words and skill.")
class FreelancerDirectoryApi(generics.ListAPIView):
    """Search the public freelancer profiles (`q`: words, `skill`: a skill's slug); anyone may."""

    permission_classes = [AllowAny]
    serializer_class = FreelancerCardOut

    def get_queryset(self) -> QuerySet[FreelancerProfile]:
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a database
            return FreelancerProfile.objects.none()
        params = self.request.query_params
        return freelancer_directory(
            viewer=self.request.user,
            q=str(params.get("q") or "")[:200],
            skill=str(params.get("skill") or "")[:50],
        )


class InvitationOut(serializers.ModelSerializer):
    job_title = serializers.CharField(source="job.title", read_only=True)
    invited_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "job",
            "job_title",
            "freelancer",
            "invited_by",
            "invited_by_name",
            "message",
            "status",
            "created_at",
        ]

    def get_invited_by_name(self, invitation: Invitation) -> str:
        return str(invitation.invited_by)


class InvitationSendApi(WriteApi):
    """Invite a findable freelancer to propose on your open job; inviting twice returns the first invitation."""

    class InputSerializer(serializers.Serializer):
        job_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
        message = serializers.CharField(required=False, default="", allow_blank=True, max_length=limits.INVITATION)

    @extend_schema(
        request=InputSerializer,
        responses={201: InvitationOut, 200: InvitationOut, **ERRORS},
        summary="Invite a freelancer to propose on your open job (201 new, 200 already invited).",
        tags=["freelancers"],
        operation_id="invitation_send",
    )
    def post(self, request: SignedInRequest, user_id: int) -> Response:
        data = self.validate_input(request)
        invitation, created = invitation_services.invitation_send(
            job_id=data["job_id"], client=request.user, freelancer_id=user_id, message=data["message"]
        )
        return Response(
            InvitationOut(invitation).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


@extend_schema(tags=["freelancers"], summary="The invitations you received.")
class MyInvitationsApi(generics.ListAPIView):
    """List the invitations the caller received, newest first."""

    request: SignedInRequest
    queryset = Invitation.objects.none()
    serializer_class = InvitationOut

    def get_queryset(self) -> QuerySet[Invitation]:
        return invitations_of(freelancer=self.request.user)


class InvitationDeclineApi(WriteApi):
    """Decline an invitation you received."""

    @extend_schema(
        request=None,
        responses={200: InvitationOut, **ERRORS},
        summary="Decline an invitation you received.",
        tags=["freelancers"],
        operation_id="invitation_decline",
    )
    def post(self, request: SignedInRequest, invitation_id: int) -> Response:
        self.validate_input(request)
        invitation = invitation_services.invitation_decline(invitation_id=invitation_id, freelancer=request.user)
        return Response(InvitationOut(invitation).data)
