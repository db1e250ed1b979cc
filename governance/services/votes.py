"""Casting votes, open or secret, and appointing proxies.

Lock order: ballot, then the voter's roll entry. Locking the ballot row serialises the votes on one
ballot against its close, so no vote lands after the tally; the unique constraints on (ballot,
member) are the last line of defence. The vote that completes the voter roll closes the ballot in
its own transaction, where the rules allow it (governance.services.ballots.ballot_close_if_complete).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict, NotAllowed
from core.permissions import authorize, has_verified_email
from core.services import audit_log
from governance.exceptions import BallotNotOpen, ErrorCode, MembersOnly, NotOnVoterRoll
from governance.models import (
    Ballot,
    BallotPaper,
    Choice,
    Participation,
    ProxyAppointment,
    Vote,
    VoterRollEntry,
)
from governance.services.ballots import ballot_close_if_complete
from membership.models import Member, User

REASON_MAX = 2000


def voter_for(user: User, *, action: str = "ballot.vote") -> Member:
    """Return the active member `user` is, allowed by the permission table to take part (`action`)."""
    if not has_verified_email(user):
        raise NotAllowed(_("Verify your email address before voting."), code=ErrorCode.EMAIL_NOT_VERIFIED)
    authorize(user, action)
    member = Member.objects.filter(user_id=user.pk, status=Member.Status.ACTIVE).first()
    if member is None:
        raise MembersOnly()
    return member


def _ballot_lock(ballot_id: int | None) -> Ballot:
    """Lock a ballot; a proposal that was never published has none, and cannot be voted on (409)."""
    if ballot_id is None:
        raise BallotNotOpen()
    return Ballot.objects.select_for_update().select_related("ruleset").get(pk=ballot_id)


def _open_ballot(ballot_id: int | None, *, kind: str) -> Ballot:
    ballot = _ballot_lock(ballot_id)
    if ballot.kind != kind or ballot.status != Ballot.Status.OPEN or ballot.closes_at <= timezone.now():
        raise BallotNotOpen()
    return ballot


def roll_entry_lock(ballot: Ballot, member_id: int) -> VoterRollEntry:
    entry = VoterRollEntry.objects.select_for_update().filter(ballot=ballot, member_id=member_id).first()
    if entry is None:
        raise NotOnVoterRoll()
    return entry


def participation_record(*, ballot: Ballot, entry: VoterRollEntry, actor: User) -> None:
    """Record that the member voted on a secret ballot; refuse a second time."""
    if Participation.objects.filter(ballot=ballot, member_id=entry.member_id).exists():
        raise Conflict(
            _("You have already voted. A secret ballot cannot be changed: nothing links it to you."),
            code=ErrorCode.ALREADY_VOTED,
        )
    Participation.objects.create(ballot=ballot, member_id=entry.member_id, voted_on=timezone.localdate())
    # The audit row says that the member voted, never how.
    audit_log(actor=actor, action="ballot.participated", target=ballot, subject=entry.member.user)


@transaction.atomic
def vote_cast(
    *, ballot_id: int | None, actor: User, choice: str, reason: str = "", on_behalf_of: int | None = None
) -> Vote | None:
    """Cast or change a vote on a motion. Return the vote (None on a secret ballot: it is not kept by name).

    `on_behalf_of` is the member id of someone who appointed the actor as their proxy. A proposal
    that has no ballot yet (`ballot_id` None: a draft) is refused as a ballot that is not open.
    """
    if choice not in Choice.values:
        raise ApplicationError(
            _("Choose yes, no or abstain."), code=ErrorCode.INVALID_CHOICE, detail={"field": "choice"}
        )
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise ApplicationError(
            _("Keep the reason under %(n)d characters.") % {"n": REASON_MAX},
            code=ErrorCode.REASON_TOO_LONG,
            detail={"field": "reason"},
        )
    voter = voter_for(actor)
    ballot = _open_ballot(ballot_id, kind=Ballot.Kind.MOTION)
    if ballot.secret and reason:
        raise ApplicationError(
            _("A secret ballot takes no reason: a reason could show how you voted."),
            code=ErrorCode.SECRET_NO_REASON,
            detail={"field": "reason"},
        )
    represented = voter.pk if on_behalf_of is None else on_behalf_of
    via_proxy = represented != voter.pk
    if via_proxy and not ProxyAppointment.objects.filter(ballot=ballot, grantor_id=represented, holder=voter).exists():
        raise NotAllowed(_("That member has not appointed you as their proxy."), code=ErrorCode.NOT_PROXY)
    entry = roll_entry_lock(ballot, represented)
    if ballot.secret:
        participation_record(ballot=ballot, entry=entry, actor=actor)
        BallotPaper.objects.create(
            ballot=ballot, choice=choice, member_class_slug=entry.member_class_slug, cast_on=timezone.localdate()
        )
        ballot_close_if_complete(ballot=ballot)
        return None
    vote = Vote.objects.filter(ballot=ballot, member_id=entry.member_id).first()
    if vote is not None and via_proxy and not vote.via_proxy:
        raise Conflict(_("The member has voted themselves; their own vote stands."), code=ErrorCode.VOTED_IN_PERSON)
    if vote is None:
        vote = Vote.objects.create(
            ballot=ballot,
            member_id=entry.member_id,
            member_class_slug=entry.member_class_slug,
            choice=choice,
            reason=reason,
            cast_by=actor,
            via_proxy=via_proxy,
        )
    else:
        vote.choice, vote.reason, vote.cast_by, vote.via_proxy = choice, reason, actor, via_proxy
        vote.save(update_fields=["choice", "reason", "cast_by", "via_proxy", "updated_at"])
    audit_log(
        actor=actor,
        action="vote.cast",
        target=ballot,
        subject=entry.member.user,
        data={"choice": choice, "via_proxy": via_proxy},
    )
    ballot_close_if_complete(ballot=ballot)
    return vote


@transaction.atomic
def proxy_appoint(*, ballot_id: int | None, actor: User, holder_member_id: int) -> ProxyAppointment:
    """Let another member vote for the actor on one ballot, within the rules' limit."""
    grantor = voter_for(actor, action="ballot.appoint_proxy")
    ballot = _ballot_lock(ballot_id)
    if not ballot.ruleset.proxies_allowed:
        raise NotAllowed(_("The rules for this vote do not allow proxies."), code=ErrorCode.PROXIES_NOT_ALLOWED)
    if ballot.status not in {Ballot.Status.SCHEDULED, Ballot.Status.OPEN}:
        raise BallotNotOpen()
    holder = Member.objects.filter(pk=holder_member_id, status=Member.Status.ACTIVE).first()
    if holder is None:
        raise ApplicationError(_("Only an active member can be a proxy."), code=ErrorCode.PROXY_NOT_MEMBER)
    if holder.pk == grantor.pk:
        raise ApplicationError(_("You cannot be your own proxy."), code=ErrorCode.PROXY_SELF)
    if ballot.status == Ballot.Status.OPEN:
        roll_entry_lock(ballot, grantor.pk)
    held = ProxyAppointment.objects.filter(ballot=ballot, holder=holder).exclude(grantor=grantor).count()
    if held >= ballot.ruleset.max_proxies:
        raise Conflict(
            _("That member already holds the most proxies the rules allow (%(n)d).")
            % {"n": ballot.ruleset.max_proxies},
            code=ErrorCode.PROXY_LIMIT,
        )
    appointment, _created = ProxyAppointment.objects.update_or_create(
        ballot=ballot, grantor=grantor, defaults={"holder": holder}
    )
    audit_log(actor=actor, action="proxy.appointed", target=ballot, data={"holder": holder.pk})
    return appointment


@transaction.atomic
def proxy_revoke(*, ballot_id: int | None, actor: User) -> None:
    """Withdraw the actor's proxy while the ballot is scheduled or open; afterwards it is on record."""
    grantor = voter_for(actor, action="ballot.appoint_proxy")
    ballot = _ballot_lock(ballot_id)
    if ballot.status not in {Ballot.Status.SCHEDULED, Ballot.Status.OPEN}:
        raise BallotNotOpen()
    deleted, _rows = ProxyAppointment.objects.filter(ballot=ballot, grantor=grantor).delete()
    if deleted:
        audit_log(actor=actor, action="proxy.revoked", target=ballot)
