"""The personal data governance holds, for "download my data" and account deletion (membership.privacy).

Ballot papers of secret ballots are not here on purpose: they hold no reference to anyone, so they
are neither exported nor erased, and nobody can be linked to how they voted. Ballot results hold no
names either: elections are counted under candidate keys and named when shown
(governance.services.elections.candidate_label).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.privacy import BLANK, DELETE, KEEP, Erasure, register_personal_data

DECISION_RECORD = _(
    "The decisions of the members and how they were reached are the coop's minutes, which it keeps; "
    "your part in them stays under a pseudonym."
)
COUNT_INTEGRITY = _(
    "Every ballot that was counted must stay countable, so that anyone can check the result; "
    "it is kept under a pseudonym."
)


def _erase_proposals(rows: QuerySet, erasure: Erasure) -> None:
    """Delete the person's drafts, which no one else has seen; keep every motion that was published."""
    from governance.models import Proposal

    rows.filter(status=Proposal.Status.DRAFT).delete()


def register() -> None:
    from governance.models import (
        BallotStatusChange,
        Candidate,
        Comment,
        Election,
        ElectionStatusChange,
        ExecutionStatusChange,
        Participation,
        Proposal,
        ProposalRevision,
        ProposalStatusChange,
        ProxyAppointment,
        RuleSet,
        Vote,
        VoterRollEntry,
    )

    register_personal_data(
        Proposal,
        "author",
        erase=_erase_proposals,
        purpose=_("The motions you proposed to the members."),
        keep_reason=DECISION_RECORD,
    )
    register_personal_data(
        ProposalRevision,
        "proposal__author",
        erase=KEEP,
        purpose=_("Each version of the motions you proposed."),
        keep_reason=DECISION_RECORD,
    )
    register_personal_data(
        ProposalStatusChange,
        ("actor", "proposal__author"),
        erase=KEEP,
        purpose=_("The history of your motions, and the steps you took on others' motions."),
        keep_reason=DECISION_RECORD,
    )
    # Discussion is not part of the decision and no law asks to keep it: an opinion is the
    # person's own, so it goes with the account.
    register_personal_data(
        Comment,
        "author",
        erase=DELETE,
        purpose=_("What you wrote in the discussion of motions."),
    )
    register_personal_data(
        VoterRollEntry,
        "member__user",
        erase=KEEP,
        purpose=_("The ballots you were entitled to vote on."),
        keep_reason=COUNT_INTEGRITY,
    )
    # An open vote is part of the count, which must stay checkable, so the vote stays (under the
    # pseudonym of the member row); the reason given with it is an opinion the count does not need.
    # Votes cast as someone's proxy are the proxy holder's too (`cast_by`).
    register_personal_data(
        Vote,
        ("member__user", "cast_by"),
        erase={"reason": BLANK},
        purpose=_("How you voted on open ballots, with the reasons you gave, and votes you cast as a proxy."),
        keep_reason=COUNT_INTEGRITY,
    )
    # Only that the member took part and on which day: how they voted is on an anonymous ballot
    # paper that nothing links to them, so it cannot be in the export.
    register_personal_data(
        Participation,
        "member__user",
        erase=KEEP,
        purpose=_("The secret ballots and elections you took part in (never how you voted)."),
        keep_reason=COUNT_INTEGRITY,
    )
    register_personal_data(
        ProxyAppointment,
        ("grantor__user", "holder__user"),
        erase=KEEP,
        purpose=_("Who you let vote for you, and who let you vote for them."),
        keep_reason=COUNT_INTEGRITY,
    )
    # The candidacy stays because the count refers to it; the statement is the person's own words
    # and the result does not need them.
    register_personal_data(
        Candidate,
        "member__user",
        erase={"statement": BLANK},
        purpose=_("Your candidacies in board elections, with your statements."),
        keep_reason=DECISION_RECORD,
    )
    register_personal_data(
        Election,
        "created_by",
        erase=KEEP,
        purpose=_("The elections you called, as a board member."),
        keep_reason=DECISION_RECORD,
    )
    # Who opened, cancelled or closed a ballot, moved an election on or retried carrying out a
    # decision: the steps are the minutes' own, so they stay, and the person in them is pseudonymised.
    register_personal_data(
        BallotStatusChange,
        "actor",
        erase=KEEP,
        purpose=_("The steps you took on ballots: cancelling one by withdrawing your motion, for example."),
        keep_reason=DECISION_RECORD,
    )
    register_personal_data(
        ElectionStatusChange,
        ("actor", "election__created_by"),
        erase=KEEP,
        purpose=_("The history of the elections you called, and the steps you took on elections."),
        keep_reason=DECISION_RECORD,
    )
    register_personal_data(
        ExecutionStatusChange,
        "actor",
        erase=KEEP,
        purpose=_("Your attempts, as a board member, at carrying out the members' decisions."),
        keep_reason=DECISION_RECORD,
    )
    register_personal_data(
        RuleSet,
        "created_by",
        erase=KEEP,
        purpose=_("The versions of the voting rules you recorded, as a board member."),
        keep_reason=_("Every ballot keeps the version of the rules it ran under; the rules are kept for good."),
    )
