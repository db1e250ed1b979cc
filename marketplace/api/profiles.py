"""The marketplace API for profiles: save your freelancer and client profiles and portfolio; read public ones."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.api.fields import CentsField, CurrencyField
from marketplace import limits
from marketplace.api import serializers as o
from marketplace.api._base import ERRORS, SignedInRequest, WriteApi
from marketplace.models import ClientProfile, FreelancerProfile
from marketplace.selectors import profiles as profile_selectors
from marketplace.services import profiles as profile_services

# Profile visibility lives in membership's privacy settings now. Ignoring these fields, as a
# serializer does with unknown ones, would let a client believe it had hidden something.
MOVED_PRIVACY_FIELDS = ("is_public", "show_rate", "show_location", "show_reviews")


# Refuses the moved fields for both profile inputs. A comment, not a docstring: the schema would
# show a docstring as the description of each input.
class ProfileInput(serializers.Serializer):
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        sent = [name for name in MOVED_PRIVACY_FIELDS if name in getattr(self, "initial_data", {})]
        if sent:
            raise serializers.ValidationError(
                {name: _("Choose who sees your profile in your privacy settings.") for name in sent}
            )
        return attrs


class FreelancerProfileSaveApi(WriteApi):
    """Create or update your freelancer profile and what of it is public."""

    class InputSerializer(ProfileInput):
        headline = serializers.CharField(max_length=160)
        bio = serializers.CharField(required=False, default="", allow_blank=True, max_length=limits.BIO)
        skills = serializers.ListField(
            child=serializers.CharField(max_length=80), required=False, default=list, max_length=15
        )
        hourly_rate_cents = CentsField(required=False, allow_null=True, default=None)
        currency = CurrencyField()
        availability = serializers.ChoiceField(
            choices=FreelancerProfile.Availability.choices, default=FreelancerProfile.Availability.PART_TIME
        )
        location = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
        remote = serializers.BooleanField(default=True)
        languages = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
        show_work_history = serializers.BooleanField(default=True)

    @extend_schema(
        request=InputSerializer,
        responses={200: o.FreelancerProfileOut, **ERRORS},
        summary="Create or update your freelancer profile and what of it is public.",
        tags=["profiles"],
        operation_id="freelancer_profile_save",
    )
    def post(self, request: SignedInRequest) -> Response:
        data = self.validate_input(request)
        profile = profile_services.freelancer_profile_save(
            user=request.user,
            headline=data["headline"],
            bio=data["bio"],
            skill_names=data["skills"],
            hourly_rate_cents=data["hourly_rate_cents"],
            availability=data["availability"],
            location=data["location"],
            remote=data["remote"],
            languages=data["languages"],
            privacy={flag: data[flag] for flag in profile_services.PRIVACY_FLAGS},
        )
        return Response(o.FreelancerProfileOut(profile).data)


class ClientProfileSaveApi(WriteApi):
    """Create or update your client profile."""

    class InputSerializer(ProfileInput):
        kind = serializers.ChoiceField(choices=ClientProfile.Kind.choices, default=ClientProfile.Kind.PERSON)
        organisation_name = serializers.CharField(max_length=160, required=False, default="", allow_blank=True)
        about = serializers.CharField(required=False, default="", allow_blank=True, max_length=limits.CLIENT_ABOUT)

    @extend_schema(
        request=InputSerializer,
        responses={200: o.ClientProfileOut, **ERRORS},
        summary="Create or update your client profile.",
        tags=["profiles"],
        operation_id="client_profile_save",
    )
    def post(self, request: SignedInRequest) -> Response:
        data = self.validate_input(request)
        profile = profile_services.client_profile_save(
            user=request.user, kind=data["kind"], organisation_name=data["organisation_name"], about=data["about"]
        )
        return Response(o.ClientProfileOut(profile).data)


class PortfolioAddApi(WriteApi):
    """Add a portfolio item with a link or a file (multipart for files)."""

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=160)
        description = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=limits.PORTFOLIO_DESCRIPTION
        )
        url = serializers.URLField(required=False, default="", allow_blank=True)
        file = serializers.FileField(required=False, allow_null=True, default=None)

    @extend_schema(
        request=InputSerializer,
        responses={201: o.PortfolioItemOut, **ERRORS},
        summary="Add a portfolio item with a link or a file (multipart for files).",
        tags=["profiles"],
        operation_id="portfolio_item_add",
    )
    def post(self, request: SignedInRequest) -> Response:
        data = self.validate_input(request)
        item = profile_services.portfolio_item_add(
            user=request.user,
            title=data["title"],
            description=data["description"],
            url=data["url"],
            file=data["file"],
        )
        return Response(o.PortfolioItemOut(item).data, status=status.HTTP_201_CREATED)


class PortfolioDeleteApi(WriteApi):
    """Remove one of your portfolio items."""

    @extend_schema(
        request=None,
        responses={204: None, **ERRORS},
        summary="Remove one of your portfolio items.",
        tags=["profiles"],
        operation_id="portfolio_item_delete",
    )
    def post(self, request: SignedInRequest, item_id: int) -> Response:
        self.validate_input(request)
        profile_services.portfolio_item_delete(item_id=item_id, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=["profiles"],
    summary="A public freelancer profile with revealed reviews, as its owner allows.",
    responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer},
)
class FreelancerPublicApi(APIView):
    """Show a freelancer's public profile with revealed reviews and work history, as its owner allows."""

    permission_classes = [AllowAny]

    def get(self, request: Request, user_id: int) -> Response:
        profile, visible = profile_selectors.freelancer_profile_public(user_id=user_id, viewer=request.user)
        data: dict[str, Any] = o.FreelancerProfileOut(profile).data
        if not visible.hourly_rate:
            data["hourly_rate_cents"] = None
        if not visible.location:
            data["location"] = ""
        data["reviews"] = (
            o.ReviewOut(profile_selectors.revealed_reviews_of(user_id=user_id), many=True).data
            if visible.reviews
            else []
        )
        data["work_history"] = (
            [
                {"title": c.title, "completed_at": c.completed_at}
                for c in profile_selectors.work_history(user_id=user_id)
            ]
            if profile.show_work_history
            else []
        )
        return Response(data)


@extend_schema(
    tags=["profiles"],
    summary="A public client profile with revealed reviews, as its owner allows.",
    responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer},
)
class ClientPublicApi(APIView):
    """Show a client's public profile with revealed reviews, as its owner allows."""

    permission_classes = [AllowAny]

    def get(self, request: Request, user_id: int) -> Response:
        profile, visible = profile_selectors.client_profile_public(user_id=user_id, viewer=request.user)
        data: dict[str, Any] = o.ClientProfileOut(profile).data
        data["reviews"] = (
            o.ReviewOut(profile_selectors.revealed_reviews_of(user_id=user_id), many=True).data
            if visible.reviews
            else []
        )
        return Response(data)
