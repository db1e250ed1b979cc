from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from membership.models import (
    AccessLogEntry,
    BylawsVersion,
    Member,
    MemberClass,
    MembershipPolicy,
    MemberStatusChange,
    User,
)
from membership.services import access_log_record


class AccessLoggedAdmin(admin.ModelAdmin):
    """Record in the access log that a staff member opened someone's record in the admin.

    `subject_field` names the field of the model that holds the id of the person concerned.
    """

    subject_field = "pk"

    def subject_id(self, object_id: str) -> int | None:
        if not object_id.isdigit():
            return None
        return self.model.objects.filter(pk=object_id).values_list(self.subject_field, flat=True).first()

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        subject_id = self.subject_id(object_id) if response.status_code == 200 else None
        if request.method == "GET" and subject_id is not None:
            access_log_record(
                accessor=request.user,
                subject_ids=[subject_id],
                action=AccessLogEntry.Action.VIEWED,
                context=f"admin:{self.model._meta.label_lower}",
            )
        return response


@admin.register(User)
class UserAdmin(AccessLoggedAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_freelancer", "is_client", "is_staff"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["erased_at"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "preferred_language", "is_freelancer", "is_client")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "erased_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(MemberClass)
class MemberClassAdmin(admin.ModelAdmin):
    list_display = ["name", "share_price_cents", "currency", "shares_required", "votes", "vote_weight"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(BylawsVersion)
class BylawsVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "effective_on", "created_at"]


@admin.register(MembershipPolicy)
class MembershipPolicyAdmin(admin.ModelAdmin):
    list_display = ["admission", "require_share_payment", "activity_check", "activity_required", "notice_period_days"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not MembershipPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StatusChangeInline(admin.TabularInline):
    model = MemberStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "reason", "proposal_id", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Member)
class MemberAdmin(AccessLoggedAdmin):
    subject_field = "user_id"
    list_display = ["member_number", "user", "member_class", "status", "shares", "joined_at"]
    list_filter = ["status", "member_class"]
    list_select_related = ["user", "member_class"]
    readonly_fields = [
        "user",
        "status",
        "member_number",
        "share_payment_reference",
        "share_paid_at",
        "bylaws_acceptance",
        "admission_proposal_id",
        "resignation_requested_at",
        "exit_effective_on",
        "exited_at",
        "application_round",
    ]
    inlines = [StatusChangeInline]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "accessor", "action", "context", "subject"]
    list_filter = ["action", "context"]
    list_select_related = ["accessor", "subject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
