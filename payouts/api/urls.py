from django.urls import path

from payouts.api import finance, views

urlpatterns = [
    path("money/balance/", views.BalanceApi.as_view(), name="api-money-balance"),
    path("money/postings/", views.PostingListApi.as_view(), name="api-money-postings"),
    path("money/withdrawals/", views.WithdrawalListApi.as_view(), name="api-money-withdrawals"),
    path("money/withdrawals/request/", views.WithdrawalRequestApi.as_view(), name="api-money-withdrawal-request"),
    path("money/payout-account/", views.PayoutAccountApi.as_view(), name="api-money-payout-account"),
    path("money/payout-account/set/", views.PayoutAccountSetApi.as_view(), name="api-money-payout-account-set"),
    path(
        "money/payment-requests/<str:reference>/", views.PaymentRequestApi.as_view(), name="api-money-payment-request"
    ),
    path("money/open-books/", views.OpenBooksApi.as_view(), name="api-money-open-books"),
    path("money/finance/bank-payments/", finance.BankPaymentListApi.as_view(), name="api-finance-bank-payments"),
    path(
        "money/finance/bank-payments/record/",
        finance.BankPaymentRecordApi.as_view(),
        name="api-finance-bank-payment-record",
    ),
    path(
        "money/finance/bank-payments/<id:pk>/apply/",
        finance.SuspenseApplyApi.as_view(),
        name="api-finance-suspense-apply",
    ),
    path(
        "money/finance/bank-payments/<id:pk>/refund/",
        finance.SuspenseRefundApi.as_view(),
        name="api-finance-suspense-refund",
    ),
    path("money/finance/withdrawals/", finance.FinanceWithdrawalListApi.as_view(), name="api-finance-withdrawals"),
    path(
        "money/finance/withdrawals/<id:pk>/fail/",
        finance.WithdrawalFailApi.as_view(),
        name="api-finance-withdrawal-fail",
    ),
    path("money/finance/batches/", finance.WithdrawalBatchListApi.as_view(), name="api-finance-batches"),
    path("money/finance/batches/create/", finance.WithdrawalBatchCreateApi.as_view(), name="api-finance-batch-create"),
    path(
        "money/finance/batches/<id:pk>/settle/",
        finance.WithdrawalBatchSettleApi.as_view(),
        name="api-finance-batch-settle",
    ),
    path("money/finance/trial-balance/", finance.TrialBalanceApi.as_view(), name="api-finance-trial-balance"),
]
