"""Who is taking part: the pseudonymous participant behind a contribution, in any module.

A resident without an account is known only by a random id kept in a signed, HttpOnly
cookie; a signed-in resident by their account. Reading a page never creates anything (public
pages stay cacheable): a participant is created on the first contribution, which is a POST.

Where taking part asks for a verified e-mail address (the audience of a project's phase, of
a survey), a participant without an account gives one and receives a link, valid two days
and good once; following it marks the address verified on this participant (or, when the
same mailbox was already verified on another device, puts that participant's cookie on this
browser, so one mailbox stays one participant: see agora.core.emails). The link carries only
a random token, never the address, which would otherwise land in server and proxy logs.
Nothing else is kept: no IP address, no name unless the resident types one with a
contribution.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation

from agora.core import links
from agora.core.email import enqueue_email
from agora.core.emails import identity_of, same_identity_candidates
from agora.core.models import EmailVerification, Participant
from agora.core.personal_data import DataSubject, register_personal_data

COOKIE_NAME = "agora_participant"
# The salt keeps the value it was first given: another value would make every cookie already
# set invalid.
COOKIE_SALT = "agora.participation.participant-cookie"
COOKIE_MAX_AGE = datetime.timedelta(days=365)
VERIFICATION_MAX_AGE = datetime.timedelta(days=2)
VERIFICATION_TEMPLATE = "core/email/participant_verify"


class InvalidVerificationLinkError(Exception):
    """The e-mail link was altered, has expired, was already followed, or names a participant
    that is gone."""


def _signed_in_user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return None


def cookie_participant_id(request: HttpRequest) -> uuid.UUID | None:
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
        participant_id = cookie_participant_id(request)
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
    """A signed-in resident whose account's address is verified takes part at once where
    taking part asks for a verified e-mail address."""
    from allauth.account.models import EmailAddress

    return bool(EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True))


def may_use_verified_email(request: HttpRequest, participant: Participant | None) -> bool:
    return has_verified_email(_signed_in_user(request), participant)


def has_verified_email(user: Any, participant: Participant | None) -> bool:
    """Whether the person proved an address: their account's, or the one they gave."""
    if user is not None and getattr(user, "is_authenticated", False):
        return has_verified_account_email(user)
    return participant is not None and participant.has_verified_email


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _forget_expired_verifications() -> None:
    # Links nobody followed: their address is kept no longer than the link is valid.
    EmailVerification.objects.filter(created_at__lte=timezone.now() - VERIFICATION_MAX_AGE).delete()


def issue_verification_token(participant: Participant, email: str) -> str:
    """A new random token proving, once and for two days, that `participant` receives mail
    at `email`. Only its SHA-256 is kept."""
    token = secrets.token_urlsafe(32)
    EmailVerification.objects.create(
        participant=participant, email=email, token_hash=_token_hash(token)
    )
    return token


def participant_of_mailbox(email: str) -> Participant | None:
    """The first participant without an account that verified an address of the same mailbox
    as `email` (agora.core.emails.identity_of), if any."""
    identity = identity_of(email)
    candidates = Participant.objects.filter(
        same_identity_candidates("email", email),
        email_verified_at__isnull=False,
        user__isnull=True,
    ).order_by("created_at", "pk")
    return next((p for p in candidates if identity_of(p.email) == identity), None)


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
    _forget_expired_verifications()
    token = issue_verification_token(participant, email)
    with translation.override(language):
        path = reverse("participants:confirm", kwargs={"token": token})
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

    A link is good once: following it again is refused. When the same mailbox (whatever
    its case or `+tag`) was verified before by another participant without an account, that
    participant is returned unchanged (one mailbox stays one participant, so a second browser
    cannot support an idea a second time)."""
    verification = (
        EmailVerification.objects.select_for_update().filter(token_hash=_token_hash(token)).first()
    )
    if verification is None or verification.created_at <= timezone.now() - VERIFICATION_MAX_AGE:
        raise InvalidVerificationLinkError
    verification.delete()
    email = verification.email
    already = participant_of_mailbox(email)
    if already is not None:
        return already
    participant = (
        Participant.objects.select_for_update()
        .filter(pk=verification.participant_id, user__isnull=True)
        .first()
    )
    if participant is None:
        raise InvalidVerificationLinkError
    participant.email = email
    participant.email_verified_at = timezone.now()
    participant.save(update_fields=["email", "email_verified_at"])
    return participant


# Personal data (Loi 25)


def _of_mailboxes_of[M: (Participant, EmailVerification)](
    rows: QuerySet[M], subject: DataSubject
) -> QuerySet[M]:
    """The `rows` whose address is of one of the person's mailboxes, whatever its case or
    `+tag` (agora.core.emails): the same rule that makes them one participant in a phase."""
    identities = {identity_of(address) for address in subject.emails}
    candidates = Q(pk__in=[])
    for address in sorted(subject.emails):
        candidates |= same_identity_candidates("email", address)
    matching = [
        pk
        for pk, email in rows.filter(candidates).values_list("pk", "email")
        if identity_of(email) in identities
    ]
    return rows.filter(pk__in=matching)


def participants_of(subject: DataSubject) -> QuerySet[Participant]:
    """The participants that are the person: their account's, and any that confirmed one of
    their mailboxes before they signed in."""
    confirmed = _of_mailboxes_of(
        Participant.objects.filter(email_verified_at__isnull=False), subject
    )
    return Participant.objects.filter(Q(user_id=subject.user.pk) | Q(pk__in=confirmed))


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def export_of(subject: DataSubject) -> list[dict[str, Any]]:
    return [
        {
            "created_at": _iso(participant.created_at),
            "language": participant.language,
            "email": participant.email,
            "email_verified_at": _iso(participant.email_verified_at),
        }
        for participant in participants_of(subject).order_by("created_at")
    ]


def erase_of(subject: DataSubject) -> None:
    """The person's participants stay (contributions point to them and keep their place) but
    lose their link to the account and their address: nothing in them says who it was any
    more. Every other module erases its part before, while the link still leads to the
    person's contributions."""
    of_their_mailboxes = list(_of_mailboxes_of(Participant.objects.all(), subject).values("pk"))
    Participant.objects.filter(user_id=subject.user.pk).update(user=None)
    Participant.objects.filter(
        subject.email_filter("email") | Q(pk__in=[row["pk"] for row in of_their_mailboxes])
    ).update(email="", email_verified_at=None)


def verifications_of(subject: DataSubject) -> QuerySet[EmailVerification]:
    """The links sent and not yet followed: to one of the person's mailboxes, or to one of
    their participants."""
    to_their_mailboxes = _of_mailboxes_of(EmailVerification.objects.all(), subject)
    return EmailVerification.objects.filter(
        Q(pk__in=to_their_mailboxes) | Q(participant__in=participants_of(subject))
    )


def export_verifications_of(subject: DataSubject) -> list[dict[str, Any]]:
    # The token's hash stays out: it proves nothing to the person and opens nothing.
    return [
        {"email": verification.email, "created_at": _iso(verification.created_at)}
        for verification in verifications_of(subject).order_by("created_at")
    ]


def erase_verifications_of(subject: DataSubject) -> None:
    verifications_of(subject).delete()


def register_personal_data_of_participants() -> None:
    register_personal_data("participants", models=[Participant], export=export_of, erase=erase_of)
    # Declared after the participants, so erased before them: their links still lead to the
    # person when the pending links are found.
    register_personal_data(
        "pending_email_verifications",
        models=[EmailVerification],
        export=export_verifications_of,
        erase=erase_verifications_of,
    )
