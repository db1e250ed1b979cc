"""The notices the marketplace sends, registered with core's notification service from MarketplaceConfig.ready().

The keys are the ones the marketplace always used, so notices written before the move read the same.
Services send them with core.notifications.notify inside the transaction that made the event happen.
"""

from django.utils.translation import gettext_lazy as _

from core.notifications import NotificationKind, register_notification_kind
from marketplace.services.searches import saved_search_alert_email

MESSAGES = _("New messages")
PROPOSALS = _("Proposals and offers")
CONTRACTS = _("Contracts, milestones and payments")
REVIEWS = _("Reviews")
DISPUTES = _("Disputes")
SAVED_SEARCHES = _("New jobs for my saved searches")

KINDS: tuple[NotificationKind, ...] = (
    NotificationKind(
        key="message_received",
        text=_("%(sender)s sent you a message about “%(subject)s”."),
        label=_("Someone sends me a message"),
        topic=MESSAGES,
    ),
    NotificationKind(
        key="proposal_received",
        text=_("%(freelancer)s sent a proposal for “%(job)s”."),
        label=_("A freelancer sends a proposal for my job"),
        topic=PROPOSALS,
    ),
    NotificationKind(
        key="proposal_revised",
        text=_("New terms were proposed for “%(job)s”."),
        label=_("The other side proposes new terms, or agrees to my counter-offer"),
        topic=PROPOSALS,
    ),
    NotificationKind(
        key="proposal_shortlisted",
        text=_("Your proposal for “%(job)s” was shortlisted."),
        label=_("My proposal is shortlisted"),
        topic=PROPOSALS,
    ),
    NotificationKind(
        key="proposal_declined",
        text=_("Your proposal for “%(job)s” was declined."),
        label=_("My proposal is declined"),
        topic=PROPOSALS,
    ),
    NotificationKind(
        key="proposal_declined_job_filled",
        text=_("“%(job)s” has hired everyone it was looking for, so your proposal was declined."),
        label=_("My proposal is declined because the job has hired everyone it needs"),
        topic=PROPOSALS,
    ),
    NotificationKind(
        key="proposal_declined_job_closed",
        text=_("The client closed “%(job)s”, so your proposal was declined."),
        label=_("My proposal is declined because the client closed the job"),
        topic=PROPOSALS,
    ),
    NotificationKind(
        key="job_awaiting_members",
        text=_("“%(job)s” needs the members' approval under the coop's rules: it waits while they vote."),
        label=_("My job waits for the members' approval"),
        topic=PROPOSALS,
    ),
    NotificationKind(
        key="job_accepted_by_members",
        text=_("The members accepted “%(job)s”: it is published and takes proposals."),
        label=_("The members accept my job"),
        topic=PROPOSALS,
    ),
    NotificationKind(
        key="job_declined_by_members",
        text=_("The members voted not to take on “%(job)s”."),
        label=_("The members decline my job"),
        topic=PROPOSALS,
    ),
    NotificationKind(
        key="job_refused_sector",
        text=_("“%(job)s” was not published: the coop does not take on work in its sector."),
        label=_("My job is refused because of its sector"),
        topic=PROPOSALS,
    ),
    NotificationKind(
        key="job_invitation",
        text=_("%(client)s invited you to send a proposal for “%(job)s”."),
        label=_("A client invites me to propose on their job"),
        topic=PROPOSALS,
    ),
    NotificationKind(
        key="job_invitation_declined",
        text=_("%(freelancer)s declined your invitation to propose for “%(job)s”."),
        label=_("A freelancer I invited declines"),
        topic=PROPOSALS,
    ),
    NotificationKind(
        key="proposal_withdrawn",
        text=_("%(freelancer)s withdrew their proposal for “%(job)s”."),
        label=_("A freelancer withdraws their proposal for my job"),
        topic=PROPOSALS,
    ),
    NotificationKind(
        key="proposal_accepted",
        text=_("Your proposal for “%(job)s” was accepted: the contract has started."),
        label=_("My proposal is accepted and the contract starts"),
        topic=PROPOSALS,
    ),
    NotificationKind(
        key="milestone_funded",
        text=_("Milestone “%(milestone)s” is funded: you can start work."),
        label=_("A milestone I work on is funded"),
        topic=CONTRACTS,
    ),
    NotificationKind(
        key="milestone_submitted",
        text=_("Work was delivered for milestone “%(milestone)s”."),
        label=_("Work is delivered on a milestone I pay for"),
        topic=CONTRACTS,
    ),
    NotificationKind(
        key="milestone_changes_requested",
        text=_("Changes were requested on milestone “%(milestone)s”."),
        label=_("The client asks for changes to work I delivered"),
        topic=CONTRACTS,
    ),
    NotificationKind(
        key="milestone_released",
        text=_("Milestone “%(milestone)s” was paid out to your balance."),
        label=_("A milestone is paid out to my balance"),
        topic=CONTRACTS,
    ),
    NotificationKind(
        key="milestone_refunded",
        text=_("Milestone “%(milestone)s” was refunded."),
        label=_("A milestone I paid for is refunded"),
        topic=CONTRACTS,
    ),
    NotificationKind(
        key="milestone_refunded_after_release",
        text=_("Milestone “%(milestone)s” was paid back to the client after release; credit notes follow."),
        label=_("A paid milestone is refunded after release"),
        topic=CONTRACTS,
    ),
    NotificationKind(
        key="invoice_issued",
        text=_("Invoice %(number)s for “%(milestone)s” was issued."),
        label=_("An invoice or credit note is issued to me or in my name"),
        topic=CONTRACTS,
    ),
    NotificationKind(
        key="business_details_needed",
        text=_("An invoice waits for your business details: enter them once and it is issued."),
        label=_("An invoice waits for my business details"),
        topic=CONTRACTS,
    ),
    NotificationKind(
        key="timesheet_submitted",
        text=_("A timesheet for the week of %(week)s awaits your approval."),
        label=_("A timesheet awaits my approval"),
        topic=CONTRACTS,
    ),
    NotificationKind(
        key="timesheet_approved",
        text=_("Your timesheet for the week of %(week)s was approved."),
        label=_("My timesheet is approved"),
        topic=CONTRACTS,
    ),
    NotificationKind(
        key="timesheet_rejected",
        text=_("Your timesheet for the week of %(week)s was sent back."),
        label=_("My timesheet is sent back"),
        topic=CONTRACTS,
    ),
    NotificationKind(
        key="contract_completed",
        text=_("The contract “%(contract)s” is complete. Please leave a review."),
        label=_("A contract of mine is complete"),
        topic=CONTRACTS,
    ),
    NotificationKind(
        key="review_received",
        text=_("You received a review for “%(contract)s”; it appears once you review too."),
        label=_("The other side reviews me"),
        topic=REVIEWS,
    ),
    NotificationKind(
        key="reviews_revealed",
        text=_("The reviews for “%(contract)s” are now visible."),
        label=_("The reviews of a contract of mine become visible"),
        topic=REVIEWS,
    ),
    NotificationKind(
        key="dispute_opened",
        text=_("A dispute was opened on milestone “%(milestone)s”."),
        label=_("The other side opens a dispute"),
        topic=DISPUTES,
    ),
    NotificationKind(
        key="dispute_responded",
        text=_("The other side responded to the dispute on “%(milestone)s”."),
        label=_("The other side responds to a dispute I opened"),
        topic=DISPUTES,
    ),
    NotificationKind(
        key="dispute_resolved",
        text=_("The mediator decided the dispute on “%(milestone)s”."),
        label=_("The mediator decides a dispute of mine"),
        topic=DISPUTES,
    ),
    NotificationKind(
        key="saved_search_matches",
        text=_("New jobs match your saved search “%(name)s”."),
        label=_("New jobs match one of my saved searches"),
        topic=SAVED_SEARCHES,
        email=saved_search_alert_email,
    ),
)


def register_notification_kinds() -> None:
    for kind in KINDS:
        register_notification_kind(kind)
