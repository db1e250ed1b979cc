"""The one way a status changes, in every app (STYLE rule 6, after django-oscar's `set_status`).

Each model declares, next to itself, the moves its status field allows and the model that keeps
their history:

    declare_transitions(Contract, CONTRACT_TRANSITIONS, history=ContractStatusChange)

and every service moves a locked row with

    transition(contract, Contract.Status.COMPLETED, actor=actor)

which checks the table, writes the status, its history row and the audit entry in the caller's
transaction, and raises `BadTransition` (code "bad_transition") for a move the table forbids.
Nobody assigns a status field anywhere else; tests/core/test_transitions.py holds the code to that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

from core.exceptions import BadTransition
from core.models import StatusChange
from core.registry import NotRegistered, Registry
from core.services import audit_log


@dataclass(frozen=True)
class TransitionTable:
    """The moves one status field of one model allows, and where their history goes."""

    model: type[models.Model]
    field: str
    moves: Mapping[str, frozenset[str]]
    history: type[StatusChange] | None
    audit_prefix: str

    def allows(self, from_status: str, to_status: str) -> bool:
        return to_status in self.moves.get(from_status, frozenset())

    def targets(self, from_status: str) -> frozenset[str]:
        """Return the statuses reachable in one move from `from_status`."""
        return self.moves.get(from_status, frozenset())


TABLES: Registry[TransitionTable] = Registry("status transitions")


def _key(model: type[models.Model], field: str) -> str:
    return f"{model._meta.label_lower}.{field}"


def _choices(model: type[models.Model], field: str) -> list[tuple[str, Any]]:
    status_field = model._meta.get_field(field)
    if not isinstance(status_field, models.Field):
        raise TypeError(f"{model._meta.label}.{field} is a relation, not a status field")
    return list(status_field.choices or ())


def declare_transitions(
    model: type[models.Model],
    moves: Mapping[str, Iterable[str]],
    *,
    history: type[StatusChange] | None,
    field: str = "status",
    audit_prefix: str = "",
) -> TransitionTable:
    """Declare the allowed moves of `model.<field>`; call it in the models module, below the model.

    `history` is the concrete StatusChange model that records each move (None only for rows whose
    every move is already an event row of its own, said in a comment where it is declared).
    Every status of the field's choices must appear as a key, so a new status cannot be forgotten.
    """
    choices = {value for value, _label in _choices(model, field)}
    table = {status: frozenset(targets) for status, targets in moves.items()}
    unknown = (set(table) | {t for targets in table.values() for t in targets}) - choices
    missing = choices - set(table)
    if unknown or missing:
        raise ValueError(
            f"Transitions of {model._meta.label}.{field}: unknown statuses {sorted(unknown)}, "
            f"statuses without a row {sorted(missing)}"
        )
    declared = TransitionTable(
        model=model,
        field=field,
        moves=table,
        history=history,
        audit_prefix=audit_prefix or model._meta.model_name or model.__name__.lower(),
    )
    TABLES.register(_key(model, field), declared)
    return declared


def transitions_of(model: type[models.Model], field: str = "status") -> TransitionTable:
    """Return the declared table of `model.<field>`, or raise NotRegistered."""
    return TABLES.get(_key(model, field))


def can_transition(obj: models.Model, to_status: str, *, field: str = "status") -> bool:
    """Return whether the table allows moving `obj` to `to_status` now (for showing a button)."""
    return transitions_of(type(obj), field).allows(getattr(obj, field), to_status)


def transition(
    obj: models.Model,
    to_status: str,
    *,
    actor: Any | None,
    field: str = "status",
    update_fields: Iterable[str] = (),
    history_data: Mapping[str, Any] | None = None,
    audit_data: Mapping[str, Any] | None = None,
    subject: Any | None = None,
) -> str:
    """Move a locked row to `to_status` if its table allows it; return the status it left.

    The caller holds the row lock (select_for_update) inside its transaction and has already set
    any other fields it changes, named in `update_fields`. `history_data` fills extra columns of
    the history row (a reason, an amount); `audit_data` adds to the audit entry.
    """
    model = type(obj)
    try:
        table = transitions_of(model, field)
    except NotRegistered:
        raise NotRegistered("status transitions", _key(model, field)) from None
    current: str = getattr(obj, field)
    if not table.allows(current, to_status):
        choices = dict(_choices(model, field))
        raise BadTransition(
            what=model._meta.verbose_name,
            from_status=current,
            to_status=to_status,
            from_label=choices.get(current, current),
            to_label=choices.get(to_status, to_status),
        )
    setattr(obj, field, to_status)
    fields = [field, *update_fields]
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        fields.append("updated_at")
    obj.save(update_fields=list(dict.fromkeys(fields)))
    person = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if table.history is not None:
        table.history._default_manager.create(
            **{table.history.subject_field: obj},
            from_status=current,
            to_status=to_status,
            actor=person,
            **dict(history_data or {}),
        )
    audit_log(
        actor=actor,
        action=f"{table.audit_prefix}.{to_status}",
        target=obj,
        subject=subject,
        data={"from": current, **dict(audit_data or {})},
    )
    return current
