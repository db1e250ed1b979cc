from django.urls import path

from payouts.cycles.api import views

urlpatterns = [
    path("payout-cycles/", views.CycleListApi.as_view(), name="api-payout-cycles"),
    path("payout-cycles/open/", views.CycleOpenApi.as_view(), name="api-payout-cycle-open"),
    path("payout-cycles/mine/", views.MyStatementsApi.as_view(), name="api-payout-cycle-mine"),
    path("payout-cycles/<id:pk>/", views.CycleDetailApi.as_view(), name="api-payout-cycle"),
    path("payout-cycles/<id:pk>/compute/", views.CycleComputeApi.as_view(), name="api-payout-cycle-compute"),
    path("payout-cycles/<id:pk>/approve/", views.CycleApproveApi.as_view(), name="api-payout-cycle-approve"),
    path("payout-cycles/<id:pk>/vote/", views.CycleVoteApi.as_view(), name="api-payout-cycle-vote"),
    path("payout-cycles/<id:pk>/execute/", views.CycleExecuteApi.as_view(), name="api-payout-cycle-execute"),
    path("payout-cycles/<id:pk>/statements/", views.CycleStatementsApi.as_view(), name="api-payout-cycle-statements"),
    path("payout-cycles/<id:pk>/my-statement/", views.MyStatementApi.as_view(), name="api-payout-cycle-my-statement"),
    path("surplus-policy/", views.PolicyCurrentApi.as_view(), name="api-surplus-policy"),
    path("surplus-policy/propose/", views.PolicyProposeApi.as_view(), name="api-surplus-policy-propose"),
    path("earnings-payouts/", views.EarningsPayoutListApi.as_view(), name="api-earnings-payouts"),
    path("earnings-payouts/run/", views.EarningsPayoutRunApi.as_view(), name="api-earnings-payout-run"),
]
