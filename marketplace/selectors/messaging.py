"""Reads about threads and messages."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from marketplace.models import Message, MessageAttachment, Thread, ThreadReadState
from membership.models import User


def _unread_subquery(user: User) -> Coalesce:
    last_read = ThreadReadState.objects.filter(thread=OuterRef("thread_id"), user=user).values("last_read_at")[:1]
    unread = (
        Message.objects.filter(thread=OuterRef("pk"))
        .exclude(sender=user)
        .annotate(last_read=Subquery(last_read))
        .filter(Q(last_read__isnull=True) | Q(created_at__gt=F("last_read")))
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


def threads_for_user(*, user: User) -> QuerySet[Thread]:
    """Return the user's threads, newest first, each with its unread count."""
    return (
        Thread.objects.filter(Q(client=user) | Q(freelancer=user))
        .select_related("client", "freelancer")
        .annotate(unread=_unread_subquery(user))
        .order_by(F("last_message_at").desc(nulls_last=True), "-id")
    )


def unread_message_count(*, user: User) -> int:
    return sum(threads_for_user(user=user).values_list("unread", flat=True))


def thread_get_for(*, thread_id: int, user: User | AnonymousUser) -> Thread:
    """Return a thread to its two parties only; anyone else, staff included, gets 404."""
    thread = Thread.objects.select_related("client", "freelancer", "proposal", "contract").filter(pk=thread_id).first()
    if thread is None or not user.is_authenticated or not thread.has_party(user.pk):
        raise Http404
    return thread


def thread_messages(*, thread: Thread, limit: int = 200) -> list[Message]:
    """Return the latest messages of a thread, oldest first, with senders and attachments."""
    rows = (
        Message.objects.filter(thread=thread)
        .select_related("sender")
        .prefetch_related("attachments")
        .order_by("-created_at", "-id")[:limit]
    )
    return list(reversed(rows))


def thread_messages_newest_first(*, thread: Thread) -> QuerySet[Message]:
    """A thread's messages, newest first, with senders and attachments: the page shows them a page at a time."""
    return (
        Message.objects.filter(thread=thread)
        .select_related("sender")
        .prefetch_related("attachments")
        .order_by("-created_at", "-id")
    )


def message_for_attachment(*, attachment_id: int, user: User | AnonymousUser) -> MessageAttachment:
    attachment = MessageAttachment.objects.select_related("message__thread").filter(pk=attachment_id).first()
    if attachment is None or not attachment.message.thread.has_party(getattr(user, "pk", None)):
        raise Http404
    return attachment
