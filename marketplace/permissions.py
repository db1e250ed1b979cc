"""The marketplace's rows of the permission table (core.permissions): who may act on its objects.

Registered from MarketplaceConfig.ready(). Jobs, proposals, contracts, milestones, timesheets,
disputes and conversations are acted on by their parties only: no staff role stands in for a client
or a freelancer. Disputes are decided by mediators and the board; mediators are appointed by the board
or by a members' decision.
"""

from typing import Any

from django.utils.translation import gettext_lazy

from core.permissions import Refusal, Relation, register_kind, register_rule
from marketplace.exceptions import ErrorCode


def _is(user: Any, user_id: int | None) -> bool:
    return user_id is not None and user.pk == user_id


def _contract_of(obj: Any) -> Any:
    """Return the contract of a contract, milestone, timesheet or dispute (their services lock it first)."""
    if hasattr(obj, "party_of"):
        return obj
    if hasattr(obj, "milestone_id") and not hasattr(obj, "contract_id"):
        return obj.milestone.contract
    return obj.contract


def _contract_relations() -> dict[str, Relation]:
    return {
        "client": Relation("the contract's client", lambda user, obj: _is(user, _contract_of(obj).client_id)),
        "freelancer": Relation(
            "the contract's freelancer", lambda user, obj: _is(user, _contract_of(obj).freelancer_id)
        ),
    }


def _party_refusal(code: str, message: Any, *, outsider: Any) -> Refusal:
    """Refuse an outsider as "not a party" (`outsider`), the other party with `code` and `message`."""

    def refuse(user: Any, obj: Any) -> tuple[str, str]:
        if _contract_of(obj).party_of(user.pk) is None:
            return ErrorCode.NOT_PARTY, str(outsider)
        return code, str(message)

    return refuse


NOT_PARTY_CONTRACT = gettext_lazy("You are not a party to this contract.")
NOT_PARTY_PROPOSAL = gettext_lazy("You are not a party to this proposal.")
ONLY_CLIENT = gettext_lazy("Only the client can do this.")
ONLY_FREELANCER = gettext_lazy("Only the freelancer can do this.")
ONLY_JOB_CLIENT = gettext_lazy("Only the client who posted the job can do this.")


def _proposal_refusal(code: str, message: Any) -> Refusal:
    def refuse(user: Any, proposal: Any) -> tuple[str, str]:
        if not (_is(user, proposal.freelancer_id) or _is(user, proposal.job.client_id)):
            return ErrorCode.NOT_PARTY, str(NOT_PARTY_PROPOSAL)
        return code, str(message)

    return refuse


def register() -> None:
    _jobs_and_proposals()
    _contracts()
    _disputes()
    _the_rest()
    _invoices()


def _jobs_and_proposals() -> None:
    register_kind(
        "job",
        "job",
        {"client": Relation("the job's client", lambda user, job: _is(user, job.client_id))},
    )
    register_rule("job", "create", "post", roles={"authenticated"})
    not_owner = gettext_lazy("Only the client who posted this job can change it.")
    for action, label in (
        ("update", "edit"),
        ("attach", "attach a file"),
        ("publish", "publish"),
        ("close", "close"),
        ("reopen", "reopen"),
        ("cancel", "cancel"),
    ):
        register_rule("job", action, label, relations={"client"}, code=ErrorCode.NOT_JOB_OWNER, message=not_owner)
    # Anyone signed in may propose, but not on their own job (a rule of the service, not a role).
    register_rule("job", "propose", "send a proposal", roles={"authenticated"})

    register_kind(
        "proposal",
        "proposal on a job",
        {
            "freelancer": Relation(
                "the proposal's freelancer", lambda user, proposal: _is(user, proposal.freelancer_id)
            ),
            "client": Relation("the job's client", lambda user, proposal: _is(user, proposal.job.client_id)),
        },
    )
    register_rule(
        "proposal",
        "revise",
        "revise the terms",
        relations={"freelancer", "client"},
        code=ErrorCode.NOT_PARTY,
        message=NOT_PARTY_PROPOSAL,
    )
    for action, label, message in (
        (
            "agree",
            "agree to a counter-offer",
            gettext_lazy("Only the freelancer can agree to a counter-offer."),
        ),
        (
            "withdraw",
            "withdraw",
            gettext_lazy("Only the freelancer who sent the proposal can withdraw it."),
        ),
    ):
        register_rule(
            "proposal",
            action,
            label,
            relations={"freelancer"},
            code=ErrorCode.NOT_FREELANCER,
            message=message,
            refusal=_proposal_refusal(ErrorCode.NOT_FREELANCER, message),
        )
    for action, label in (
        ("shortlist", "shortlist"),
        ("decline", "decline"),
        ("accept", "accept (hire)"),
    ):
        register_rule(
            "proposal",
            action,
            label,
            relations={"client"},
            code=ErrorCode.NOT_CLIENT,
            message=ONLY_JOB_CLIENT,
            refusal=_proposal_refusal(ErrorCode.NOT_CLIENT, ONLY_JOB_CLIENT),
        )


def _contracts() -> None:
    register_kind("contract", "contract", _contract_relations())
    for action, label in (("end", "end"), ("review", "review the other party")):
        register_rule(
            "contract",
            action,
            label,
            relations={"client", "freelancer"},
            code=ErrorCode.NOT_PARTY,
            message=NOT_PARTY_CONTRACT,
        )
    register_rule(
        "contract",
        "add_milestone",
        "add a milestone",
        relations={"client"},
        code=ErrorCode.NOT_CLIENT,
        message=ONLY_CLIENT,
        refusal=_party_refusal(ErrorCode.NOT_CLIENT, ONLY_CLIENT, outsider=NOT_PARTY_CONTRACT),
    )
    register_rule(
        "contract",
        "log_hours",
        "send a timesheet",
        relations={"freelancer"},
        code=ErrorCode.NOT_FREELANCER,
        message=ONLY_FREELANCER,
    )

    register_kind("milestone", "milestone", _contract_relations())
    for action, label, party in (
        ("fund", "fund into escrow", "client"),
        ("approve", "approve (release)", "client"),
        ("request_changes", "ask for changes", "client"),
        ("cancel", "cancel", "client"),
        ("deliver", "deliver work", "freelancer"),
        ("refund", "refund to the client", "freelancer"),
    ):
        code, message = (
            (ErrorCode.NOT_CLIENT, ONLY_CLIENT) if party == "client" else (ErrorCode.NOT_FREELANCER, ONLY_FREELANCER)
        )
        register_rule(
            "milestone",
            action,
            label,
            relations={party},
            code=code,
            message=message,
            refusal=_party_refusal(code, message, outsider=NOT_PARTY_CONTRACT),
        )
    register_rule(
        "milestone",
        "dispute",
        "open a dispute",
        relations={"client", "freelancer"},
        code=ErrorCode.NOT_PARTY,
        message=NOT_PARTY_CONTRACT,
    )

    register_kind("timesheet", "timesheet", _contract_relations())
    for action, label in (("approve", "approve"), ("reject", "reject")):
        register_rule("timesheet", action, label, relations={"client"}, code=ErrorCode.NOT_CLIENT, message=ONLY_CLIENT)


def _disputes() -> None:
    relations = _contract_relations()
    relations["respondent"] = Relation(
        "the party who did not open the dispute",
        lambda user, dispute: (
            _contract_of(dispute).party_of(user.pk) is not None and not _is(user, dispute.opened_by_id)
        ),
    )
    register_kind("dispute", "dispute", relations)
    register_rule(
        "dispute",
        "respond",
        "respond",
        relations={"respondent"},
        code=ErrorCode.NOT_RESPONDENT,
        message=gettext_lazy("Only the other party responds to a dispute."),
    )
    register_rule(
        "dispute",
        "add_evidence",
        "add evidence",
        relations={"client", "freelancer"},
        code=ErrorCode.NOT_PARTY,
        message=gettext_lazy("You are not a party to this dispute."),
    )
    # Never a party to the contract as well: a rule of the service (MEDIATOR_IS_PARTY).
    register_rule(
        "dispute",
        "resolve",
        "decide",
        roles={"mediator", "board"},
        code=ErrorCode.NOT_MEDIATOR,
        message=gettext_lazy("Only a mediator can decide a dispute."),
    )
    register_kind("mediator", "mediator appointment")
    for action, label in (("appoint", "appoint"), ("end", "end")):
        register_rule(
            "mediator",
            action,
            label,
            roles={"board"},
            system=True,
            code=ErrorCode.NOT_BOARD,
            message=gettext_lazy("Only the board appoints mediators directly."),
        )


def _the_rest() -> None:
    register_kind(
        "thread",
        "conversation",
        {"party": Relation("a party to it", lambda user, thread: thread.has_party(user.pk))},
    )
    register_rule(
        "thread",
        "send",
        "send a message",
        relations={"party"},
        code=ErrorCode.NOT_PARTY,
        message=gettext_lazy("You are not a party to this conversation."),
    )
    register_kind(
        "review",
        "review",
        {"subject": Relation("the person reviewed", lambda user, review: _is(user, review.subject_id))},
    )
    register_rule(
        "review",
        "respond",
        "respond",
        relations={"subject"},
        code=ErrorCode.NOT_SUBJECT,
        message=gettext_lazy("Only the person reviewed can respond."),
    )
    register_kind(
        "profile",
        "freelancer or client profile",
        {"self": Relation("its owner", lambda user, owner: _is(user, owner.pk))},
    )
    register_rule("profile", "update", "edit", relations={"self"})
    register_kind(
        "portfolio_item",
        "portfolio item",
        {"owner": Relation("its owner", lambda user, item: _is(user, item.profile.user_id))},
    )
    register_rule(
        "portfolio_item",
        "delete",
        "remove",
        relations={"owner"},
        code=ErrorCode.NOT_YOUR_PORTFOLIO,
        message=gettext_lazy("You can only remove items from your own portfolio."),
    )
    register_kind(
        "saved_search",
        "saved search",
        {"owner": Relation("its owner", lambda user, saved: _is(user, saved.user_id))},
    )
    register_rule(
        "saved_search",
        "delete",
        "delete",
        relations={"owner"},
        code=ErrorCode.NOT_OWNER,
        message=gettext_lazy("This saved search is not yours."),
    )
    register_kind("fee_policy", "fee policy")
    # Later versions come only from a members' decision (governance), carried out by the platform.
    register_rule(
        "fee_policy",
        "bootstrap",
        "set the first one",
        roles={"board"},
        code=ErrorCode.NOT_ADMIN,
        message=gettext_lazy("Only the board can set the first fee policy."),
    )


def _invoices() -> None:
    """Business details are each person's own; an invoice is its issuer's, its recipient's and finance's."""
    register_kind("business_details", "business details")
    register_rule("business_details", "edit", "enter or change one's own", roles={"authenticated"})
    register_kind(
        "invoice",
        "invoice or credit note",
        {
            "issuer": Relation(
                "the freelancer it was issued for", lambda user, invoice: _is(user, invoice.issuer_user_id)
            ),
            "recipient": Relation("its recipient", lambda user, invoice: _is(user, invoice.recipient_user_id)),
        },
    )
    register_rule(
        "invoice",
        "view",
        "see and download",
        relations={"issuer", "recipient"},
        roles={"finance"},
        code=ErrorCode.NOT_PARTY,
        message=gettext_lazy("This invoice is not addressed to you or issued for you."),
    )
    register_rule(
        "invoice",
        "list_all",
        "list all invoices",
        roles={"finance"},
        message=gettext_lazy("Only finance can do this."),
    )
    register_rule(
        "milestone",
        "refund_released",
        "refund after release (credit notes)",
        roles={"finance"},
        system=True,
        message=gettext_lazy("Only finance can do this."),
    )
