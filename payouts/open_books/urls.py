from django.urls import path, re_path

from payouts.open_books.views import accounts, expenses, open_data

app_name = "open_books"

urlpatterns = [
    path("money/expenses/", expenses.expense_list, name="expense_list"),
    path("money/expenses/new/", expenses.expense_new, name="expense_new"),
    path("money/expenses/<int:pk>/", expenses.expense_detail, name="expense_detail"),
    path("money/expenses/<int:pk>/approve/", expenses.expense_approve_view, name="expense_approve"),
    path("money/expenses/<int:pk>/reject/", expenses.expense_reject_view, name="expense_reject"),
    path("money/expenses/<int:pk>/withdraw/", expenses.expense_withdraw_view, name="expense_withdraw"),
    path("money/expenses/<int:pk>/receipt/", expenses.expense_receipt, name="expense_receipt"),
    path("money/open-books/accounts/<int:year>/", accounts.accounts_page, name="accounts"),
    path("money/open-books/accounts/<int:year>.csv", accounts.accounts_csv, name="accounts_csv"),
    path("money/open-books/accounts/<int:year>.pdf", accounts.accounts_pdf, name="accounts_pdf"),
    path("money/open-books/transactions/", accounts.transactions_page, name="transactions"),
    path("money/finance/periods/", accounts.periods, name="periods"),
    path("open-data/", open_data.open_data_index, name="open_data"),
    path("open-data/datapackage.json", open_data.data_package, name="data_package"),
    re_path(
        r"^open-data/(?P<key>[a-z0-9-]{1,60})\.(?P<fmt>csv|json|schema\.json)$",
        open_data.dataset_file,
        name="dataset_file",
    ),
]
