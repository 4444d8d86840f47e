"""The audit log: one row for every staff action on roles, invitations, publishing and
settings. Services call `record` inside their transaction, so the row exists exactly when the
change does."""

import json
import re
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

from agora.core.models import AuditEntry
from agora.core.personal_data import DataSubject, former_participant_name, register_personal_data


def record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    # Core names no user model (accounts builds on core): the row links the actor by its key.
    return AuditEntry.objects.create(
        actor_id=actor.pk if actor is not None and actor.pk else None,
        actor_name=(getattr(actor, "public_name", "") or str(actor or ""))[:200],
        action=action,
        object_type=target._meta.label if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        details=details or {},
    )


# The person's trace in the log (Loi 25) --------------------------------------------------
#
# The log is the city's evidence of what its staff did: an entry is kept when its author
# deletes their account (public bodies keep their records for the time their retention
# schedule sets, and an act must stay provable). It is pseudonymised instead: it keeps its
# link to the emptied account row (the same person still did these acts), and every name or
# address of the person in it becomes "Ancien participant".


def _identifying_strings(subject: DataSubject) -> list[str]:
    """The person's addresses, and their name as every record shows it (`str(user)`)."""
    strings = set(subject.emails)
    name = str(subject.user).strip()
    if name and name.lower() not in subject.emails:
        strings.add(name)
    return sorted(strings, key=len, reverse=True)


def _entries_about(subject: DataSubject) -> models.QuerySet[AuditEntry]:
    user = subject.user
    about = Q(actor_id=user.pk) | Q(object_type=user._meta.label, object_id=str(user.pk))
    entries = AuditEntry.objects.annotate(details_text=Cast("details", models.TextField()))
    for text in _identifying_strings(subject):
        escaped = json.dumps(text)[1:-1]  # how JSON stores it on databases that escape
        about |= (
            Q(object_repr__icontains=text)
            | Q(details_text__icontains=text)
            | Q(details_text__icontains=escaped)
        )
    return entries.filter(about)


def _without(value: Any, strings: list[str], replacement: str) -> Any:
    if isinstance(value, str):
        for text in strings:
            value = re.sub(re.escape(text), replacement, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_without(item, strings, replacement) for item in value]
    if isinstance(value, dict):
        return {key: _without(item, strings, replacement) for key, item in value.items()}
    return value


def export_entries_of(subject: DataSubject) -> list[dict[str, Any]]:
    """The acts the person did as a member of staff."""
    return [
        {
            "date": entry.created_at.isoformat(),
            "action": entry.action,
            "object": entry.object_repr,
            "details": entry.details,
        }
        for entry in AuditEntry.objects.filter(actor_id=subject.user.pk).order_by(
            "created_at", "pk"
        )
    ]


def pseudonymise_entries_of(subject: DataSubject) -> None:
    strings = _identifying_strings(subject)
    former = former_participant_name()
    label, pk = subject.user._meta.label, subject.user.pk
    for entry in _entries_about(subject):
        if entry.actor_id == pk:
            entry.actor_name = former
        if entry.object_type == label and entry.object_id == str(pk):
            entry.object_repr = former
        entry.object_repr = _without(entry.object_repr, strings, former)[:200]
        entry.details = _without(entry.details, strings, former)
        entry.save(update_fields=["actor_name", "object_repr", "details"])


def register_personal_data_of_the_log() -> None:
    register_personal_data(
        "audit_log",
        models=[AuditEntry],
        export=export_entries_of,
        erase=pseudonymise_entries_of,
    )
