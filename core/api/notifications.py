"""A person's notices and how they want each kind: one view per operation."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import notifications as services
from core.api.errors import ErrorSerializer
from core.api.fields import IdListField
from core.models import Notification, NotificationChannel
from core.selectors import notifications_for

TAGS = ["notifications"]


class NotificationOutput(serializers.ModelSerializer[Notification]):
    text = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "data", "url", "read_at", "created_at"]

    def get_text(self, notification: Notification) -> str:
        return services.notification_text(notification)


@extend_schema(tags=TAGS, summary="Your notices in the app, newest first.")
class NotificationListApi(generics.ListAPIView[Notification]):
    permission_classes = [IsAuthenticated]
    serializer_class = NotificationOutput
    queryset = Notification.objects.none()

    def get_queryset(self) -> QuerySet[Notification]:
        return notifications_for(user=self.request.user)


class NotificationsReadApi(APIView):
    """Mark your notices read: the ones named, or all of them."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        ids = IdListField(required=False, allow_null=True, default=None)

    @extend_schema(
        tags=TAGS,
        summary="Mark notices read.",
        operation_id="notifications_mark_read",
        request=InputSerializer,
        responses={204: None, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.notifications_mark_read(user=request.user, notification_ids=serializer.validated_data["ids"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class KindSettingOutput(serializers.Serializer[Any]):
    kind = serializers.CharField()
    topic = serializers.CharField()
    # DRF's serializer metaclass takes declared fields off the class, so this field does not
    # replace Field.label (the serializer's own label) at run time; the stubs cannot see that.
    label = serializers.CharField()  # type: ignore[assignment]
    channel = serializers.ChoiceField(choices=NotificationChannel.choices)


def _settings_rows(user: Any) -> list[dict[str, Any]]:
    channels = services.notification_settings_for(user=user)
    return [
        {"kind": key, "topic": str(kind.topic), "label": str(kind.label), "channel": channels[key]}
        for key, kind in services.NOTIFICATION_KINDS.items()
    ]


class NotificationSettingsApi(APIView):
    """How you want each kind of notice: in the app and by email (both), in the app only, or by email only."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary="Your notification settings, one row per kind of notice.",
        operation_id="notification_settings_get",
        responses={200: KindSettingOutput(many=True), 403: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response(KindSettingOutput(_settings_rows(request.user), many=True).data)


class NotificationSettingsSaveApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        channels = serializers.DictField(
            child=serializers.ChoiceField(choices=NotificationChannel.choices),
            help_text="Kind of notice → both, app or email. Kinds left out keep their setting.",
        )

    @extend_schema(
        tags=TAGS,
        summary="Change how you want some kinds of notice.",
        operation_id="notification_settings_save",
        request=InputSerializer,
        responses={200: KindSettingOutput(many=True), 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.notification_settings_save(
            user=request.user, actor=request.user, channels=serializer.validated_data["channels"]
        )
        return Response(KindSettingOutput(_settings_rows(request.user), many=True).data)
