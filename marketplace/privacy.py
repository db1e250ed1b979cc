"""The personal data of the marketplace, for "download my data" and account deletion (membership.privacy).

Profiles, searches and read markers are the person's alone and go (notices are core's). What the person agreed
with someone else (proposals that led somewhere, contracts, milestones, deliveries, timesheets,
disputes) is the other party's record too and backs the coop's books, so it stays under the
pseudonym, with the person's own words taken out where the record does not need them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.privacy import (
    ACCOUNTABILITY,
    BLANK,
    DELETE,
    KEEP,
    Erasure,
    register_deletion_guard,
    register_personal_data,
)
from payouts.privacy import BOOKKEEPING

AGREEMENT = _(
    "It is part of what you agreed with another member or client, who keeps a right to it, and of the "
    "coop's books; it is kept under a pseudonym (GDPR art. 17(3)(b) and (e))."
)


def _delete_with_files(rows: QuerySet, field: str = "file") -> None:
    """Delete the rows, and their files once the deletion is committed (a rollback keeps both)."""
    stored = [getattr(row, field) for row in rows if getattr(row, field)]
    rows.model._base_manager.filter(pk__in=[row.pk for row in rows]).delete()
    names = [(file.storage, file.name) for file in stored]
    # Not through the outbox: deleting files needs no broker, so it cannot be held back by one.
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names if storage.exists(name)])


def _erase_portfolio(rows: QuerySet, erasure: Erasure) -> None:
    _delete_with_files(rows)


def _erase_messages(rows: QuerySet, erasure: Erasure) -> None:
    """Empty the person's messages in conversations that never became a contract, and drop their files.

    Without a contract nothing was agreed that anyone must keep; in a contract's thread the
    messages are the record of what was agreed and stay (names in them are replaced).
    """
    from marketplace.models import MessageAttachment

    loose = rows.filter(thread__contract__isnull=True)
    _delete_with_files(MessageAttachment.objects.filter(message__in=loose))
    loose.update(body="")


def _running_contracts(user: Any) -> str | None:
    """Refuse deletion while the person is a party to a running contract: the other side still
    depends on them for work or for money in escrow."""
    from django.db.models import Q
    from django.utils.translation import ngettext

    from marketplace.models import Contract

    running = Contract.objects.filter(
        Q(client_id=user.pk) | Q(freelancer_id=user.pk), status=Contract.Status.ACTIVE
    ).count()
    if not running:
        return None
    return ngettext(
        "You are still a party to %(count)d running contract. End it first; then you can delete your account.",
        "You are still a party to %(count)d running contracts. End them first; then you can delete your account.",
        running,
    ) % {"count": running}


def register() -> None:
    from marketplace.models import (
        ClientProfile,
        Contract,
        ContractStatusChange,
        Delivery,
        DeliveryFile,
        Dispute,
        DisputeEvidence,
        DisputeStatusChange,
        FeePolicy,
        FreelancerProfile,
        Invitation,
        Job,
        JobAttachment,
        JobStatusChange,
        Mediator,
        Message,
        MessageAttachment,
        Milestone,
        MilestoneStatusChange,
        PortfolioItem,
        Proposal,
        ProposalRevision,
        ProposalStatusChange,
        Review,
        ReviewResponse,
        SavedSearch,
        Thread,
        ThreadReadState,
        Timesheet,
        TimesheetStatusChange,
        WorkPolicy,
    )

    # The person's own: nothing anyone else relies on.
    register_personal_data(
        FreelancerProfile,
        "user",
        erase=DELETE,
        purpose=_("Your freelancer profile: headline, about, skills, rate, location, languages and visibility."),
    )
    # Before the profile (order 90), which would otherwise take the rows with it and leave the files.
    register_personal_data(
        PortfolioItem,
        "profile__user",
        erase=_erase_portfolio,
        purpose=_("The work you show in your portfolio, with its files."),
        order=90,
    )
    register_personal_data(
        ClientProfile,
        "user",
        erase=DELETE,
        purpose=_("Your client profile: who you are, your organisation and visibility."),
    )
    register_personal_data(
        SavedSearch,
        "user",
        erase=DELETE,
        purpose=_("Your saved job searches and their alerts."),
    )
    register_personal_data(
        ThreadReadState,
        "user",
        erase=DELETE,
        purpose=_("Up to where you have read each conversation."),
    )

    # Jobs and proposals: the terms others answered or accepted stay; the letters go.
    register_personal_data(
        Job,
        "client",
        erase=KEEP,
        purpose=_("The jobs you posted."),
        keep_reason=AGREEMENT,
    )
    register_personal_data(
        JobAttachment,
        "job__client",
        erase=KEEP,
        purpose=_("The files you attached to your jobs."),
        keep_reason=AGREEMENT,
    )
    register_personal_data(
        JobStatusChange,
        ("actor", "job__client"),
        erase=KEEP,
        purpose=_("The history of your jobs."),
        keep_reason=ACCOUNTABILITY,
    )
    register_personal_data(
        Invitation,
        ("freelancer", "invited_by"),
        erase={"message": BLANK},
        purpose=_("Invitations to propose on a job: the ones you sent as a client and the ones you received."),
        keep_reason=_(
            "The other side keeps the record that an invitation was sent and answered; the message is removed."
        ),
    )
    register_personal_data(
        Proposal,
        "freelancer",
        erase={"cover_letter": BLANK},
        purpose=_("The proposals you made on jobs, with your cover letters."),
        keep_reason=AGREEMENT,
    )
    register_personal_data(
        ProposalRevision,
        ("author", "proposal__freelancer"),
        erase=KEEP,
        purpose=_("The terms you and the other side offered on your proposals."),
        keep_reason=AGREEMENT,
    )
    register_personal_data(
        ProposalStatusChange,
        ("actor", "proposal__freelancer"),
        erase=KEEP,
        purpose=_("The history of your proposals."),
        keep_reason=ACCOUNTABILITY,
    )

    # Contracts and what was done and paid under them.
    register_personal_data(
        Contract,
        ("client", "freelancer"),
        erase=KEEP,
        purpose=_("Your contracts, as client or freelancer."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        ContractStatusChange,
        ("actor", "contract__client", "contract__freelancer"),
        erase=KEEP,
        purpose=_("The history of your contracts."),
        keep_reason=ACCOUNTABILITY,
    )
    register_personal_data(
        Milestone,
        ("contract__client", "contract__freelancer"),
        erase=KEEP,
        purpose=_("The milestones of your contracts and their payments."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        MilestoneStatusChange,
        ("actor", "milestone__contract__client", "milestone__contract__freelancer"),
        erase=KEEP,
        purpose=_("The history of your milestones."),
        keep_reason=ACCOUNTABILITY,
    )
    register_personal_data(
        Delivery,
        ("author", "milestone__contract__client", "milestone__contract__freelancer"),
        erase=KEEP,
        purpose=_("The work delivered on your contracts."),
        keep_reason=AGREEMENT,
    )
    register_personal_data(
        DeliveryFile,
        ("delivery__author", "delivery__milestone__contract__client", "delivery__milestone__contract__freelancer"),
        erase=KEEP,
        purpose=_("The files delivered on your contracts."),
        keep_reason=AGREEMENT,
    )
    register_personal_data(
        Timesheet,
        ("contract__client", "contract__freelancer"),
        erase=KEEP,
        purpose=_("The hours worked on your hourly contracts."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        TimesheetStatusChange,
        ("actor", "timesheet__contract__client", "timesheet__contract__freelancer"),
        erase=KEEP,
        purpose=_("The history of your timesheets."),
        keep_reason=ACCOUNTABILITY,
    )
    register_personal_data(
        Dispute,
        ("opened_by", "mediator", "milestone__contract__client", "milestone__contract__freelancer"),
        erase=KEEP,
        purpose=_("The disputes on your contracts, or that you mediated."),
        keep_reason=AGREEMENT,
    )
    register_personal_data(
        DisputeEvidence,
        "author",
        erase=KEEP,
        purpose=_("The evidence you gave in disputes."),
        keep_reason=AGREEMENT,
    )
    register_personal_data(
        DisputeStatusChange,
        "actor",
        erase=KEEP,
        purpose=_("The steps you took in disputes."),
        keep_reason=ACCOUNTABILITY,
    )

    # Conversations belong to both sides.
    register_personal_data(
        Thread,
        ("client", "freelancer"),
        erase=KEEP,
        purpose=_("Your conversations about proposals and contracts."),
        keep_reason=AGREEMENT,
    )
    register_personal_data(
        Message,
        "sender",
        erase=_erase_messages,
        purpose=_("The messages you sent."),
        keep_reason=AGREEMENT,
    )
    register_personal_data(
        MessageAttachment,
        "message__sender",
        erase=KEEP,
        purpose=_("The files you sent with messages."),
        keep_reason=AGREEMENT,
    )

    # The ratings carry the other party's reputation and stay; the words, by or about a person
    # who has left, go.
    register_personal_data(
        Review,
        ("author", "subject"),
        erase={"text": BLANK},
        purpose=_("The reviews you wrote and the reviews about you."),
        keep_reason=_("The ratings count towards the other party's reputation; the text is removed."),
    )
    register_personal_data(
        ReviewResponse,
        ("author", "review__author", "review__subject"),
        erase={"text": BLANK},
        purpose=_("Responses to reviews by you or about you."),
        keep_reason=_("The ratings count towards the other party's reputation; the text is removed."),
    )
    register_personal_data(
        Mediator,
        ("user", "appointed_by"),
        erase=KEEP,
        purpose=_("Your appointments as dispute mediator, or the ones you made as an admin."),
        keep_reason=ACCOUNTABILITY,
    )
    register_personal_data(
        FeePolicy,
        "created_by",
        erase=KEEP,
        purpose=_("The versions of the platform fee you set, as an admin."),
        keep_reason=ACCOUNTABILITY,
    )
    register_personal_data(
        WorkPolicy,
        "created_by",
        erase=KEEP,
        purpose=_("The versions of the members' work rules you recorded, as an admin."),
        keep_reason=ACCOUNTABILITY,
    )
    register_invoice_personal_data()
    register_deletion_guard(_running_contracts)


def register_invoice_personal_data() -> None:
    """Business details are the person's own; issued invoices are the coop's books (issue 15)."""
    from marketplace.models import BusinessDetails, Invoice, InvoiceLine

    register_personal_data(
        BusinessDetails,
        "user",
        erase=DELETE,
        purpose=_(
            "Your business details for invoices: legal name, address, country, KVK and VAT number, VAT "
            "status and when you agreed to self-billing."
        ),
    )
    register_personal_data(
        Invoice,
        ("issuer_user", "recipient_user"),
        erase=KEEP,
        purpose=_("The invoices and credit notes issued in your name or to you, with the details they carry."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        InvoiceLine,
        ("invoice__issuer_user", "invoice__recipient_user"),
        erase=KEEP,
        purpose=_("The lines of your invoices and credit notes."),
        keep_reason=BOOKKEEPING,
    )
