"""Message threads between the two parties of a proposal or contract."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from marketplace import limits
from marketplace.models.contracts import Contract
from marketplace.models.proposals import Proposal
from marketplace.validators import validate_upload


class Thread(TimeStampedModel):
    """The conversation of one proposal; on acceptance it carries on as the contract's thread."""

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="thread"
    )
    contract = models.OneToOneField(
        Contract, verbose_name=_("contract"), null=True, blank=True, on_delete=models.CASCADE, related_name="thread"
    )
    # The two parties, copied so that access checks and inboxes need no joins.
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("client"), on_delete=models.CASCADE, related_name="+"
    )
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("freelancer"), on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")
        ordering = ["-last_message_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    def has_party(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in (self.client_id, self.freelancer_id)


class Message(models.Model):
    thread = models.ForeignKey(Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("message"), max_length=limits.MESSAGE)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class MessageAttachment(models.Model):
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="marketplace/messages/%Y/%m/", validators=[validate_upload])
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ThreadReadState(models.Model):
    thread = models.ForeignKey(Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    last_read_at = models.DateTimeField(_("read up to"))

    class Meta:
        verbose_name = _("read marker")
        verbose_name_plural = _("read markers")
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="thread_read_state_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.thread_id}"
