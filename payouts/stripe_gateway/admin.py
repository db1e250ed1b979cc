from django.contrib import admin

from payouts.stripe_gateway.models import (
    StripeAccountLink,
    StripeConnectAccount,
    StripeEvent,
    StripePayment,
    StripeRefund,
    StripeTransfer,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the gateway's services: staff look, never edit."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "status", "created", "processed_at", "waits_for", "last_error"]
    list_filter = ["status", "type"]
    search_fields = ["event_id", "waits_for"]


@admin.register(StripePayment)
class StripePaymentAdmin(ReadOnlyAdmin):
    list_display = ["payment_request", "payment_intent_id", "amount_received_cents", "fee_cents", "received_at"]
    search_fields = ["payment_intent_id", "checkout_session_id", "payment_request__reference"]
    list_select_related = ["payment_request"]


@admin.register(StripeRefund)
class StripeRefundAdmin(ReadOnlyAdmin):
    list_display = ["ledger_key", "refund_id", "amount_cents", "currency", "status"]
    list_filter = ["status"]


@admin.register(StripeConnectAccount)
class StripeConnectAccountAdmin(ReadOnlyAdmin):
    list_display = ["user", "account_id", "payouts_enabled", "details_submitted", "state_at"]
    list_select_related = ["user"]


@admin.register(StripeAccountLink)
class StripeAccountLinkAdmin(ReadOnlyAdmin):
    list_display = ["account", "idempotency_key", "expires_at", "created_at"]


@admin.register(StripeTransfer)
class StripeTransferAdmin(ReadOnlyAdmin):
    list_display = ["withdrawal", "transfer_id", "transfer_group", "amount_cents", "currency", "status"]
    list_filter = ["status"]
