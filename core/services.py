"""Writes owned by core: the audit log."""

from typing import Any

from django.db import models

from core.models import AuditEvent


def audit_log(
    *,
    actor: Any | None,
    action: str,
    target: models.Model | None = None,
    subject: Any | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record an auditable action. Call inside the service's transaction."""
    target_type = target_id = ""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        subject=subject,
        action=action,
        target_type=target_type,
        target_id=target_id,
        data=data or {},
    )
