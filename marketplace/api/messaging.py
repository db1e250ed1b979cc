"""The marketplace API for messages: the caller's threads, a thread's messages, and sending one."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from marketplace import limits
from marketplace.api import serializers as o
from marketplace.api._base import ERRORS, SignedInRequest, WriteApi
from marketplace.api.inputs import FilesInput
from marketplace.models import Thread
from marketplace.selectors import messaging as messaging_selectors
from marketplace.services import messaging as messaging_services


@extend_schema(tags=["messages"], summary="Your threads, newest first, with unread counts.")
class ThreadListApi(generics.ListAPIView):
    """List the caller's threads, newest first, with their unread counts."""

    request: SignedInRequest
    queryset = Thread.objects.none()
    serializer_class = o.ThreadOut

    def get_queryset(self) -> QuerySet[Thread]:
        return messaging_selectors.threads_for_user(user=self.request.user)


@extend_schema(
    tags=["messages"],
    summary="The latest messages of a thread (its two parties only); marks it read.",
    responses={200: o.MessageOut(many=True), 404: ErrorSerializer},
)
class ThreadMessagesApi(APIView):
    """Show the latest messages of a thread to its two parties, and mark it read for the caller."""

    def get(self, request: SignedInRequest, thread_id: int) -> Response:
        thread = messaging_selectors.thread_get_for(thread_id=thread_id, user=request.user)
        rows = messaging_selectors.thread_messages(thread=thread)
        messaging_services.thread_mark_read(thread=thread, user=request.user)
        return Response(o.MessageOut(rows, many=True).data)


class MessageSendApi(WriteApi):
    """Send a message, with attachments (multipart), to the other party of a thread."""

    class InputSerializer(FilesInput):
        body = serializers.CharField(required=False, default="", allow_blank=True, max_length=limits.MESSAGE)

    @extend_schema(
        request=InputSerializer,
        responses={201: o.MessageOut, **ERRORS},
        summary="Send a message, with attachments (multipart), to the other party of a thread.",
        tags=["messages"],
        operation_id="message_send",
    )
    def post(self, request: SignedInRequest, thread_id: int) -> Response:
        data = self.validate_input(request)
        message = messaging_services.message_send(
            thread_id=thread_id, sender=request.user, body=data["body"], files=data["files"]
        )
        return Response(o.MessageOut(message).data, status=status.HTTP_201_CREATED)
