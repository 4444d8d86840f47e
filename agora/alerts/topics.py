"""The writes of /gestion/ (Alertes → Sujets): creating, changing and deleting a topic of
alerts, each audited (staff_changes.py). A mandatory topic (sécurité civile: evacuation,
boil-water notice, major water cut) reaches every subscriber of the zone; the others only those
who chose them. Its CAP category and CAP-CP event code go into the CAP messages of its alerts.

Refusals: `PermissionDenied` for someone who may not manage the topics
(`alerts.manage_topics`: administrators and the communications team, docs/roles.md),
`ValidationError` for what is not valid or still used; either way nothing is written.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agora.alerts import audit_actions
from agora.alerts.models import Topic
from agora.alerts.rules import MANAGE_TOPICS
from agora.alerts.staff_changes import (
    Actor,
    change_audited,
    check_may,
    create_audited,
    delete_audited,
)

TOPIC_FIELDS = (
    "code",
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    "mandatory",
    "cap_category",
    "cap_event_code",
    "position",
    "active",
)

# CAP-CP event codes are short camel-case words: "drinkingWate", "civilEmerg", "911Service".
EVENT_CODE = re.compile(r"[A-Za-z0-9]+")

NOT_ALLOWED = _(
    "Seuls un administrateur et l'équipe des communications peuvent modifier les sujets d'alerte."
)
TOPIC_STILL_USED = _(
    "Des abonnés ont choisi ce sujet : décochez « offert aux abonnés » pour le retirer plutôt "
    "que de le supprimer."
)
EVENT_CODE_INVALID = _(
    "Le code d'événement CAP-CP ne contient que des lettres sans accents et des chiffres, par "
    "exemple « drinkingWate »."
)


def _values(topic: Topic) -> dict[str, Any]:
    return {name: getattr(topic, name) for name in TOPIC_FIELDS}


def clean_topic(topic: Topic) -> None:
    errors: dict[str, Any] = {}
    try:
        topic.full_clean()
    except ValidationError as invalid:
        errors = invalid.update_error_dict(errors)
    if (
        "cap_event_code" not in errors
        and topic.cap_event_code
        and not EVENT_CODE.fullmatch(topic.cap_event_code)
    ):
        errors["cap_event_code"] = [ValidationError(EVENT_CODE_INVALID, code="cap_event_code")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_topic(*, actor: Actor, topic: Topic) -> Topic:
    """Saves a new topic (`topic`, not saved yet)."""
    if topic.pk is not None:
        raise ValueError("create_topic saves a new topic; change_topic changes one.")
    check_may(actor, MANAGE_TOPICS, NOT_ALLOWED)
    clean_topic(topic)
    return create_audited(actor, topic, _values, audit_actions.ALERT_TOPIC_CREATED)


@transaction.atomic
def change_topic(*, actor: Actor, topic: Topic) -> Topic:
    """Saves the changed fields of a topic."""
    if topic.pk is None:
        raise ValueError("change_topic changes a saved topic; create_topic creates one.")
    check_may(actor, MANAGE_TOPICS, NOT_ALLOWED)
    clean_topic(topic)
    changed, _saved = change_audited(
        actor, topic, _values, audit_actions.ALERT_TOPIC_CHANGED, TOPIC_FIELDS
    )
    return changed


@transaction.atomic
def delete_topic(*, actor: Actor, topic: Topic) -> None:
    """Deletes a topic no subscriber chose (refused otherwise: it is withdrawn from the offer
    instead, unticking `active`)."""
    check_may(actor, MANAGE_TOPICS, NOT_ALLOWED)
    if topic.subscribers.exists():
        raise ValidationError(TOPIC_STILL_USED)
    delete_audited(actor, topic, _values, audit_actions.ALERT_TOPIC_DELETED)
