from django.urls import path

from payouts.views import books, earnings, finance

app_name = "payouts"

urlpatterns = [
    path("money/earnings/", earnings.earnings, name="earnings"),
    path("money/earnings/withdraw/", earnings.withdrawal_request, name="withdrawal_request"),
    path("money/earnings/payout-account/", earnings.payout_account, name="payout_account"),
    path("money/pay/<str:reference>/", earnings.payment_request, name="payment_request"),
    path("money/open-books/", books.open_books, name="open_books"),
    path("money/finance/payments/", finance.payments, name="finance_payments"),
    path("money/finance/payments/<int:pk>/apply/", finance.payment_apply, name="payment_apply"),
    path("money/finance/payments/<int:pk>/refund/", finance.payment_refund, name="payment_refund"),
    path("money/finance/withdrawals/", finance.withdrawals, name="finance_withdrawals"),
    path("money/finance/withdrawals/batch/", finance.batch_create, name="batch_create"),
    path("money/finance/withdrawals/<int:pk>/fail/", finance.withdrawal_failed, name="withdrawal_fail"),
    path("money/finance/batches/<int:pk>/sepa.xml", finance.batch_sepa, name="batch_sepa"),
    path("money/finance/batches/<int:pk>/withdrawals.csv", finance.batch_csv_download, name="batch_csv"),
    path("money/finance/batches/<int:pk>/settle/", finance.batch_settle, name="batch_settle"),
    path("money/finance/books/", books.books, name="books"),
    path("money/finance/books.csv", books.books_csv, name="books_csv"),
]
