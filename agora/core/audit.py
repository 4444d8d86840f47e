"""The audit log: one row for every staff action on roles, invitations, publishing and
settings. Services call `record` inside their transaction, so the row exists exactly when the
change does."""

from typing import Any

from django.db import models

from agora.core.models import AuditEntry


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(getattr(actor, "public_name", "") or str(actor or ""))[:200],
        action=action,
        object_type=target._meta.label if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        details=details or {},
    )
