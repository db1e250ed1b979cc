from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from marketplace.forms import MessageForm
from marketplace.models import Thread
from marketplace.selectors.messaging import (
    message_for_attachment,
    thread_get_for,
    thread_messages_newest_first,
    threads_for_user,
)
from marketplace.services import messaging as messaging_services
from marketplace.views._helpers import SignedInRequest, file_download, paginate, perform

MESSAGES_PER_PAGE = 30


def _message_page(request: SignedInRequest, thread: Thread) -> dict[str, Any]:
    """The newest messages on page one, older ones further on; each page reads oldest first, like a chat."""
    page = paginate(request, thread_messages_newest_first(thread=thread), per_page=MESSAGES_PER_PAGE)
    return {"page": page, "messages_list": list(reversed(page.object_list))}


@login_required
@require_GET
def inbox(request: SignedInRequest) -> HttpResponse:
    return render(request, "marketplace/inbox.html", {"page": paginate(request, threads_for_user(user=request.user))})


@login_required
def thread_detail(request: SignedInRequest, thread_id: int) -> HttpResponse:
    thread = thread_get_for(thread_id=thread_id, user=request.user)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent = perform(
            request,
            lambda: messaging_services.message_send(
                thread_id=thread.pk, sender=request.user, body=data["body"], files=data["files"]
            ),
            _("Message sent."),
            form,
        )
        if sent:
            return redirect("marketplace:thread-detail", thread_id=thread.pk)
    messaging_services.thread_mark_read(thread=thread, user=request.user)
    return render(
        request,
        "marketplace/thread_detail.html",
        {"thread": thread, "form": form, **_message_page(request, thread)},
    )


@login_required
@require_GET
def thread_partial(request: SignedInRequest, thread_id: int) -> HttpResponse:
    """The message list alone, polled by HTMX to show new messages without a reload."""
    thread = thread_get_for(thread_id=thread_id, user=request.user)
    messaging_services.thread_mark_read(thread=thread, user=request.user)
    return render(
        request,
        "marketplace/includes/messages.html",
        {"thread": thread, **_message_page(request, thread)},
    )


@login_required
@require_GET
def attachment_download(request: SignedInRequest, attachment_id: int) -> HttpResponse:
    attachment = message_for_attachment(attachment_id=attachment_id, user=request.user)
    return file_download(attachment.file, attachment.name)
