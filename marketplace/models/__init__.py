"""The marketplace's models, one module per sub-domain."""

from marketplace.models.contracts import (
    MILESTONE_CLOSED,
    MILESTONE_IN_ESCROW,
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
from marketplace.models.disputes import (
    Dispute,
    DisputeEvidence,
    DisputeStatusChange,
    Mediator,
)
from marketplace.models.invitations import Invitation
from marketplace.models.invoices import (
    BusinessDetails,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    VatCategory,
    VatRate,
)
from marketplace.models.jobs import Job, JobAttachment, JobStatusChange, SavedSearch
from marketplace.models.messaging import (
    Message,
    MessageAttachment,
    Thread,
    ThreadReadState,
)
from marketplace.models.profiles import ClientProfile, FreelancerProfile, PortfolioItem, Skill
from marketplace.models.proposals import Proposal, ProposalRevision, ProposalStatusChange
from marketplace.models.reviews import RATING_FIELDS, Review, ReviewResponse
from marketplace.models.tax import Dac7Details, Dac7Report, Dac7ReportLine
from marketplace.models.work_rules import WorkPolicy

__all__ = [
    "MILESTONE_CLOSED",
    "MILESTONE_IN_ESCROW",
    "RATING_FIELDS",
    "BusinessDetails",
    "ClientProfile",
    "Contract",
    "ContractStatusChange",
    "Dac7Details",
    "Dac7Report",
    "Dac7ReportLine",
    "Delivery",
    "DeliveryFile",
    "Dispute",
    "DisputeEvidence",
    "DisputeStatusChange",
    "FeePolicy",
    "FreelancerProfile",
    "Invitation",
    "Invoice",
    "InvoiceCounter",
    "InvoiceLine",
    "Job",
    "JobAttachment",
    "JobStatusChange",
    "Mediator",
    "Message",
    "MessageAttachment",
    "Milestone",
    "MilestoneStatusChange",
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
    "VatCategory",
    "VatRate",
    "WorkPolicy",
]
