"""The one way a marketplace status changes: check the table, write the status and a history row."""

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from core.exceptions import Conflict
from core.services import audit_log


def apply_transition(
    *,
    obj: models.Model,
    to_status: str,
    table: dict[str, set[str]],
    history: type[models.Model],
    actor: Any | None,
    update_fields: tuple[str, ...] = (),
    history_extra: dict[str, Any] | None = None,
    audit_data: dict[str, Any] | None = None,
    subject: Any | None = None,
) -> None:
    """Move a locked row to `to_status` if the table allows it; record history and audit.

    The caller has locked `obj` with select_for_update() and set any other fields it changes.
    """
    current = obj.status  # type: ignore[attr-defined]
    if to_status not in table[current]:
        label = obj._meta.verbose_name
        choices = dict(obj._meta.get_field("status").choices)
        raise Conflict(
            _("This %(object)s cannot move from “%(from)s” to “%(to)s”.")
            % {"object": label, "from": choices.get(current, current), "to": choices.get(to_status, to_status)},
            code="bad_transition",
            detail={"from": current, "to": to_status},
        )
    obj.status = to_status  # type: ignore[attr-defined]
    obj.save(update_fields=["status", "updated_at", *update_fields])
    fk_name = obj._meta.model_name
    history.objects.create(
        **{fk_name: obj}, from_status=current, to_status=to_status, actor=actor, **(history_extra or {})
    )
    audit_log(
        actor=actor,
        action=f"{fk_name}.{to_status}",
        target=obj,
        subject=subject,
        data={"from": current, **(audit_data or {})},
    )
