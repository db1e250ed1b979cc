from django.contrib import admin

from marketplace.models import ClientProfile, FreelancerProfile, Job, Skill


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ["name"]


@admin.register(FreelancerProfile)
class FreelancerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "headline", "availability"]
    list_select_related = ["user"]
    search_fields = ["user__email", "headline"]


@admin.register(ClientProfile)
class ClientProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "organisation_name"]
    list_select_related = ["user"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "client", "status", "published_at"]
    list_filter = ["status", "pricing_type"]
    list_select_related = ["client"]
    readonly_fields = ["status"]
