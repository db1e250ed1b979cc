from django.urls import path

from marketplace.api import (
    contracts,
    disputes,
    fees,
    jobs,
    messaging,
    milestones,
    profiles,
    proposals,
    reviews,
    searches,
    timesheets,
)

urlpatterns = [
    path("jobs/", jobs.JobSearchApi.as_view(), name="api-job-search"),
    path("jobs/new/", jobs.JobCreateApi.as_view(), name="api-job-create"),
    path("jobs/mine/", jobs.MyJobsApi.as_view(), name="api-my-jobs"),
    path("jobs/<int:job_id>/", jobs.JobDetailApi.as_view(), name="api-job-detail"),
    path("jobs/<int:job_id>/update/", jobs.JobUpdateApi.as_view(), name="api-job-update"),
    path("jobs/<int:job_id>/publish/", jobs.JobPublishApi.as_view(), name="api-job-publish"),
    path("jobs/<int:job_id>/close/", jobs.JobCloseApi.as_view(), name="api-job-close"),
    path("jobs/<int:job_id>/reopen/", jobs.JobReopenApi.as_view(), name="api-job-reopen"),
    path("jobs/<int:job_id>/cancel/", jobs.JobCancelApi.as_view(), name="api-job-cancel"),
    path("jobs/<int:job_id>/attachments/", jobs.JobAttachmentApi.as_view(), name="api-job-attachment"),
    path("jobs/<int:job_id>/proposals/", proposals.JobProposalsApi.as_view(), name="api-job-proposals"),
    path("jobs/<int:job_id>/propose/", proposals.ProposalSubmitApi.as_view(), name="api-proposal-submit"),
    path("proposals/mine/", proposals.MyProposalsApi.as_view(), name="api-my-proposals"),
    path("proposals/<int:proposal_id>/", proposals.ProposalDetailApi.as_view(), name="api-proposal-detail"),
    path("proposals/<int:proposal_id>/revise/", proposals.ProposalReviseApi.as_view(), name="api-proposal-revise"),
    path("proposals/<int:proposal_id>/agree/", proposals.ProposalAgreeApi.as_view(), name="api-proposal-agree"),
    path(
        "proposals/<int:proposal_id>/withdraw/", proposals.ProposalWithdrawApi.as_view(), name="api-proposal-withdraw"
    ),
    path(
        "proposals/<int:proposal_id>/shortlist/",
        proposals.ProposalShortlistApi.as_view(),
        name="api-proposal-shortlist",
    ),
    path("proposals/<int:proposal_id>/decline/", proposals.ProposalDeclineApi.as_view(), name="api-proposal-decline"),
    path("proposals/<int:proposal_id>/accept/", proposals.ProposalAcceptApi.as_view(), name="api-proposal-accept"),
    path("contracts/", contracts.ContractListApi.as_view(), name="api-contract-list"),
    path("contracts/balance/", contracts.BalanceApi.as_view(), name="api-balance"),
    path("contracts/<int:contract_id>/", contracts.ContractDetailApi.as_view(), name="api-contract-detail"),
    path("contracts/<int:contract_id>/end/", contracts.ContractEndApi.as_view(), name="api-contract-end"),
    path("contracts/<int:contract_id>/milestones/", milestones.MilestoneAddApi.as_view(), name="api-milestone-add"),
    path("contracts/<int:contract_id>/timesheets/", timesheets.TimesheetListApi.as_view(), name="api-timesheet-list"),
    path(
        "contracts/<int:contract_id>/timesheets/new/",
        timesheets.TimesheetSubmitApi.as_view(),
        name="api-timesheet-submit",
    ),
    path("contracts/<int:contract_id>/reviews/", reviews.ContractReviewsApi.as_view(), name="api-contract-reviews"),
    path("contracts/<int:contract_id>/reviews/new/", reviews.ReviewSubmitApi.as_view(), name="api-review-submit"),
    path("milestones/<int:milestone_id>/fund/", milestones.MilestoneFundApi.as_view(), name="api-milestone-fund"),
    path(
        "milestones/<int:milestone_id>/deliver/", milestones.MilestoneDeliverApi.as_view(), name="api-milestone-deliver"
    ),
    path(
        "milestones/<int:milestone_id>/approve/", milestones.MilestoneApproveApi.as_view(), name="api-milestone-approve"
    ),
    path(
        "milestones/<int:milestone_id>/request-changes/",
        milestones.MilestoneChangesApi.as_view(),
        name="api-milestone-changes",
    ),
    path("milestones/<int:milestone_id>/refund/", milestones.MilestoneRefundApi.as_view(), name="api-milestone-refund"),
    path("milestones/<int:milestone_id>/cancel/", milestones.MilestoneCancelApi.as_view(), name="api-milestone-cancel"),
    path("milestones/<int:milestone_id>/dispute/", disputes.DisputeOpenApi.as_view(), name="api-dispute-open"),
    path(
        "timesheets/<int:timesheet_id>/approve/", timesheets.TimesheetApproveApi.as_view(), name="api-timesheet-approve"
    ),
    path("timesheets/<int:timesheet_id>/reject/", timesheets.TimesheetRejectApi.as_view(), name="api-timesheet-reject"),
    path("reviews/<int:review_id>/respond/", reviews.ReviewRespondApi.as_view(), name="api-review-respond"),
    path("disputes/", disputes.MediationApi.as_view(), name="api-mediation"),
    path("disputes/mediators/appoint/", disputes.MediatorAppointApi.as_view(), name="api-mediator-appoint"),
    path("disputes/<int:dispute_id>/", disputes.DisputeDetailApi.as_view(), name="api-dispute-detail"),
    path("disputes/<int:dispute_id>/respond/", disputes.DisputeRespondApi.as_view(), name="api-dispute-respond"),
    path("disputes/<int:dispute_id>/evidence/", disputes.DisputeEvidenceApi.as_view(), name="api-dispute-evidence"),
    path("disputes/<int:dispute_id>/resolve/", disputes.DisputeResolveApi.as_view(), name="api-dispute-resolve"),
    path("threads/", messaging.ThreadListApi.as_view(), name="api-thread-list"),
    path("threads/<int:thread_id>/messages/", messaging.ThreadMessagesApi.as_view(), name="api-thread-messages"),
    path("threads/<int:thread_id>/send/", messaging.MessageSendApi.as_view(), name="api-message-send"),
    path("profiles/freelancer/", profiles.FreelancerProfileSaveApi.as_view(), name="api-freelancer-profile-save"),
    path("profiles/client/", profiles.ClientProfileSaveApi.as_view(), name="api-client-profile-save"),
    path("profiles/portfolio/", profiles.PortfolioAddApi.as_view(), name="api-portfolio-add"),
    path(
        "profiles/portfolio/<int:item_id>/delete/", profiles.PortfolioDeleteApi.as_view(), name="api-portfolio-delete"
    ),
    path("freelancers/<int:user_id>/", profiles.FreelancerPublicApi.as_view(), name="api-freelancer-public"),
    path("clients/<int:user_id>/", profiles.ClientPublicApi.as_view(), name="api-client-public"),
    path("saved-searches/", searches.SavedSearchListApi.as_view(), name="api-saved-searches"),
    path("saved-searches/new/", searches.SavedSearchCreateApi.as_view(), name="api-saved-search-create"),
    path(
        "saved-searches/<int:saved_search_id>/delete/",
        searches.SavedSearchDeleteApi.as_view(),
        name="api-saved-search-delete",
    ),
    path("fee-policies/", fees.FeePolicyListApi.as_view(), name="api-fee-policies"),
    path("fee-policies/bootstrap/", fees.FeePolicyBootstrapApi.as_view(), name="api-fee-policy-bootstrap"),
]
