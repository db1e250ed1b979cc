"""The marketplace's models, one module per sub-domain."""

from marketplace.models.contracts import (
    CONTRACT_TRANSITIONS,
    MILESTONE_CLOSED,
    MILESTONE_IN_ESCROW,
    MILESTONE_TRANSITIONS,
    TIMESHEET_TRANSITIONS,
    Contract,
    ContractStatusChange,
    Delivery,
    DeliveryFile,
    FeePolicy,
    Milestone,
    MilestoneStatusChange,
    Timesheet,
    TimesheetStatusChange,
)
from marketplace.models.disputes import DISPUTE_TRANSITIONS, Dispute, DisputeEvidence, DisputeStatusChange
from marketplace.models.jobs import JOB_TRANSITIONS, Job, JobAttachment, JobStatusChange, SavedSearch
from marketplace.models.messaging import (
    Message,
    MessageAttachment,
    Notification,
    NotificationPreference,
    Thread,
    ThreadReadState,
)
from marketplace.models.profiles import ClientProfile, FreelancerProfile, PortfolioItem, Skill
from marketplace.models.proposals import PROPOSAL_TRANSITIONS, Proposal, ProposalRevision, ProposalStatusChange
from marketplace.models.reviews import RATING_FIELDS, Review, ReviewResponse

__all__ = [
    "CONTRACT_TRANSITIONS",
    "DISPUTE_TRANSITIONS",
    "JOB_TRANSITIONS",
    "MILESTONE_CLOSED",
    "MILESTONE_IN_ESCROW",
    "MILESTONE_TRANSITIONS",
    "PROPOSAL_TRANSITIONS",
    "RATING_FIELDS",
    "TIMESHEET_TRANSITIONS",
    "ClientProfile",
    "Contract",
    "ContractStatusChange",
    "Delivery",
    "DeliveryFile",
    "Dispute",
    "DisputeEvidence",
    "DisputeStatusChange",
    "FeePolicy",
    "FreelancerProfile",
    "Job",
    "JobAttachment",
    "JobStatusChange",
    "Message",
    "MessageAttachment",
    "Milestone",
    "MilestoneStatusChange",
    "Notification",
    "NotificationPreference",
    "PortfolioItem",
    "Proposal",
    "ProposalRevision",
    "ProposalStatusChange",
    "Review",
    "ReviewResponse",
    "SavedSearch",
    "Skill",
    "Thread",
    "ThreadReadState",
    "Timesheet",
    "TimesheetStatusChange",
]
