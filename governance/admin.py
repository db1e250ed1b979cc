from django.contrib import admin

from governance.models import (
    Ballot,
    BallotResult,
    BallotStatusChange,
    Candidate,
    Comment,
    Election,
    ElectionStatusChange,
    Execution,
    ExecutionStatusChange,
    Proposal,
    ProposalStatusChange,
    RuleSet,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Governance records change only through services; the admin shows them."""

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class StatusChangeInline(admin.TabularInline):
    """The history of an object's status, as core.transitions wrote it; read-only."""

    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "created_at"]


class ProposalStatusChangeInline(StatusChangeInline):
    model = ProposalStatusChange


class BallotStatusChangeInline(StatusChangeInline):
    model = BallotStatusChange


class ElectionStatusChangeInline(StatusChangeInline):
    model = ElectionStatusChange


class ExecutionStatusChangeInline(StatusChangeInline):
    model = ExecutionStatusChange
    readonly_fields = [*StatusChangeInline.readonly_fields, "error"]


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0
    can_delete = False
    readonly_fields = ["author", "body", "created_at"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "decision_key", "status", "author", "created_at"]
    list_filter = ["status", "decision_key"]
    search_fields = ["title"]
    list_select_related = ["author"]
    inlines = [ProposalStatusChangeInline, CommentInline]


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ["key", "version", "label", "secret", "proxies_allowed", "created_at"]
    list_filter = ["key"]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "status", "secret", "opens_at", "closes_at", "electorate_size"]
    list_filter = ["kind", "status"]
    inlines = [BallotStatusChangeInline]


@admin.register(BallotResult)
class BallotResultAdmin(ReadOnlyAdmin):
    list_display = ["ballot", "outcome", "turnout", "electorate_size", "quorum_met", "ruleset_version"]


@admin.register(Execution)
class ExecutionAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "status", "attempts", "last_attempt_at"]
    list_filter = ["status"]
    inlines = [ExecutionStatusChangeInline]


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    can_delete = False
    readonly_fields = ["member", "statement", "withdrawn", "elected", "elected_order"]


@admin.register(Election)
class ElectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "seats", "method", "status", "created_at"]
    inlines = [ElectionStatusChangeInline, CandidateInline]
