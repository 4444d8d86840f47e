"""Who is taking part: the pseudonymous participant behind a contribution.

A resident without an account is known only by a random id kept in a signed, HttpOnly
cookie; a signed-in resident by their account. Reading a page never creates anything (public
pages stay cacheable): a participant is created on the first contribution, which is a POST.

Where a phase asks for a verified e-mail address, a participant without an account gives one
and receives a link, valid two days; following it marks the address verified on this
participant (or, when the address was already verified on another device, puts that
participant's cookie on this browser, so one address stays one participant). Nothing else
is kept: no IP address, no name unless the resident types one with a contribution.
"""

from __future__ import annotations

import datetime
import uuid
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation

from agora.core import links
from agora.core.email import enqueue_email
from agora.participation.models import Audience, Participant

COOKIE_NAME = "agora_participant"
COOKIE_SALT = "agora.participation.participant-cookie"
COOKIE_MAX_AGE = datetime.timedelta(days=365)
VERIFICATION_SALT = "agora.participation.participant-email"
VERIFICATION_MAX_AGE = datetime.timedelta(days=2)
VERIFICATION_TEMPLATE = "participation/email/participant_verify"


class InvalidVerificationLinkError(Exception):
    """The e-mail link was altered, has expired, or names a participant that is gone."""


def _signed_in_user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return None


def _cookie_participant_id(request: HttpRequest) -> uuid.UUID | None:
    value = request.get_signed_cookie(COOKIE_NAME, default=None, salt=COOKIE_SALT)
    if not value:
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def current_participant(request: HttpRequest) -> Participant | None:
    """The participant this request comes from, if it already exists. Creates nothing.

    A signed-in resident is their account's participant; anyone else is the one named by a
    valid cookie. A cookie that was tampered with is ignored."""
    cached: Participant | None = getattr(request, "_agora_participant", None)
    if cached is not None:
        return cached
    user = _signed_in_user(request)
    if user is not None:
        participant = Participant.objects.filter(user=user).select_related("user").first()
    else:
        participant_id = _cookie_participant_id(request)
        participant = (
            Participant.objects.filter(pk=participant_id, user__isnull=True).first()
            if participant_id is not None
            else None
        )
    if participant is not None:
        request._agora_participant = participant  # type: ignore[attr-defined]
    return participant


def remember_participant(response: HttpResponse, participant: Participant) -> None:
    """Puts (or renews) the participant's cookie on `response`, for a year."""
    response.set_signed_cookie(
        COOKIE_NAME,
        str(participant.pk),
        salt=COOKIE_SALT,
        max_age=int(COOKIE_MAX_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=bool(getattr(settings, "PRODUCTION", False)),
    )


def _participant_of_user(user: Any, language: str) -> Participant:
    participant = Participant.objects.filter(user=user).first()
    if participant is not None:
        return participant
    try:
        with transaction.atomic():
            return Participant.objects.create(user=user, language=language)
    except IntegrityError:  # created by a simultaneous request of the same person
        return Participant.objects.get(user=user)


def participant_for(request: HttpRequest, response: HttpResponse) -> Participant:
    """The participant a contribution (a POST) comes from, created when needed.

    A signed-in resident gets their account's participant (created once, linked to the
    account). Anyone else gets the participant of their cookie, or a new one whose cookie is
    set on `response`."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:8]
    user = _signed_in_user(request)
    if user is not None:
        participant = _participant_of_user(user, language)
    else:
        existing = current_participant(request)
        participant = existing or Participant.objects.create(language=language)
        remember_participant(response, participant)
    request._agora_participant = participant  # type: ignore[attr-defined]
    return participant


def has_verified_account_email(user: Any) -> bool:
    """A signed-in resident whose account's address is verified takes part at once where a
    phase asks for a verified e-mail address."""
    from allauth.account.models import EmailAddress

    return bool(EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True))


def may_use_verified_email(request: HttpRequest, participant: Participant | None) -> bool:
    return has_verified_email(_signed_in_user(request), participant)


def has_verified_email(user: Any, participant: Participant | None) -> bool:
    """Whether the person proved an address: their account's, or the one they gave."""
    if user is not None and getattr(user, "is_authenticated", False):
        return has_verified_account_email(user)
    return participant is not None and participant.has_verified_email


class AudienceGap(StrEnum):
    """What keeps a person out of a component's audience."""

    NEEDS_ACCOUNT = "needs_account"
    NEEDS_VERIFIED_EMAIL = "needs_verified_email"


def audience_gap(
    audience: str, *, user: Any, participant: Participant | None
) -> AudienceGap | None:
    """What the person lacks to be in `audience` (anyone, a verified e-mail address, an
    account), or None when they are in it: the one check every component makes. `user` is
    the signed-in account or None; `participant` the existing participant, if any."""
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if audience == Audience.ACCOUNT and not signed_in:
        return AudienceGap.NEEDS_ACCOUNT
    if audience == Audience.VERIFIED_EMAIL and not has_verified_email(user, participant):
        return AudienceGap.NEEDS_VERIFIED_EMAIL
    return None


def verification_token(participant: Participant, email: str) -> str:
    return signing.dumps({"p": str(participant.pk), "e": email}, salt=VERIFICATION_SALT)


@transaction.atomic
def request_email_verification(
    *, participant: Participant, email: str, next_url: str, language: str
) -> None:
    """Sends the participant a link that proves they receive mail at `email`.

    The address is kept on the participant, unverified, only so that the link can be checked
    against it; nothing else is asked or kept."""
    email = email.strip().lower()
    participant.email = email
    participant.email_verified_at = None
    participant.language = language[:8]
    participant.save(update_fields=["email", "email_verified_at", "language"])
    with translation.override(language):
        path = reverse(
            "participants:confirm", kwargs={"token": verification_token(participant, email)}
        )
    link = links.absolute(f"{path}?{urlencode({'next': next_url})}" if next_url else path)
    enqueue_email(
        to=email,
        template=VERIFICATION_TEMPLATE,
        context={"link": link, "valid_days": VERIFICATION_MAX_AGE.days},
        language=language,
    )


@transaction.atomic
def confirm_email(*, token: str) -> Participant:
    """The participant whose address the link verifies; raises InvalidVerificationLinkError.

    When the same address was verified before by another participant without an account,
    that participant is returned unchanged (one address stays one participant, so a second
    browser cannot support an idea a second time)."""
    try:
        data = signing.loads(token, salt=VERIFICATION_SALT, max_age=VERIFICATION_MAX_AGE)
        participant_id = uuid.UUID(str(data["p"]))
        email = str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidVerificationLinkError from None
    already = (
        Participant.objects.filter(
            email__iexact=email, email_verified_at__isnull=False, user__isnull=True
        )
        .order_by("created_at")
        .first()
    )
    if already is not None:
        return already
    participant = (
        Participant.objects.select_for_update().filter(pk=participant_id, user__isnull=True).first()
    )
    if participant is None:
        raise InvalidVerificationLinkError
    participant.email = email
    participant.email_verified_at = timezone.now()
    participant.save(update_fields=["email", "email_verified_at"])
    return participant
