from django.urls import path

from governance.api import views

urlpatterns = [
    path("governance/decision-types/", views.DecisionTypeListApi.as_view(), name="api-governance-decision-types"),
    path("governance/rules/", views.RuleSetListApi.as_view(), name="api-governance-rules"),
    path("governance/proposals/", views.ProposalListApi.as_view(), name="api-governance-proposals"),
    path("governance/proposals/new/", views.ProposalCreateApi.as_view(), name="api-governance-proposal-create"),
    path("governance/proposals/<id:pk>/", views.ProposalDetailApi.as_view(), name="api-governance-proposal"),
    path(
        "governance/proposals/<id:pk>/publish/",
        views.ProposalPublishApi.as_view(),
        name="api-governance-proposal-publish",
    ),
    path(
        "governance/proposals/<id:pk>/comments/",
        views.ProposalCommentApi.as_view(),
        name="api-governance-proposal-comment",
    ),
    path("governance/proposals/<id:pk>/vote/", views.VoteApi.as_view(), name="api-governance-vote"),
    path(
        "governance/proposals/<id:pk>/execute/",
        views.ExecutionRetryApi.as_view(),
        name="api-governance-execute",
    ),
    path("governance/elections/", views.ElectionListApi.as_view(), name="api-governance-elections"),
    path(
        "governance/elections/<id:pk>/nominate/",
        views.ElectionNominateApi.as_view(),
        name="api-governance-election-nominate",
    ),
    path("governance/elections/<id:pk>/vote/", views.ElectionVoteApi.as_view(), name="api-governance-election-vote"),
]
