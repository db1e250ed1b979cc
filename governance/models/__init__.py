from governance.models.ballots import (
    BALLOT_TRANSITIONS,
    Ballot,
    BallotPaper,
    BallotResult,
    Choice,
    Participation,
    ProxyAppointment,
    Vote,
    VoterRollEntry,
)
from governance.models.elections import ELECTION_TRANSITIONS, Candidate, Election
from governance.models.proposals import (
    PROPOSAL_TRANSITIONS,
    Comment,
    Execution,
    Proposal,
    ProposalRevision,
    ProposalStatusChange,
)
from governance.models.rules import RuleSet

__all__ = [
    "BALLOT_TRANSITIONS",
    "ELECTION_TRANSITIONS",
    "PROPOSAL_TRANSITIONS",
    "Ballot",
    "BallotPaper",
    "BallotResult",
    "Candidate",
    "Choice",
    "Comment",
    "Election",
    "Execution",
    "Participation",
    "Proposal",
    "ProposalRevision",
    "ProposalStatusChange",
    "ProxyAppointment",
    "RuleSet",
    "Vote",
    "VoterRollEntry",
]
