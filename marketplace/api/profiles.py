"""The marketplace API for profiles: save your freelancer and client profiles and portfolio; read public ones."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.api.fields import CentsField, CurrencyField
from core.api.pagination import Pagination
from marketplace import limits
from marketplace.api import serializers as o
from marketplace.api._base import ERRORS, SignedInRequest, WriteApi
from marketplace.models import ClientProfile, Contract, FreelancerProfile, Review
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


# A public profile shows its first reviews and finished work; the rest is a page at a time behind
# `reviews_url` and `work_history_url`, with how many there are (`review_count`, `work_history_count`).
FIRST = 20
PUBLIC_NOTE = (
    " The first 20 reviews and completed contracts come inline, with how many there are and where to page "
    "through all of them (`reviews_url`, `work_history_url`)."
)


def _first(request: Request, data: dict[str, Any], name: str, rows: QuerySet[Any] | None, url: str, out: Any) -> None:
    """Put the first rows of a list in `data[name]`, with its count and the URL that pages through it."""
    count = 0 if rows is None else rows.count()
    data[name] = [] if rows is None or not count else out(rows[:FIRST])
    data[f"{name.removesuffix('s')}_count"] = count
    data[f"{name}_url"] = request.build_absolute_uri(url)


def _work(contracts: Any) -> list[dict[str, Any]]:
    return [{"title": c.title, "completed_at": c.completed_at} for c in contracts]


def _reviews(reviews: Any) -> Any:
    return o.ReviewOut(reviews, many=True).data


@extend_schema(
    tags=["profiles"],
    summary="A public freelancer profile with revealed reviews, as its owner allows." + PUBLIC_NOTE,
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
        reviews = profile_selectors.revealed_reviews(user_id=user_id) if visible.reviews else None
        _first(request, data, "reviews", reviews, reverse("api-freelancer-reviews", args=[user_id]), _reviews)
        work = profile_selectors.completed_contracts_of(user_id=user_id) if profile.show_work_history else None
        _first(request, data, "work_history", work, reverse("api-freelancer-work-history", args=[user_id]), _work)
        return Response(data)


@extend_schema(
    tags=["profiles"],
    summary="A public client profile with revealed reviews, as its owner allows." + PUBLIC_NOTE,
    responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer},
)
class ClientPublicApi(APIView):
    """Show a client's public profile with revealed reviews, as its owner allows."""

    permission_classes = [AllowAny]

    def get(self, request: Request, user_id: int) -> Response:
        profile, visible = profile_selectors.client_profile_public(user_id=user_id, viewer=request.user)
        data: dict[str, Any] = o.ClientProfileOut(profile).data
        reviews = profile_selectors.revealed_reviews(user_id=user_id) if visible.reviews else None
        _first(request, data, "reviews", reviews, reverse("api-client-reviews", args=[user_id]), _reviews)
        return Response(data)


class _PublicListApi(generics.ListAPIView):
    """A list of a public profile, a page at a time, as its owner allows; empty where they hide it."""

    permission_classes = [AllowAny]
    pagination_class = Pagination
    profile_of: Callable[..., Any]

    def shown(self, profile: Any, visible: Any) -> bool:
        return bool(visible.reviews)

    def rows(self, user_id: int) -> QuerySet[Any]:
        return profile_selectors.revealed_reviews(user_id=user_id)

    def get_queryset(self) -> QuerySet[Any]:
        user_id = self.kwargs["user_id"]
        profile, visible = type(self).profile_of(user_id=user_id, viewer=self.request.user)
        if not self.shown(profile, visible):
            return self.rows(user_id).none()
        return self.rows(user_id)


@extend_schema(tags=["profiles"], summary="A freelancer's revealed reviews, newest first, as their owner allows.")
class FreelancerReviewsApi(_PublicListApi):
    """List a freelancer's revealed reviews, a page at a time."""

    serializer_class = o.ReviewOut
    queryset = Review.objects.none()
    profile_of = staticmethod(profile_selectors.freelancer_profile_public)


@extend_schema(tags=["profiles"], summary="A client's revealed reviews, newest first, as their owner allows.")
class ClientReviewsApi(_PublicListApi):
    """List a client's revealed reviews, a page at a time."""

    serializer_class = o.ReviewOut
    queryset = Review.objects.none()
    profile_of = staticmethod(profile_selectors.client_profile_public)


class WorkHistoryOut(serializers.Serializer):
    title = serializers.CharField()
    completed_at = serializers.DateTimeField()


@extend_schema(tags=["profiles"], summary="A freelancer's completed contracts, newest first, as they allow.")
class FreelancerWorkHistoryApi(_PublicListApi):
    """List a freelancer's completed contracts (title and when), a page at a time."""

    serializer_class = WorkHistoryOut
    queryset = Contract.objects.none()
    profile_of = staticmethod(profile_selectors.freelancer_profile_public)

    def shown(self, profile: Any, visible: Any) -> bool:
        return bool(profile.show_work_history)

    def rows(self, user_id: int) -> QuerySet[Any]:
        return profile_selectors.completed_contracts_of(user_id=user_id)
