"""What the audited writes of zones.py and topics.py share, as the catalogue of citizen requests
does it (agora/citizen_requests/catalogue.py): each write checks its permission, validates the
whole object, and writes its audit row (core/audit.py) with the values of the fields it keeps,
`{"after": …}` for a creation, `{"changes": {"field": {"before": …, "after": …}}}` for a change
and `{"before": …}` for a deletion. A change that changes nothing writes nothing. The callers
hold the transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.functional import Promise

from agora.accounts.models import User
from agora.core import audit

Actor = User | AnonymousUser
# The values the audit log keeps of an object: field name -> a JSON value.
Values = Callable[[Any], dict[str, Any]]


def check_may(actor: Actor, permission: str, refusal: str | Promise) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(refusal)


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """`{"field": {"before": …, "after": …}}` for every field whose value differs."""
    return {
        name: {"before": before.get(name), "after": value}
        for name, value in after.items()
        if before.get(name) != value
    }


def create_audited[M: models.Model](actor: Actor, instance: M, values: Values, action: str) -> M:
    instance.save()
    audit.record(actor=actor, action=action, target=instance, details={"after": values(instance)})
    return instance


def change_audited[M: models.Model](
    actor: Actor, instance: M, values: Values, action: str, fields: tuple[str, ...]
) -> tuple[M, bool]:
    """Saves `fields` of the changed `instance` when one of the values the log keeps differs
    from the stored ones; whether it did."""
    stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    changed = changes(values(stored), values(instance))
    if not changed:
        return instance, False
    instance.save(update_fields=list(fields))
    audit.record(actor=actor, action=action, target=instance, details={"changes": changed})
    return instance, True


def delete_audited(actor: Actor, instance: models.Model, values: Values, action: str) -> None:
    audit.record(actor=actor, action=action, target=instance, details={"before": values(instance)})
    instance.delete()
