"""The writes of the catalogue of citizen requests in /gestion/ (Requêtes): creating, changing
and deleting a theme, a service, and the questions a service asks (Open311 attributes). Each
one is atomic, checks `citizen_requests.manage_services` (administrators, docs/roles.md),
validates the whole object (`full_clean`), and writes its row to the audit log with the old
and new value of every field that changed (`{"field": {"before": …, "after": …}}`, as the
survey builder does); a change that changes nothing writes nothing.

A service's `code`, and a question's `code` and choice keys, are what the Open311 API and the
stored requests name: staff may still correct them while the catalogue is being set up, but
they are meant to stay the same for life once residents use the service. Names, texts and
labels change freely in both languages.

Refusals: `PermissionDenied` for someone who may not manage the catalogue, `ValidationError`
for what is not valid or would break the catalogue (a theme that still has services); either
way nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.citizen_requests import audit_actions
from agora.citizen_requests.models import (
    RequestService,
    ServiceAttribute,
    ServiceGroup,
)
from agora.core import audit

MANAGE_SERVICES = "citizen_requests.manage_services"

Actor = User | AnonymousUser
Direction = Literal["up", "down"]

# The fields whose values the audit log keeps.
THEME_FIELDS = ("name_fr", "name_en", "slug", "position")
SERVICE_FIELDS = (
    "code",
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    "group_id",
    "keywords_fr",
    "keywords_en",
    "department_id",
    "target_days",
    "location",
    "photo",
    "public",
    "active",
    "position",
)
ATTRIBUTE_FIELDS = (
    "code",
    "order",
    "kind",
    "required",
    "description_fr",
    "description_en",
    "hint_fr",
    "hint_en",
    "values",
)

NOT_AN_ADMINISTRATOR = _("Seul un administrateur peut modifier le catalogue des requêtes.")
THEME_STILL_USED = _(
    "Ce thème regroupe encore des services : déplacez-les vers un autre thème ou supprimez-les "
    "avant de supprimer le thème."
)
CODE_TAKEN = _("Ce service a déjà une question avec ce code.")
CHOICE_LINE_MALFORMED = _(
    "Ligne %(line)s : écrivez « clé | libellé français | libellé anglais » (le libellé "
    "anglais peut manquer)."
)
CHOICE_KEY_NOT_A_SLUG = _(
    "Le choix « %(key)s » : la clé ne contient que des lettres sans accents, des chiffres, "
    "des traits d'union et des traits de soulignement."
)
CHOICE_KEY_REPEATED = _("La clé « %(key)s » revient plus d'une fois : chaque choix a la sienne.")
CHOICE_WITHOUT_FRENCH_NAME = _("Le choix « %(key)s » n'a pas de libellé français.")


def _check_may_manage(actor: Actor) -> None:
    if not actor.has_perm(MANAGE_SERVICES):
        raise PermissionDenied(NOT_AN_ADMINISTRATOR)


# Old and new values for the audit log ------------------------------------------------------


def _values(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


def _stored(model: type[models.Model], pk: Any, names: Iterable[str]) -> dict[str, Any]:
    return dict(model._default_manager.select_for_update().filter(pk=pk).values(*names).get())


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """`{"field": {"before": …, "after": …}}` for every field whose value differs."""
    return {
        name: {"before": before.get(name), "after": value}
        for name, value in after.items()
        if before.get(name) != value
    }


def _update_fields(changes: Mapping[str, Any]) -> list[str]:
    return [name.removesuffix("_id") for name in changes]


# Saving a theme or a service, audited --------------------------------------------------------


def _create_audited[M: models.Model](
    actor: Actor, instance: M, fields: Iterable[str], action: str
) -> M:
    _check_may_manage(actor)
    instance.full_clean()
    instance.save()
    audit.record(
        actor=actor, action=action, target=instance, details={"after": _values(instance, fields)}
    )
    return instance


def _change_audited[M: models.Model](
    actor: Actor, instance: M, fields: Iterable[str], action: str
) -> M:
    _check_may_manage(actor)
    instance.full_clean()
    fields = tuple(fields)
    changes = _changes(_stored(type(instance), instance.pk, fields), _values(instance, fields))
    if changes:
        instance.save(update_fields=_update_fields(changes))
        audit.record(actor=actor, action=action, target=instance, details={"changes": changes})
    return instance


# Themes -----------------------------------------------------------------------------------


@transaction.atomic
def create_theme(*, actor: Actor, theme: ServiceGroup) -> ServiceGroup:
    """Saves a new theme (`theme`, not saved yet)."""
    if theme.pk is not None:
        raise ValueError("create_theme saves a new theme; change_theme changes one.")
    return _create_audited(actor, theme, THEME_FIELDS, audit_actions.REQUEST_THEME_CREATED)


@transaction.atomic
def change_theme(*, actor: Actor, theme: ServiceGroup) -> ServiceGroup:
    """Saves the changed names, identifier and order of a theme."""
    if theme.pk is None:
        raise ValueError("change_theme changes a saved theme; create_theme creates one.")
    return _change_audited(actor, theme, THEME_FIELDS, audit_actions.REQUEST_THEME_CHANGED)


@transaction.atomic
def delete_theme(*, actor: Actor, theme: ServiceGroup) -> None:
    """Deletes a theme that groups no service any more (refused otherwise)."""
    _check_may_manage(actor)
    if theme.services.exists():
        raise ValidationError(THEME_STILL_USED)
    audit.record(
        actor=actor,
        action=audit_actions.REQUEST_THEME_DELETED,
        target=theme,
        details={"before": _values(theme, THEME_FIELDS)},
    )
    theme.delete()


# Services ---------------------------------------------------------------------------------


@transaction.atomic
def create_service(*, actor: Actor, service: RequestService) -> RequestService:
    """Saves a new service (`service`, not saved yet), without questions."""
    if service.pk is not None:
        raise ValueError("create_service saves a new service; change_service changes one.")
    return _create_audited(actor, service, SERVICE_FIELDS, audit_actions.REQUEST_SERVICE_CREATED)


@transaction.atomic
def change_service(*, actor: Actor, service: RequestService) -> RequestService:
    """Saves the changed fields of a service (its code included: see the module's note)."""
    if service.pk is None:
        raise ValueError("change_service changes a saved service; create_service creates one.")
    return _change_audited(actor, service, SERVICE_FIELDS, audit_actions.REQUEST_SERVICE_CHANGED)


@transaction.atomic
def delete_service(*, actor: Actor, service: RequestService) -> None:
    """Deletes a service with its questions."""
    _check_may_manage(actor)
    audit.record(
        actor=actor,
        action=audit_actions.REQUEST_SERVICE_DELETED,
        target=service,
        details={
            "before": _values(service, SERVICE_FIELDS),
            "questions": [
                {"question": attribute.pk, **_values(attribute, ATTRIBUTE_FIELDS)}
                for attribute in service.attributes.order_by("order", "pk")
            ],
        },
    )
    service.delete()


# Questions (Open311 attributes) -------------------------------------------------------------


def parse_choices(text: str) -> list[dict[str, str]]:
    """The choices typed one per line, "clé | libellé français | libellé anglais", as
    `ServiceAttribute.values` stores them; blank lines are skipped."""
    values: list[dict[str, str]] = []
    errors: list[ValidationError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) not in (2, 3) or not parts[0]:
            errors.append(ValidationError(CHOICE_LINE_MALFORMED, params={"line": number}))
            continue
        key, name_fr, name_en = (*parts, "")[:3]
        values.append({"key": key, "name_fr": name_fr, "name_en": name_en})
    if errors:
        raise ValidationError(errors)
    return values


def format_choices(values: Iterable[Mapping[str, Any]]) -> str:
    """The choices as `parse_choices` reads them."""
    lines = []
    for value in values:
        line = f"{value.get('key', '')} | {value.get('name_fr', '')}"
        if value.get("name_en"):
            line += f" | {value['name_en']}"
        lines.append(line)
    return "\n".join(lines)


def _check_choices(values: Any) -> None:
    """Every choice has a key that is a slug, used once, and a French label."""
    if not isinstance(values, list):
        raise ValidationError({"values": _("Les choix sont une liste.")})
    errors: list[ValidationError] = []
    seen: set[str] = set()
    for value in values:
        key = str(value.get("key", "")) if isinstance(value, dict) else ""
        try:
            validate_slug(key)
        except ValidationError:
            errors.append(ValidationError(CHOICE_KEY_NOT_A_SLUG, params={"key": key}))
        if key in seen:
            errors.append(ValidationError(CHOICE_KEY_REPEATED, params={"key": key}))
        seen.add(key)
        if isinstance(value, dict) and not str(value.get("name_fr", "")).strip():
            errors.append(ValidationError(CHOICE_WITHOUT_FRENCH_NAME, params={"key": key}))
    if errors:
        raise ValidationError({"values": errors})


def _check_attribute(attribute: ServiceAttribute) -> None:
    # Before `full_clean`, whose message for the constraint names no field.
    taken = ServiceAttribute.objects.filter(service=attribute.service_id, code=attribute.code)
    if taken.exclude(pk=attribute.pk).exists():
        raise ValidationError({"code": CODE_TAKEN})
    _check_choices(attribute.values)
    attribute.full_clean()


def _attribute_details(attribute: ServiceAttribute) -> dict[str, Any]:
    return {"question": attribute.pk, "code": attribute.code, "label": attribute.description_fr}


@transaction.atomic
def add_attribute(*, actor: Actor, attribute: ServiceAttribute) -> ServiceAttribute:
    """Saves a new question (`attribute`, not saved yet, with its service) after the
    service's other questions."""
    if attribute.pk is not None:
        raise ValueError("add_attribute saves a new question; change_attribute changes one.")
    _check_may_manage(actor)
    service = RequestService.objects.select_for_update().get(pk=attribute.service_id)
    last = service.attributes.aggregate(last=Max("order"))["last"]
    attribute.order = (last or 0) + 1
    _check_attribute(attribute)
    attribute.save()
    audit.record(
        actor=actor,
        action=audit_actions.REQUEST_QUESTION_ADDED,
        target=service,
        details={**_attribute_details(attribute), "after": _values(attribute, ATTRIBUTE_FIELDS)},
    )
    return attribute


@transaction.atomic
def change_attribute(*, actor: Actor, attribute: ServiceAttribute) -> ServiceAttribute:
    """Saves the changed fields of a question (its code and choice keys included: see the
    module's note)."""
    if attribute.pk is None:
        raise ValueError("change_attribute changes a saved question; add_attribute adds one.")
    _check_may_manage(actor)
    _check_attribute(attribute)
    changes = _changes(
        _stored(ServiceAttribute, attribute.pk, ATTRIBUTE_FIELDS),
        _values(attribute, ATTRIBUTE_FIELDS),
    )
    if not changes:
        return attribute
    attribute.save(update_fields=_update_fields(changes))
    audit.record(
        actor=actor,
        action=audit_actions.REQUEST_QUESTION_CHANGED,
        target=attribute.service,
        details={**_attribute_details(attribute), "changes": changes},
    )
    return attribute


@transaction.atomic
def delete_attribute(*, actor: Actor, attribute: ServiceAttribute) -> None:
    _check_may_manage(actor)
    audit.record(
        actor=actor,
        action=audit_actions.REQUEST_QUESTION_DELETED,
        target=attribute.service,
        details={**_attribute_details(attribute), "before": _values(attribute, ATTRIBUTE_FIELDS)},
    )
    attribute.delete()


@transaction.atomic
def move_attribute(*, actor: Actor, attribute: ServiceAttribute, direction: Direction) -> None:
    """Moves the question one place up or down among its service's questions, which are
    numbered 1, 2, 3… again; nothing is recorded when it is already first or last."""
    _check_may_manage(actor)
    service = RequestService.objects.select_for_update().get(pk=attribute.service_id)
    siblings = list(service.attributes.order_by("order", "pk"))
    before = [sibling.pk for sibling in siblings].index(attribute.pk)
    after = before - 1 if direction == "up" else before + 1
    if not 0 <= after < len(siblings):
        return
    siblings[before], siblings[after] = siblings[after], siblings[before]
    for number, sibling in enumerate(siblings, start=1):
        if sibling.order != number:
            sibling.order = number
            sibling.save(update_fields=["order"])
    audit.record(
        actor=actor,
        action=audit_actions.REQUEST_QUESTION_MOVED,
        target=service,
        details={
            **_attribute_details(attribute),
            "changes": _changes({"position": before + 1}, {"position": after + 1}),
        },
    )
