"""Who may take part in what a module opens to residents: anyone, people who proved an e-mail
address, or people with an account. One definition of the choice, one check of it, for every
module (an idea box, a survey, a request form).

`audience_gap` says what a person lacks, for the modules that tell them how to get in (sign
in, confirm an address). `in_audience_of` makes of it a django-rules predicate, for the
modules that only ask whether they may:

    add_perm("licences.apply", in_audience_of(lambda form: form.audience))  # rules.py

    may_take_part("licences.apply", request.user, TakingPart(form, participant))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from rules.predicates import Predicate

from agora.core.models import Participant
from agora.core.participants import has_verified_email


class Audience(models.TextChoices):
    """Who may take part (the seed asks for "anyone" by default): one definition for every
    module's settings."""

    ANYONE = "anyone", _("Tout le monde, sans compte")
    VERIFIED_EMAIL = "verified_email", _("Avec une adresse courriel vérifiée")
    ACCOUNT = "account", _("Avec un compte")


class AudienceGap(StrEnum):
    """What keeps a person out of an audience."""

    NEEDS_ACCOUNT = "needs_account"
    NEEDS_VERIFIED_EMAIL = "needs_verified_email"


def audience_gap(
    audience: str, *, user: Any, participant: Participant | None
) -> AudienceGap | None:
    """What the person lacks to be in `audience` (anyone, a verified e-mail address, an
    account), or None when they are in it. `user` is the signed-in account or None;
    `participant` the existing participant, if any."""
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if audience == Audience.ACCOUNT and not signed_in:
        return AudienceGap.NEEDS_ACCOUNT
    if audience == Audience.VERIFIED_EMAIL and not has_verified_email(user, participant):
        return AudienceGap.NEEDS_VERIFIED_EMAIL
    return None


@dataclass(frozen=True)
class TakingPart[Target]:
    """What an audience rule is asked about: what the person wants to take part in, and the
    participant their request comes from (None when their browser has none yet)."""

    target: Target
    participant: Participant | None = None


def in_audience_of[Target](audience_of: Callable[[Target], str]) -> Predicate:
    """A django-rules predicate, true when the person is in the audience that
    `audience_of(target)` names; its object is a `TakingPart` of that target."""

    def in_audience(user: Any, taking_part: TakingPart[Target] | None) -> bool:
        if taking_part is None:
            return False
        audience = audience_of(taking_part.target)
        return audience_gap(audience, user=user, participant=taking_part.participant) is None

    return Predicate(in_audience, name="in_audience")


def may_take_part(permission: str, user: Any, taking_part: TakingPart[Any]) -> bool:
    """Whether `user` has `permission` (a rule made with `in_audience_of`) for `taking_part`:
    `user.has_perm`, which django-rules answers for any object where Django's types name
    model instances only."""
    return bool(user.has_perm(permission, taking_part))
