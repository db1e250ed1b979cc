"""Read-only admin views of the ledger and the payment records; changes go through the services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from payouts.models import (
    Account,
    BankPayment,
    Batch,
    PaymentRequest,
    PayoutAccount,
    Posting,
    Withdrawal,
    WithdrawalBatch,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["id", "purpose", "owner_type", "owner_id", "name", "currency", "user"]
    list_filter = ["purpose", "currency"]
    search_fields = ["owner_id", "name", "user__email"]
    list_select_related = ["user"]


class PostingInline(admin.TabularInline):
    model = Posting
    fields = ["from_account", "to_account", "amount_cents", "currency"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "idempotency_key", "kind", "memo", "actor", "created_at"]
    list_filter = ["kind"]
    search_fields = ["idempotency_key", "memo"]
    list_select_related = ["actor"]
    inlines = [PostingInline]


@admin.register(PaymentRequest)
class PaymentRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "payer", "purpose", "purpose_ref", "amount_cents", "amount_received_cents", "status"]
    list_filter = ["status", "provider", "purpose"]
    search_fields = ["reference", "payer__email", "purpose_ref"]
    list_select_related = ["payer"]


@admin.register(BankPayment)
class BankPaymentAdmin(ReadOnlyAdmin):
    list_display = ["received_on", "reference_text", "amount_cents", "applied_cents", "suspense_cents", "status"]
    list_filter = ["status"]
    search_fields = ["reference_text", "bank_transaction_id"]


@admin.register(PayoutAccount)
class PayoutAccountAdmin(ReadOnlyAdmin):
    list_display = ["user", "holder_name", "iban", "bic"]
    search_fields = ["user__email", "holder_name"]
    list_select_related = ["user"]


@admin.register(WithdrawalBatch)
class WithdrawalBatchAdmin(ReadOnlyAdmin):
    list_display = ["message_id", "execution_date", "status", "created_by", "settled_at"]
    list_filter = ["status"]


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "amount_cents", "currency", "status", "batch", "created_at"]
    list_filter = ["status"]
    search_fields = ["user__email"]
    list_select_related = ["user", "batch"]
