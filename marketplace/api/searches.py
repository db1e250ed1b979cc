"""The marketplace API for saved searches: list, save and delete them."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from marketplace.api import serializers as o
from marketplace.api._base import ERRORS, SignedInRequest, WriteApi
from marketplace.models import SavedSearch
from marketplace.services import searches as search_services


@extend_schema(tags=["search"], summary="Your saved searches.")
class SavedSearchListApi(generics.ListAPIView):
    """List the caller's saved searches by name."""

    request: SignedInRequest
    queryset = SavedSearch.objects.none()
    serializer_class = o.SavedSearchOut

    def get_queryset(self) -> QuerySet[SavedSearch]:
        return SavedSearch.objects.filter(user=self.request.user).order_by("name", "id")


class SavedSearchCreateApi(WriteApi):
    """Save a job search, optionally with email alerts for new matches."""

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=120)
        params = serializers.DictField(required=False, default=dict)
        email_alerts = serializers.BooleanField(default=True)

    @extend_schema(
        request=InputSerializer,
        responses={201: o.SavedSearchOut, **ERRORS},
        summary="Save a job search, optionally with email alerts for new matches.",
        tags=["search"],
        operation_id="saved_search_create",
    )
    def post(self, request: SignedInRequest) -> Response:
        data = self.validate_input(request)
        saved_search = search_services.saved_search_create(
            user=request.user, name=data["name"], params=data["params"], email_alerts=data["email_alerts"]
        )
        return Response(o.SavedSearchOut(saved_search).data, status=status.HTTP_201_CREATED)


class SavedSearchDeleteApi(WriteApi):
    """Delete one of your saved searches."""

    @extend_schema(
        request=None,
        responses={204: None, **ERRORS},
        summary="Delete one of your saved searches.",
        tags=["search"],
        operation_id="saved_search_delete",
    )
    def post(self, request: SignedInRequest, saved_search_id: int) -> Response:
        self.validate_input(request)
        search_services.saved_search_delete(saved_search_id=saved_search_id, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
