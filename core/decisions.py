"""Decision types: what members can decide by vote, registered by the app that carries each one out.

Governance runs proposals and ballots and knows nothing about fees, members or payouts; the app
that owns an effect registers a `DecisionType` from its `AppConfig.ready()`, and governance calls
its `execute` when a vote passes. An app that needs a vote (membership's admission, payouts'
cycle approval) opens one through `decision_open`, which governance provides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.registry import NotRegistered, Port, Registry

# The families of voting rules in the bylaws; each decision type is decided under one of them.
RULES_KEYS = ("general", "bylaw", "admission", "expulsion", "payout", "project", "election")

Payload = dict[str, Any]


def _describe_default(payload: Payload) -> str:
    return ", ".join(f"{key}: {value}" for key, value in sorted(payload.items()))


# The kinds of input a decision type can ask for; governance turns each into a form field:
# percent (an exact decimal, 0 to 100 unless bounded), amount (entered in the coop's currency,
# cleaned to integer cents), date (a date input, cleaned to a date), choice / choices (one or
# several picked from `choices`: members, jobs, cycles, articles...), text (one line), longtext,
# rows (a table of `columns`, cleaned to a list of dicts; blank rows dropped).
FIELD_KINDS = ("percent", "amount", "date", "choice", "choices", "text", "longtext", "rows")


@dataclass(frozen=True)
class FormField:
    """One input of a decision type's form, declared by the app that owns the decision."""

    name: str
    kind: str
    label: Any
    help_text: Any = ""
    required: bool = True
    min_value: Any = None
    max_value: Any = None
    # For choice/choices: a callable returning [(value, label)], read when the form is built.
    choices: Callable[[], Sequence[tuple[Any, Any]]] | None = None
    # For rows: the inputs of one row.
    columns: tuple[FormField, ...] = ()
    # For date: refuse a date before the earliest possible close of the vote (notice + voting days).
    not_before_close: bool = False
    max_length: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in FIELD_KINDS:
            raise ValueError(f"Unknown field kind {self.kind!r} for {self.name!r}")


def _no_fields() -> Sequence[FormField]:
    return ()


def _same(values: dict[str, Any]) -> dict[str, Any]:
    return dict(values)


@dataclass(frozen=True)
class DecisionType:
    """One kind of decision: how its details are checked, carried out and put in words."""

    key: str
    label: Any
    rules_key: str
    validate_payload: Callable[[Payload], Payload]
    # execute(payload=..., proposal_id=..., actor=...) carries the decision out, idempotently;
    # None for decisions that only record the members' will.
    execute: Callable[..., None] | None
    describe: Callable[[Payload], str] = field(default=_describe_default)
    # The form members fill in: the fields, how their cleaned values become the payload the API
    # takes (`to_payload`), and how a stored payload pre-fills them again (`from_payload`).
    form_fields: Callable[[], Sequence[FormField]] = field(default=_no_fields)
    to_payload: Callable[[dict[str, Any]], Payload] = field(default=_same)
    from_payload: Callable[[Payload], dict[str, Any]] = field(default=_same)
    # What the decision would do, shown under the form while a member writes it (the surplus policy's
    # allocation on last year's figures): preview(payload) returns an HTML fragment the owning app
    # rendered, in the reader's language; None when the words of `describe` are all there is.
    preview: Callable[[Payload], str] | None = None
    # on_not_passed(payload=..., proposal_id=..., outcome=..., actor=...) is called once, when the vote
    # closes, if the decision did not pass (rejected or without quorum): for an app that keeps something
    # waiting on the vote (a job awaiting the members), so the wait ends either way. None: nothing waits.
    on_not_passed: Callable[..., None] | None = None
    # held_by(payload=..., proposal_id=...) -> words or None: whether something waits on this very
    # decision because the platform opened it under the bylaws (a job awaiting the members). Such a
    # decision is not its author's to amend or withdraw: it ends by its vote, or when the thing that
    # waits on it is withdrawn (decision_withdraw). The words say so on the decision's page. None:
    # nothing waits, and the author may amend or withdraw it as any motion.
    held_by: Callable[..., str | None] | None = None

    def __post_init__(self) -> None:
        if self.rules_key not in RULES_KEYS:
            raise ValueError(f"Unknown rules key {self.rules_key!r} for {self.key!r}")

    @property
    def has_effect(self) -> bool:
        return self.execute is not None


def percent_words(value: Any) -> str:
    """A percentage as the reader writes it: "8", "8.5" (English) or "8,5" (Dutch); never "8.00"."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return number_format(number, use_l10n=True)


def moment_words(value: Any) -> str:
    """An ISO time from a payload as a date (and the time, unless midnight) in the reader's time zone."""
    when = value if isinstance(value, datetime) else parse_datetime(str(value or ""))
    if when is None:
        return str(value or "")
    if timezone.is_aware(when):
        when = timezone.localtime(when)
    if when.hour == 0 and when.minute == 0:
        return date_format(when, "DATE_FORMAT")
    return date_format(when, "DATETIME_FORMAT")


class UnknownDecisionType(ApplicationError):
    def __init__(self, key: str) -> None:
        super().__init__(
            _("Unknown decision type: %(key)s.") % {"key": key},
            code="unknown_decision_type",
            detail={"key": key},
        )


DECISION_TYPES: Registry[DecisionType] = Registry("decision types")


def register_decision_type(decision_type: DecisionType) -> None:
    """Register a decision type; registering the same key again replaces it (apps reload in tests)."""
    DECISION_TYPES.register(decision_type.key, decision_type)


def decision_type(key: str) -> DecisionType:
    """Return the registered decision type, or raise UnknownDecisionType (a user-facing 400)."""
    try:
        return DECISION_TYPES.get(key)
    except NotRegistered:
        raise UnknownDecisionType(key) from None


def decision_types() -> list[DecisionType]:
    """Return every registered decision type, ordered by key."""
    return [DECISION_TYPES.get(key) for key in sorted(DECISION_TYPES)]


class DecisionOpener(Protocol):
    def __call__(
        self, *, key: str, payload: Payload, title: str, author: Any, body: str = "", actor: Any | None = None
    ) -> Any: ...


# Provided by governance: creates a draft proposal for a registered decision type and returns it.
decision_opener: Port[DecisionOpener] = Port("decision opener")


def decision_open(
    *, key: str, payload: Payload, title: str, author: Any, body: str = "", actor: Any | None = None
) -> Any:
    """Create a draft proposal for a decision of type `key`, through governance; return the proposal."""
    return decision_opener.get()(key=key, payload=payload, title=title, author=author, body=body, actor=actor)


class DecisionVoteOpener(Protocol):
    def __call__(self, *, key: str, payload: Payload, title: str, author: Any, body: str = "") -> Any: ...


# Provided by governance: creates a proposal and publishes it at once under its rules, the platform
# acting (no member needs to take it up): for decisions the bylaws require, such as a project that
# needs the members' approval. `author` is who asked (the client), shown as the proposal's author.
decision_vote_opener: Port[DecisionVoteOpener] = Port("decision vote opener")


def decision_put_to_vote(*, key: str, payload: Payload, title: str, author: Any, body: str = "") -> Any:
    """Put a decision of type `key` to the members at once, through governance; return the proposal."""
    return decision_vote_opener.get()(key=key, payload=payload, title=title, author=author, body=body)


class DecisionWithdrawer(Protocol):
    def __call__(self, *, proposal_id: int, reason: str, actor: Any | None) -> Any: ...


# Provided by governance: withdraws a decision the platform opened (see DecisionType.held_by) because
# what waited on it was withdrawn, before or during its vote; a decision already decided is left as it is.
decision_withdrawer: Port[DecisionWithdrawer] = Port("decision withdrawer")


def decision_withdraw(*, proposal_id: int, reason: str, actor: Any | None) -> Any:
    """Withdraw a decision the platform opened, with the reason; return the proposal."""
    return decision_withdrawer.get()(proposal_id=proposal_id, reason=reason, actor=actor)


@dataclass(frozen=True)
class RulesReport:
    """The versions of one set of decided rules, for `manage.py rules_show`, registered by its app.

    `versions()` returns a list of dicts, oldest first, each with at least "version", "valid_from" (ISO
    8601 or None), "in_force" (bool), "decided_by" (a proposal id or None) and "terms" (plain data).
    """

    key: str
    label: Any
    versions: Callable[[], list[dict[str, Any]]]


RULES_REPORTS: Registry[RulesReport] = Registry("rules reports")


def register_rules_report(report: RulesReport) -> None:
    RULES_REPORTS.register(report.key, report)


def rules_reports() -> list[RulesReport]:
    return [RULES_REPORTS.get(key) for key in sorted(RULES_REPORTS)]
