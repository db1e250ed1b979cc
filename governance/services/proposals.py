"""Writes for proposals: draft, amend, comment, publish for discussion, withdraw."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.decisions import Payload, decision_type
from core.exceptions import ApplicationError, Conflict
from core.permissions import authorize
from core.services import audit_log
from core.transitions import transition
from governance.exceptions import ErrorCode, InvalidPayload
from governance.models import (
    Ballot,
    BallotStatusChange,
    Comment,
    Proposal,
    ProposalRevision,
    ProposalStatusChange,
    RuleSet,
)
from governance.services import notices
from governance.services.rules import ruleset_current
from membership.models import User

TITLE_MAX = 200


def _clean(*, key: str, payload: Payload, title: str) -> Payload:
    title = title.strip()
    if not title:
        raise ApplicationError(
            _("Give the proposal a title."), code=ErrorCode.TITLE_REQUIRED, detail={"field": "title"}
        )
    if len(title) > TITLE_MAX:
        raise ApplicationError(
            _("Keep the title under %(n)d characters.") % {"n": TITLE_MAX},
            code=ErrorCode.TITLE_TOO_LONG,
            detail={"field": "title"},
        )
    if not isinstance(payload, dict):
        raise InvalidPayload(_("The decision's details must be an object."))
    return decision_type(key).validate_payload(payload)


def _summary(key: str, payload: Payload) -> dict[str, str]:
    """The decision in words in each of the site's languages, for the lists of decisions."""
    describe = decision_type(key).describe
    summary: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            summary[language] = str(describe(payload))
    return summary


def _require_member(user: User) -> None:
    authorize(user, "motion.create")


@transaction.atomic
def proposal_create(
    *, decision_key: str, payload: Payload, title: str, body: str = "", author: User, actor: User
) -> Proposal:
    """Create a draft proposal; only active members may propose."""
    _require_member(author)
    payload = _clean(key=decision_key, payload=payload, title=title)
    proposal = Proposal.objects.create(
        title=title.strip(),
        body=body.strip(),
        author=author,
        decision_key=decision_key,
        payload=payload,
        summary=_summary(decision_key, payload),
    )
    ProposalRevision.objects.create(
        proposal=proposal, number=1, title=proposal.title, body=proposal.body, payload=payload
    )
    ProposalStatusChange.objects.create(proposal=proposal, to_status=proposal.status, actor=actor)
    audit_log(actor=actor, action="proposal.created", target=proposal, data={"decision": decision_key})
    return proposal


def proposal_create_for_decision(
    *, key: str, payload: Payload, title: str, author: User, body: str = "", actor: User | None = None
) -> Proposal:
    """Create a draft proposal for a decision of type `key`, for another app (core.decisions.decision_open).

    The author acts for themselves unless another actor is named.
    """
    return proposal_create(
        decision_key=key,
        payload=payload,
        title=title,
        body=body,
        author=author,
        actor=actor if actor is not None else author,
    )


@transaction.atomic
def proposal_put_to_vote_for_platform(
    *, key: str, payload: Payload, title: str, author: User, body: str = ""
) -> Proposal:
    """Create and publish at once a decision the bylaws require (core.decisions.decision_put_to_vote).

    The platform acts, not a member: the author is who asked for the decision (a client whose project
    needs the members' approval) and need not be a member. The usual notice and voting windows apply.
    """
    payload = _clean(key=key, payload=payload, title=title)
    proposal = Proposal.objects.create(
        title=title.strip(),
        body=body.strip(),
        author=author,
        decision_key=key,
        payload=payload,
        summary=_summary(key, payload),
    )
    ProposalRevision.objects.create(
        proposal=proposal, number=1, title=proposal.title, body=proposal.body, payload=payload
    )
    ProposalStatusChange.objects.create(proposal=proposal, to_status=proposal.status, actor=None)
    audit_log(actor=None, action="proposal.created", target=proposal, data={"decision": key, "by_platform": True})
    return _publish(proposal=proposal, actor=None, opens_at=None, urgent=False)


@transaction.atomic
def proposal_amend(
    *, proposal_id: int, title: str, body: str, payload: Payload | None = None, note: str = "", actor: User
) -> Proposal:
    """Amend the text (and decision) of a proposal; only its author, only before voting opens."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    authorize(actor, "motion.amend", proposal)
    _refuse_if_held(proposal)
    if proposal.status not in {Proposal.Status.DRAFT, Proposal.Status.DISCUSSION}:
        raise Conflict(_("A proposal can be amended only until voting opens."), code=ErrorCode.AMEND_CLOSED)
    payload = _clean(key=proposal.decision_key, payload=proposal.payload if payload is None else payload, title=title)
    proposal.title, proposal.body, proposal.payload = title.strip(), body.strip(), payload
    proposal.summary = _summary(proposal.decision_key, payload)
    proposal.revision += 1
    proposal.save(update_fields=["title", "body", "payload", "summary", "revision", "updated_at"])
    ProposalRevision.objects.create(
        proposal=proposal,
        number=proposal.revision,
        title=proposal.title,
        body=proposal.body,
        payload=payload,
        note=note,
    )
    audit_log(actor=actor, action="proposal.amended", target=proposal, data={"revision": proposal.revision})
    return proposal


@transaction.atomic
def proposal_comment(*, proposal_id: int, body: str, actor: User) -> Comment:
    """Add a comment to a proposal under discussion or vote; members only."""
    authorize(actor, "motion.comment")
    body = body.strip()
    if not body:
        raise ApplicationError(
            _("Write something before posting."), code=ErrorCode.COMMENT_EMPTY, detail={"field": "body"}
        )
    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    if proposal.status not in {Proposal.Status.DISCUSSION, Proposal.Status.VOTING}:
        raise Conflict(_("Comments are open during discussion and voting only."), code=ErrorCode.COMMENTS_CLOSED)
    comment = Comment.objects.create(proposal=proposal, author=actor, body=body)
    audit_log(actor=actor, action="proposal.commented", target=proposal, data={"comment": comment.pk})
    return comment


def _urgent_check(*, proposal: Proposal, ruleset: RuleSet, actor: User) -> None:
    """Refuse the urgent procedure to all but the board, and for decision types the rules do not list."""
    authorize(actor, "motion.publish_urgent", proposal)
    if proposal.decision_key not in ruleset.urgent_decision_keys:
        raise ApplicationError(
            _("The rules allow no urgent procedure for this kind of decision."),
            code=ErrorCode.URGENT_NOT_ALLOWED,
            detail={"field": "urgent"},
        )


@transaction.atomic
def proposal_publish(
    *, proposal_id: int, actor: User, opens_at: datetime | None = None, urgent: bool = False
) -> Proposal:
    """Open a draft for discussion: give notice, fix the rules version and schedule the ballot.

    Voting opens after the notice period of the rules in force now (or later, if asked), and stays
    open for their voting window. With `urgent`, the board uses the rules' urgent procedure and its
    shorter notice and voting windows, for the decision types the rules list.
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    authorize(actor, "motion.publish", proposal)
    if proposal.status != Proposal.Status.DRAFT:
        raise Conflict(
            _("Only a draft can be published: this proposal is already published or withdrawn."),
            code=ErrorCode.NOT_A_DRAFT,
        )
    _require_member(actor)
    return _publish(proposal=proposal, actor=actor, opens_at=opens_at, urgent=urgent)


def _publish(*, proposal: Proposal, actor: User | None, opens_at: datetime | None, urgent: bool) -> Proposal:
    """Publish a locked draft under the rules in force; `actor` None is the platform (bylaw-required votes)."""
    ruleset = ruleset_current(key=decision_type(proposal.decision_key).rules_key)
    if urgent and actor is not None:
        _urgent_check(proposal=proposal, ruleset=ruleset, actor=actor)
    notice_days = ruleset.urgent_notice_days if urgent else ruleset.notice_days
    voting_days = ruleset.urgent_voting_days if urgent else ruleset.voting_days
    now = timezone.now()
    earliest = now + timedelta(days=notice_days)
    if opens_at is not None and opens_at < earliest:
        raise ApplicationError(
            ngettext(
                "Voting can open on %(date)s at the earliest: the rules require %(days)d day's notice.",
                "Voting can open on %(date)s at the earliest: the rules require %(days)d days' notice.",
                notice_days,
            )
            % {"date": date_format(timezone.localtime(earliest), "j F Y, H:i"), "days": notice_days},
            code=ErrorCode.NOTICE_TOO_SHORT,
            detail={"field": "opens_at"},
        )
    opens_at = opens_at or earliest
    ballot = Ballot.objects.create(
        kind=Ballot.Kind.MOTION,
        ruleset=ruleset,
        secret=ruleset.secret,
        urgent=urgent,
        notice_given_at=now,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(days=voting_days),
    )
    BallotStatusChange.objects.create(ballot=ballot, to_status=ballot.status, actor=actor)
    proposal.ruleset = ruleset
    proposal.ballot = ballot
    transition(
        proposal,
        Proposal.Status.DISCUSSION,
        actor=actor,
        update_fields=("ruleset", "ballot"),
        audit_data={"urgent": True} if urgent else None,
    )
    notices.proposal_published_notify(proposal=proposal, ballot=ballot, actor=actor)
    return proposal


def held_by(proposal: Proposal) -> str | None:
    """What waits on this decision the platform opened, in words; None when nothing does (core.decisions)."""
    held = decision_type(proposal.decision_key).held_by
    return held(payload=proposal.payload, proposal_id=proposal.pk) if held is not None else None


def _refuse_if_held(proposal: Proposal) -> None:
    """A decision the bylaws required for something that waits on it is not its author's to change or drop."""
    reason = held_by(proposal)
    if reason:
        raise Conflict(reason, code=ErrorCode.DECISION_HELD)


def _lock_with_ballot(proposal_id: int) -> tuple[Proposal, Ballot | None]:
    # Lock order everywhere: ballot, then proposal.
    ballot_id = Proposal.objects.filter(pk=proposal_id).values_list("ballot_id", flat=True).get()
    ballot = Ballot.objects.select_for_update().get(pk=ballot_id) if ballot_id else None
    return Proposal.objects.select_for_update().get(pk=proposal_id), ballot


@transaction.atomic
def proposal_withdraw(*, proposal_id: int, actor: User) -> Proposal:
    """Withdraw a proposal before voting opens; only its author, and not a decision something waits on."""
    proposal, ballot = _lock_with_ballot(proposal_id)
    authorize(actor, "motion.withdraw", proposal)
    if proposal.status == Proposal.Status.VOTING:
        raise Conflict(_("A proposal can be withdrawn only until voting opens."), code=ErrorCode.WITHDRAW_CLOSED)
    if proposal.status in {Proposal.Status.DRAFT, Proposal.Status.DISCUSSION}:
        _refuse_if_held(proposal)
    transition(proposal, Proposal.Status.WITHDRAWN, actor=actor)
    if ballot is not None and ballot.status == Ballot.Status.SCHEDULED:
        transition(ballot, Ballot.Status.CANCELLED, actor=actor)
    return proposal


@transaction.atomic
def proposal_withdraw_for_platform(*, proposal_id: int, reason: str, actor: User | None) -> Proposal:
    """Withdraw a decision the platform opened, because what waited on it was withdrawn (core.decisions).

    Before or during its vote: the ballot is cancelled, votes already cast are not counted, and the
    reason is audited. A decision whose vote has closed is left as it is (its result stands).
    """
    proposal, ballot = _lock_with_ballot(proposal_id)
    if proposal.status not in {Proposal.Status.DRAFT, Proposal.Status.DISCUSSION, Proposal.Status.VOTING}:
        return proposal
    told = proposal.status != Proposal.Status.DRAFT
    transition(
        proposal, Proposal.Status.WITHDRAWN, actor=actor, audit_data={"by_platform": True, "reason": reason[:300]}
    )
    if ballot is not None and ballot.status in {Ballot.Status.SCHEDULED, Ballot.Status.OPEN}:
        transition(ballot, Ballot.Status.CANCELLED, actor=actor)
    if told:
        # The members were told it was put to them (and may have voted): they hear it is off.
        notices.decision_withdrawn_notify(proposal=proposal, ballot=ballot)
    return proposal
