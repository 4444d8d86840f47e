"""The desk's standard replies (Requêtes → Réponses types in /gestion/): creating, changing and
deleting one. Each write is atomic, checks `citizen_requests.manage_reply_templates`
(administrators and clerks, docs/roles.md), validates the whole template (`full_clean`) and
writes its row to the audit log with the old and new values, as the catalogue's writes do
(catalogue.py): `{"after": …}` for a new one, `{"changes": {"field": {"before", "after"}}}`
for a change, `{"before": …}` for a deletion; a change that changes nothing writes nothing.

Refusals: `PermissionDenied` for someone who may not manage them, `ValidationError` for what is
not valid; either way nothing is written. A reply already sent keeps its text: the history of
a request holds the text, not the template.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.citizen_requests import audit_actions
from agora.citizen_requests.models import ReplyTemplate
from agora.core import audit

MANAGE_REPLY_TEMPLATES = "citizen_requests.manage_reply_templates"
FIELDS = ("title", "body_fr", "body_en", "position")
NOT_ALLOWED = _("Seuls les préposés et les administrateurs gèrent les réponses types.")

Actor = User | AnonymousUser


def _check_may_manage(actor: Actor) -> None:
    if not actor.has_perm(MANAGE_REPLY_TEMPLATES):
        raise PermissionDenied(NOT_ALLOWED)


def _values(template: ReplyTemplate) -> dict[str, Any]:
    return {name: getattr(template, name) for name in FIELDS}


@transaction.atomic
def create_reply_template(*, actor: Actor, template: ReplyTemplate) -> ReplyTemplate:
    """Saves a new standard reply (`template`, not saved yet)."""
    if template.pk is not None:
        raise ValueError("create_reply_template saves a new template; change one with change_.")
    _check_may_manage(actor)
    template.full_clean()
    template.save()
    audit.record(
        actor=actor,
        action=audit_actions.REPLY_TEMPLATE_CREATED,
        target=template,
        details={"after": _values(template)},
    )
    return template


@transaction.atomic
def change_reply_template(*, actor: Actor, template: ReplyTemplate) -> ReplyTemplate:
    """Saves the changed title, texts and order of a standard reply."""
    if template.pk is None:
        raise ValueError("change_reply_template changes a saved template.")
    _check_may_manage(actor)
    template.full_clean()
    before = dict(
        ReplyTemplate.objects.select_for_update().filter(pk=template.pk).values(*FIELDS).get()
    )
    changes = {
        name: {"before": before[name], "after": value}
        for name, value in _values(template).items()
        if before[name] != value
    }
    if changes:
        template.save(update_fields=list(changes))
        audit.record(
            actor=actor,
            action=audit_actions.REPLY_TEMPLATE_CHANGED,
            target=template,
            details={"changes": changes},
        )
    return template


@transaction.atomic
def delete_reply_template(*, actor: Actor, template: ReplyTemplate) -> None:
    """Deletes a standard reply; the replies already sent with it keep their text."""
    _check_may_manage(actor)
    audit.record(
        actor=actor,
        action=audit_actions.REPLY_TEMPLATE_DELETED,
        target=template,
        details={"before": _values(template)},
    )
    template.delete()
