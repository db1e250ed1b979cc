from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from membership.models import Member, MemberClass, MemberStatusChange, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_freelancer", "is_client", "is_staff"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "preferred_language", "is_freelancer", "is_client")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(MemberClass)
class MemberClassAdmin(admin.ModelAdmin):
    list_display = ["name", "share_price_cents", "currency", "shares_required", "votes"]
    prepopulated_fields = {"slug": ("name",)}


class StatusChangeInline(admin.TabularInline):
    model = MemberStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "reason", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["member_number", "user", "member_class", "status", "shares", "joined_at"]
    list_filter = ["status", "member_class"]
    list_select_related = ["user", "member_class"]
    readonly_fields = ["status", "member_number"]
    inlines = [StatusChangeInline]
