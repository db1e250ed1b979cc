"""Message threads: one per proposal (carrying on as the contract's), between its two parties."""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, NotAllowed
from core.notifications import notify
from core.permissions import authorize
from core.services import audit_log
from marketplace.exceptions import ErrorCode
from marketplace.models import Message, MessageAttachment, Proposal, Thread, ThreadReadState
from marketplace.validators import check_upload
from membership.models import User

MAX_MESSAGE_LENGTH = 10_000
MAX_ATTACHMENTS = 5


def thread_create_for_proposal(*, proposal: Proposal) -> Thread:
    thread, _created = Thread.objects.get_or_create(
        proposal=proposal,
        defaults={
            "client_id": proposal.job.client_id,
            "freelancer_id": proposal.freelancer_id,
            "subject": proposal.job.title,
        },
    )
    return thread


@transaction.atomic
def message_send(*, thread_id: int, sender: User, body: str, files: Sequence[UploadedFile[bytes]] = ()) -> Message:
    thread = Thread.objects.select_for_update().filter(pk=thread_id).first()
    if thread is None:
        raise NotAllowed(_("You are not a party to this conversation."), code=ErrorCode.NOT_PARTY)
    authorize(sender, "thread.send", thread)
    if not body.strip() and not files:
        raise ApplicationError(_("Write a message or attach a file."), code=ErrorCode.MESSAGE_BLANK)
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ApplicationError(_("A message can be at most 10,000 characters."), code=ErrorCode.MESSAGE_TOO_LONG)
    if len(files) > MAX_ATTACHMENTS:
        raise ApplicationError(_("Attach at most 5 files to a message."), code=ErrorCode.TOO_MANY_FILES)
    names = [check_upload(file) for file in files]
    message = Message.objects.create(thread=thread, sender=sender, body=body.strip())
    for file, name in zip(files, names, strict=True):
        attachment = MessageAttachment(message=message, name=name[:200])
        attachment.file.save(name, file, save=False)
        attachment.save()
    thread.last_message_at = message.created_at
    thread.save(update_fields=["last_message_at", "updated_at"])
    ThreadReadState.objects.update_or_create(thread=thread, user=sender, defaults={"last_read_at": message.created_at})
    audit_log(actor=sender, action="message.sent", target=thread, data={"message": message.pk, "files": len(files)})
    recipient_id = thread.freelancer_id if sender.pk == thread.client_id else thread.client_id
    notify(
        user=thread.freelancer if recipient_id == thread.freelancer_id else thread.client,
        kind="message_received",
        data={"sender": str(sender), "subject": thread.subject},
        url=reverse("marketplace:thread-detail", args=[thread.pk]),
    )
    return message


def thread_mark_read(*, thread: Thread, user: User) -> None:
    """Remember that the user has seen the thread up to now (not audited: reading is not an action)."""
    if thread.has_party(user.pk):
        ThreadReadState.objects.update_or_create(thread=thread, user=user, defaults={"last_read_at": timezone.now()})
