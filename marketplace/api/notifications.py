"""The marketplace API for notifications: the caller's notices, marking them read, and email preferences."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.fields import IdListField
from marketplace.api import serializers as o
from marketplace.api._base import ERRORS, WriteApi
from marketplace.models import Notification, NotificationPreference
from marketplace.selectors import messaging as messaging_selectors
from marketplace.services import notifications as notification_services


class PreferenceOut(serializers.ModelSerializer):
    class Meta:
        model = NotificationPreference
        fields = [
            "email_messages",
            "email_proposals",
            "email_contracts",
            "email_reviews",
            "email_disputes",
            "email_saved_searches",
        ]


@extend_schema(tags=["notifications"], summary="Your notifications, newest first.")
class NotificationListApi(generics.ListAPIView):
    """List the caller's notifications, newest first."""

    queryset = Notification.objects.none()
    serializer_class = o.NotificationOut

    def get_queryset(self) -> QuerySet[Notification]:
        return messaging_selectors.notifications_for(user=self.request.user)


class NotificationsReadApi(WriteApi):
    """Mark notifications read (all of them when no ids are given)."""

    class InputSerializer(serializers.Serializer):
        ids = IdListField(required=False, allow_null=True, default=None)

    @extend_schema(
        request=InputSerializer,
        responses={204: None, **ERRORS},
        summary="Mark notifications read (all of them when no ids are given).",
        tags=["notifications"],
        operation_id="notifications_mark_read",
    )
    def post(self, request: Request) -> Response:
        data = self.validate_input(request)
        notification_services.notifications_mark_read(user=request.user, notification_ids=data["ids"])
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["notifications"], summary="Your email preferences.", responses={200: PreferenceOut})
class NotificationPreferenceGetApi(APIView):
    """Show which marketplace events the caller gets by email; all of them until they choose."""

    def get(self, request: Request) -> Response:
        preference = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference()
        return Response(PreferenceOut(preference).data)


class NotificationPreferenceApi(WriteApi):
    """Choose which marketplace events you get by email; return the choices as saved."""

    class InputSerializer(serializers.Serializer):
        email_messages = serializers.BooleanField()
        email_proposals = serializers.BooleanField()
        email_contracts = serializers.BooleanField()
        email_reviews = serializers.BooleanField()
        email_disputes = serializers.BooleanField()
        email_saved_searches = serializers.BooleanField()

    # The saved choices come back in the shape they were sent in.
    @extend_schema(
        request=InputSerializer,
        responses={200: InputSerializer, **ERRORS},
        summary="Choose which marketplace events you get by email.",
        tags=["notifications"],
        operation_id="notification_preferences_save",
    )
    def post(self, request: Request) -> Response:
        data = self.validate_input(request)
        preference = notification_services.notification_preference_save(user=request.user, actor=request.user, **data)
        return Response(self.InputSerializer(preference).data)
