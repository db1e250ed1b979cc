"""Writes for member records: applying, share payment, admission, suspension, exit and expulsion.

Locks are taken user row first, then member row, then the policy row (member numbering), everywhere,
so two services cannot deadlock. Status moves go through core.transitions (MEMBER_TRANSITIONS).
The share is asked for and booked through core.ports, which payouts provides; a vote is opened
through core.decisions, which governance provides.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.decisions import Payload, decision_open
from core.exceptions import Conflict, NotAllowed
from core.permissions import authorize
from core.ports import payment_requests, share_ledger
from core.services import audit_log
from core.transitions import transition
from membership.activity import activity_check
from membership.exceptions import ErrorCode
from membership.models import (
    BylawsAcceptance,
    BylawsVersion,
    Member,
    MemberClass,
    MembershipPolicy,
    MemberStatusChange,
    User,
)
from membership.notifications import application_admitted_notify, application_rejected_notify, capital_changed_notify

SHARE_PURPOSE = "share_purchase"


class PaidRequest(Protocol):
    """What the share purpose's handler reads of a paid payment request (payouts' PaymentRequest)."""

    reference: str
    purpose_ref: str
    amount_cents: int
    currency: str
    provider: str


def _policy() -> MembershipPolicy:
    from membership.selectors import membership_policy

    return membership_policy()


def _locked_member(member_id: int) -> Member:
    member = Member.objects.select_related("member_class", "user").filter(pk=member_id).first()
    if member is None:
        raise Conflict(_("There is no such member record."), code=ErrorCode.MEMBER_NOT_FOUND, status_code=404)
    User.objects.select_for_update().get(pk=member.user_id)
    return Member.objects.select_for_update().select_related("member_class", "user").get(pk=member_id)


def _move(
    member: Member,
    to_status: str,
    *,
    actor: User | None,
    reason: str = "",
    proposal_id: int | None = None,
    fields: tuple[str, ...] = (),
) -> Member:
    """Move a locked member record through MEMBER_TRANSITIONS, with the reason and deciding proposal."""
    transition(
        member,
        to_status,
        actor=actor,
        update_fields=fields,
        history_data={"reason": reason, "proposal_id": proposal_id},
        audit_data={"proposal_id": proposal_id},
        subject=member.user,
    )
    return member


def _request_share_payment(*, member: Member, actor: User | None) -> None:
    member.share_payment_reference = payment_requests.get().create(
        payer=member.user,
        amount_cents=member.member_class.share_total_cents,
        currency=member.member_class.currency,
        purpose=SHARE_PURPOSE,
        purpose_ref=f"{member.pk}:{member.application_round}",
        actor=actor,
    )
    member.save(update_fields=["share_payment_reference", "updated_at"])


def member_apply(
    *,
    user: User,
    member_class: MemberClass,
    motivation: str = "",
    bylaws_version: BylawsVersion | None = None,
    actor: User | None = None,
) -> Member:
    """Open a membership application for the user in the given class and ask for the share payment.

    With `bylaws_version` it records that the user accepted that exact version now; it must be the
    version in force.
    """
    from membership.selectors import bylaws_current

    authorize(actor or user, "account.apply", user)
    if not member_class.open_for_applications:
        raise Conflict(_("This member class does not take applications."), code=ErrorCode.MEMBER_CLASS_CLOSED)
    if bylaws_version is not None:
        current = bylaws_current()
        if current is None or current.pk != bylaws_version.pk:
            raise Conflict(
                _("The bylaws have changed since you opened the form. Please read and accept the current version."),
                code=ErrorCode.BYLAWS_OUTDATED,
            )
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        existing = Member.objects.select_for_update().filter(user=user).first()
        if existing is not None and existing.status != Member.Status.EXITED:
            raise Conflict(_("You already have a membership record."), code=ErrorCode.MEMBER_EXISTS)
        acceptance = None
        if bylaws_version is not None:
            acceptance, _created = BylawsAcceptance.objects.get_or_create(
                user=user, bylaws_version=bylaws_version, defaults={"accepted_at": timezone.now()}
            )
        if existing is None:
            member = Member.objects.create(
                user=user, member_class=member_class, motivation=motivation, bylaws_acceptance=acceptance
            )
            MemberStatusChange.objects.create(
                member=member,
                to_status=member.status,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
            )
        else:
            member = existing
            member.member_class = member_class
            member.motivation = motivation
            member.bylaws_acceptance = acceptance
            member.application_round += 1
            member.share_payment_reference = ""
            member.share_paid_at = None
            member.admission_proposal_id = None
            member.resignation_requested_at = None
            member.exit_effective_on = None
            _move(
                member,
                Member.Status.APPLICANT,
                actor=actor,
                fields=(
                    "member_class",
                    "motivation",
                    "bylaws_acceptance",
                    "application_round",
                    "share_payment_reference",
                    "share_paid_at",
                    "admission_proposal_id",
                    "resignation_requested_at",
                    "exit_effective_on",
                ),
            )
        audit_log(
            actor=actor,
            action="member.applied",
            target=member,
            subject=user,
            data={
                "member_class": member_class.slug,
                "bylaws_version": bylaws_version.version if bylaws_version else None,
                "round": member.application_round,
            },
        )
        _request_share_payment(member=member, actor=actor)
    return member


def member_share_paid(payment_request: PaidRequest) -> None:
    """Post a fully paid share payment as the member's share capital (the "share_purchase" handler).

    Runs inside the transaction that confirmed the payment, exactly once per request. Money for an
    earlier application round is still posted: it arrived and the ledger must say whose it is.
    """
    member_id, _sep, application_round = payment_request.purpose_ref.partition(":")
    member = _locked_member(int(member_id))
    share_ledger.get().share_purchase(
        member_id=member.pk,
        user_id=member.user_id,
        amount_cents=payment_request.amount_cents,
        currency=payment_request.currency,
        provider=payment_request.provider,
        payment_ref=payment_request.reference,
        actor=None,
    )
    if str(member.application_round) == application_round and member.share_paid_at is None:
        member.share_paid_at = timezone.now()
        member.save(update_fields=["share_paid_at", "updated_at"])
    audit_log(
        actor=None,
        action="member.share_paid",
        target=member,
        subject=member.user,
        data={"reference": payment_request.reference, "amount_cents": payment_request.amount_cents},
    )
    capital_changed_notify(member, batch="share_purchase")


def admission_blockers(member: Member, policy: MembershipPolicy) -> list[tuple[ErrorCode, str]]:
    """Return (code, message) for every admission condition of the policy the applicant misses."""
    blockers: list[tuple[ErrorCode, str]] = []
    if policy.require_share_payment and member.share_paid_at is None:
        blockers.append((ErrorCode.SHARE_UNPAID, _("The applicant has not paid for their share yet.")))
    if policy.activity_check and policy.activity_required:
        check = activity_check(policy.activity_check)
        done = check.count(member.user) if check is not None else 0
        if done < policy.activity_required:
            label = check.label if check is not None else policy.activity_check
            blockers.append(
                (
                    ErrorCode.ACTIVITY_REQUIREMENT_UNMET,
                    _("The applicant has %(done)s of the %(required)s %(activity)s the policy asks for.")
                    % {"done": done, "required": policy.activity_required, "activity": label},
                )
            )
    return blockers


def member_admit(
    *, member_id: int, actor: User | None, shares: int | None = None, proposal_id: int | None = None
) -> Member:
    """Admit an applicant: give the next member number and the class's shares.

    Under a policy of admission by vote only a passed proposal (`proposal_id`) admits.
    """
    if proposal_id is None:
        authorize(actor, "member.admit")
    with transaction.atomic():
        member = _locked_member(member_id)
        policy = _policy()
        if member.status != Member.Status.APPLICANT:
            raise Conflict(_("Only an applicant can be admitted."), code=ErrorCode.MEMBER_NOT_APPLICANT)
        if policy.admission == MembershipPolicy.Admission.VOTE and proposal_id is None:
            raise NotAllowed(
                _("Under the coop's policy the members admit applicants by vote."), code=ErrorCode.ADMISSION_BY_VOTE
            )
        blockers = admission_blockers(member, policy)
        if blockers:
            code, message = blockers[0]
            raise Conflict(message, code=code)
        if member.member_number is None:
            # Member numbers are never reused. The policy row serves as the numbering lock (taken
            # after the user and member rows), so two admissions at once get consecutive numbers.
            MembershipPolicy.objects.select_for_update().get(pk=policy.pk)
            last = Member.objects.aggregate(m=Max("member_number"))["m"] or 0
            member.member_number = last + 1
        member.joined_at = member.joined_at or timezone.now()
        member.exited_at = None
        member.shares = shares if shares is not None else member.member_class.shares_required
        _move(
            member,
            Member.Status.ACTIVE,
            actor=actor,
            proposal_id=proposal_id,
            fields=("member_number", "joined_at", "shares", "exited_at"),
        )
        application_admitted_notify(member)
    return member


def _redeem_shares(*, member: Member, actor: User | None, event: str) -> None:
    ledger = share_ledger.get()
    currency = member.member_class.currency
    capital = ledger.member_capital(member_id=member.pk, user_id=member.user_id, currency=currency)
    if capital.shares_cents <= 0:
        return
    ledger.share_redeem(
        member_id=member.pk,
        user_id=member.user_id,
        amount_cents=capital.shares_cents,
        currency=currency,
        provider="bank_transfer",
        actor=actor,
        key=f"member:{member.pk}:{member.application_round}:{event}",
    )
    capital_changed_notify(member, batch="share_redeem")


def member_application_reject(*, member_id: int, actor: User, reason: str) -> Member:
    """Turn an application down (board), paying back a share already paid."""
    authorize(actor, "member.reject")
    with transaction.atomic():
        member = _locked_member(member_id)
        if member.status != Member.Status.APPLICANT:
            raise Conflict(_("Only an applicant can be turned down."), code=ErrorCode.MEMBER_NOT_APPLICANT)
        _redeem_shares(member=member, actor=actor, event="refund")
        member.shares = 0
        _move(member, Member.Status.EXITED, actor=actor, reason=reason, fields=("shares",))
        application_rejected_notify(member, reason=reason)
    return member


def member_application_withdraw(*, user: User, actor: User) -> Member:
    """Withdraw one's own application, paying back a share already paid."""
    authorize(actor, "account.withdraw_application", user)
    with transaction.atomic():
        found = Member.objects.filter(user=user).values_list("pk", flat=True).first()
        if found is None:
            raise Conflict(_("You have no open application."), code=ErrorCode.NO_APPLICATION)
        member = _locked_member(found)
        if member.status != Member.Status.APPLICANT:
            raise Conflict(_("You have no open application."), code=ErrorCode.NO_APPLICATION)
        _redeem_shares(member=member, actor=actor, event="refund")
        member.shares = 0
        return _move(member, Member.Status.EXITED, actor=actor, reason=_("Application withdrawn"), fields=("shares",))


def member_suspend(*, member_id: int, actor: User, reason: str) -> Member:
    authorize(actor, "member.suspend")
    with transaction.atomic():
        member = _locked_member(member_id)
        return _move(member, Member.Status.SUSPENDED, actor=actor, reason=reason)


def member_reinstate(*, member_id: int, actor: User, reason: str = "") -> Member:
    authorize(actor, "member.reinstate")
    with transaction.atomic():
        member = _locked_member(member_id)
        if member.status != Member.Status.SUSPENDED:
            raise Conflict(_("Only a suspended member can be reinstated."), code=ErrorCode.MEMBER_NOT_SUSPENDED)
        return _move(member, Member.Status.ACTIVE, actor=actor, reason=reason)


def member_resign(*, user: User, actor: User) -> Member:
    """Hand in one's resignation: the membership ends after the policy's notice period."""
    authorize(actor, "account.resign", user)
    with transaction.atomic():
        found = Member.objects.filter(user=user).values_list("pk", flat=True).first()
        if found is None:
            raise Conflict(_("You are not a member."), code=ErrorCode.NOT_A_MEMBER)
        member = _locked_member(found)
        if not member.is_current:
            raise Conflict(_("You are not a member."), code=ErrorCode.NOT_A_MEMBER)
        if member.resignation_requested_at is not None:
            raise Conflict(_("You have already resigned."), code=ErrorCode.ALREADY_RESIGNED)
        now = timezone.now()
        member.resignation_requested_at = now
        member.exit_effective_on = timezone.localdate(now) + timedelta(days=_policy().notice_period_days)
        member.save(update_fields=["resignation_requested_at", "exit_effective_on", "updated_at"])
        audit_log(
            actor=actor,
            action="member.resigned",
            target=member,
            subject=member.user,
            data={"exit_effective_on": member.exit_effective_on.isoformat()},
        )
    return member


def member_resignation_withdraw(*, user: User, actor: User) -> Member:
    """Take a resignation back before it takes effect."""
    authorize(actor, "account.withdraw_resignation", user)
    with transaction.atomic():
        found = Member.objects.filter(user=user).values_list("pk", flat=True).first()
        member = _locked_member(found) if found is not None else None
        if member is None or member.resignation_requested_at is None or not member.is_current:
            raise Conflict(_("You have no resignation to withdraw."), code=ErrorCode.NO_RESIGNATION)
        member.resignation_requested_at = None
        member.exit_effective_on = None
        member.save(update_fields=["resignation_requested_at", "exit_effective_on", "updated_at"])
        audit_log(actor=actor, action="member.resignation_withdrawn", target=member, subject=member.user)
    return member


def member_exit(*, member_id: int, actor: User | None, reason: str = "", proposal_id: int | None = None) -> Member:
    """End a membership: redeem the shares through the ledger and record the exit.

    The member keeps their number, their history and access to their capital statement.
    """
    if proposal_id is None:
        authorize(actor, "member.exit")
    with transaction.atomic():
        member = _locked_member(member_id)
        if not member.is_current:
            raise Conflict(_("Only a current member can leave."), code=ErrorCode.MEMBER_NOT_CURRENT)
        _redeem_shares(member=member, actor=actor, event="exit")
        member.shares = 0
        member.exited_at = timezone.now()
        return _move(
            member,
            Member.Status.EXITED,
            actor=actor,
            reason=reason,
            proposal_id=proposal_id,
            fields=("shares", "exited_at"),
        )


def member_exit_if_due(*, member_id: int) -> Member | None:
    """Complete a resignation whose notice period has passed; do nothing otherwise (safe to repeat)."""
    member = Member.objects.filter(pk=member_id).first()
    today = timezone.localdate()
    if member is None or not member.is_current or member.exit_effective_on is None or member.exit_effective_on > today:
        return None
    try:
        return member_exit(member_id=member_id, actor=None, reason=_("Resignation took effect"))
    except Conflict:
        return None


def member_expel(*, member_id: int, actor: User | None, proposal_id: int, reason: str = "") -> Member:
    """Expel a member, as the members decided by vote."""
    return member_exit(
        member_id=member_id, actor=actor, reason=reason or _("Expelled by members' vote"), proposal_id=proposal_id
    )


def _propose(*, key: str, payload: Payload, title: str, author: User) -> int:
    proposal = decision_open(key=key, payload=payload, title=title, author=author, actor=author)
    return int(proposal.pk)


def member_admission_propose(*, member_id: int, actor: User) -> Member:
    """Put an application to the members' vote (under a policy of admission by vote)."""
    authorize(actor, "member.propose_admission")
    with transaction.atomic():
        member = _locked_member(member_id)
        if member.status != Member.Status.APPLICANT:
            raise Conflict(_("Only an applicant can be put to a vote."), code=ErrorCode.MEMBER_NOT_APPLICANT)
        if member.admission_proposal_id is not None:
            raise Conflict(_("This application is already up for a vote."), code=ErrorCode.ADMISSION_ALREADY_PROPOSED)
        blockers = admission_blockers(member, _policy())
        if blockers:
            code, message = blockers[0]
            raise Conflict(message, code=code)
        member.admission_proposal_id = _propose(
            key="membership.admit",
            payload={"member_id": member.pk},
            title=_("Admit %(name)s to the %(class)s")
            % {"name": member.user.display_name or member.user.email, "class": member.member_class.display_name},
            author=actor,
        )
        member.save(update_fields=["admission_proposal_id", "updated_at"])
        audit_log(
            actor=actor,
            action="member.admission_proposed",
            target=member,
            subject=member.user,
            data={"proposal_id": member.admission_proposal_id},
        )
    return member


def member_expulsion_propose(*, member_id: int, actor: User, reason: str) -> int:
    """Propose to the members that a member be expelled; return the proposal's id."""
    authorize(actor, "member.propose_expulsion")
    with transaction.atomic():
        member = _locked_member(member_id)
        if not member.is_current:
            raise Conflict(_("Only a current member can be expelled."), code=ErrorCode.MEMBER_NOT_CURRENT)
        proposal_id = _propose(
            key="membership.expel",
            payload={"member_id": member.pk, "reason": reason},
            title=_("Expel member %(number)s") % {"number": member.member_number},
            author=actor,
        )
        audit_log(
            actor=actor,
            action="member.expulsion_proposed",
            target=member,
            subject=member.user,
            data={"proposal_id": proposal_id},
        )
    return proposal_id
