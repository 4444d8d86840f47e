"""Subscribing to alerts, confirming each contact point, and managing or ending a subscription.

Each function is one transaction; the views only call them. The messages they decide (an
e-mail with a confirmation link, an SMS or an automated call with a 6-digit code, the private
management link) are `Delivery` rows that leave once the transaction commits
(agora/core/deliveries.py, through agora/alerts/confirmations.py).

Secrets are kept as hashes only: the management link's token (SHA-256, `manage_token_hash`),
and a contact point's confirmation secret (`verification_code_hash`: the e-mail link's token,
or the code sent by SMS or call, keyed with the server's secret so that a stolen database
does not give 6-digit codes away). A code expires after CODE_LIFETIME and allows
MAX_CODE_ATTEMPTS tries; then a new one must be asked for, at most CODE_SENDS_PER_HOUR per
address. A subscription reaches no one until one of its contact points is confirmed.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.alerts import confirmations
from agora.alerts import zones as alert_zones
from agora.alerts.models import (
    ConsentRecord,
    ContactChannel,
    ContactPoint,
    OptOutSource,
    Subscriber,
    SubscriberPlace,
    Topic,
    Zone,
    ZoneKind,
)
from agora.core import integrity

# The version of the consent text shown on the subscription form; raised when it changes.
CONSENT_TEXT_VERSION = "2026-12"
MAX_PLACES = 3
CODE_DIGITS = 6
CODE_LIFETIME = datetime.timedelta(minutes=30)
EMAIL_LINK_LIFETIME = datetime.timedelta(days=7)
MAX_CODE_ATTEMPTS = 5
CODE_SENDS_PER_HOUR = 5
HOUR = 60 * 60
LANGUAGES = ("fr", "en")

CONTACT_NEEDED = _(
    "Indiquez au moins un moyen de vous joindre : un courriel, un cellulaire ou un téléphone."
)
PLACE_NEEDED = _("Indiquez au moins un lieu.")
ZONE_NEEDED = _("Choisissez au moins une zone pour ce lieu, ou placez-le sur la carte.")
OUTSIDE_THE_CITY = _(
    "Ce point est hors du territoire de la municipalité : les alertes de la Ville ne "
    "l'atteindraient pas. Placez-le dans la municipalité, ou cochez ses zones."
)
TOO_MANY_PLACES = _("Indiquez au plus %(limit)s lieux.")
CONSENT_NEEDED = _("Cochez la case pour accepter de recevoir les alertes.")
UNKNOWN_CHOICE = _("Choisissez parmi les choix proposés.")
ALREADY_THERE = _("Ce moyen de contact fait déjà partie de votre abonnement.")
WRONG_CODE = _("Ce code n'est pas le bon. Vérifiez-le et réessayez.")
CODE_EXPIRED = _("Ce code a expiré ou a été essayé trop de fois. Demandez-en un nouveau.")
TOO_MANY_CODES = _(
    "Trop de confirmations ont été envoyées à cette adresse ou à ce numéro dans la dernière "
    "heure. Réessayez plus tard."
)
LAST_CONTACT = _(
    "C'est votre seul moyen de contact : ajoutez-en un autre avant de le retirer, ou "
    "désabonnez-vous."
)
UNSUBSCRIBED = _("Cet abonnement a pris fin.")
ALREADY_SUBSCRIBED = _("Vous êtes déjà abonné aux alertes.")


@dataclass(frozen=True)
class ContactInput:
    channel: str
    address: str


@dataclass(frozen=True)
class PlaceInput:
    """A place as the resident gave it: the zones they ticked and, optionally, a point placed
    on the map, whose zones are added to them."""

    label: str
    address: str
    zones: Sequence[Zone]
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def _point_zones(place: PlaceInput) -> list[Zone] | None:
    """The active zones holding the place's point ([] without a point); None when the point
    lies outside the municipality (its territory zone, when the city has one; any zone
    otherwise)."""
    if place.latitude is None or place.longitude is None:
        return []
    found = alert_zones.zones_at(place.latitude, place.longitude)
    territory = Zone.objects.filter(active=True, kind=ZoneKind.MUNICIPALITY)
    if not found or (
        territory.exists() and not any(z.kind == ZoneKind.MUNICIPALITY for z in found)
    ):
        return None
    return found


@dataclass(frozen=True)
class Subscribed:
    subscriber: Subscriber
    # The management link's token, given once: only its hash is kept.
    token: str
    contact_points: list[ContactPoint]


class ConfirmationError(Exception):
    """A code or a link refused; `message` says why, for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _code_hash(contact: ContactPoint, secret: str) -> str:
    message = f"alerts-confirmation:{contact.pk}:{secret}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


# Reading --------------------------------------------------------------------------------------


def message_token(subscriber: Subscriber) -> str:
    """A management token for the messages sent later (each alert's e-mail), derived from
    the server's secret and the current token's hash: nothing more is stored, and asking
    for a new link (which changes the hash) ends these too. The random token given at
    subscription stays the one shown in the browser."""
    message = f"alerts-manage:{subscriber.pk}:{subscriber.manage_token_hash}".encode()
    mac = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return f"{subscriber.pk}.{mac[:40]}"


def subscriber_for_token(token: str) -> Subscriber | None:
    """The subscription a management link names, or None (unknown, replaced or ended)."""
    if not token or len(token) > 100:
        return None
    current = Subscriber.objects.filter(unsubscribed_at__isnull=True)
    number, dot, _mac = token.partition(".")
    if not dot:  # the random token: "." is not in its alphabet
        return current.filter(manage_token_hash=token_hash(token)).first()
    if not number.isdigit():
        return None
    subscriber = current.filter(pk=int(number)).first()
    if subscriber is None or not hmac.compare_digest(message_token(subscriber), token):
        return None
    return subscriber


def subscriber_of(user: User) -> Subscriber | None:
    """A signed-in resident's current subscription."""
    return Subscriber.objects.filter(user=user, unsubscribed_at__isnull=True).first()


def reaches_someone(subscriber: Subscriber) -> bool:
    return any(contact.is_active for contact in subscriber.contact_points.all())


# Subscribing ----------------------------------------------------------------------------------


def _check_places(places: Sequence[PlaceInput]) -> None:
    errors: dict[str, list[ValidationError]] = {}
    if not places:
        errors["places"] = [ValidationError(PLACE_NEEDED)]
    elif len(places) > MAX_PLACES:
        errors["places"] = [ValidationError(TOO_MANY_PLACES, params={"limit": MAX_PLACES})]
    for index, place in enumerate(places):
        if _point_zones(place) is None:
            errors[f"place_{index}"] = [ValidationError(OUTSIDE_THE_CITY)]
        elif not place.zones and not place.has_point():
            errors[f"place_{index}"] = [ValidationError(ZONE_NEEDED)]
        elif any(not zone.active for zone in place.zones):
            errors[f"place_{index}"] = [ValidationError(UNKNOWN_CHOICE)]
    if errors:
        raise ValidationError(errors)


def _check_topics(topics: Sequence[Topic]) -> None:
    if any(topic.mandatory or not topic.active for topic in topics):
        raise ValidationError({"topics": [ValidationError(UNKNOWN_CHOICE)]})


def _write_places(subscriber: Subscriber, places: Sequence[PlaceInput]) -> None:
    for place in places:
        written = SubscriberPlace.objects.create(
            subscriber=subscriber,
            label=place.label.strip(),
            address=place.address.strip(),
            latitude=place.latitude if place.has_point() else None,
            longitude=place.longitude if place.has_point() else None,
        )
        written.zones.set({*place.zones, *(_point_zones(place) or [])})


def subscribe(
    *,
    contacts: Sequence[ContactInput],
    language: str,
    places: Sequence[PlaceInput],
    topics: Sequence[Topic],
    consent: bool,
    user: User | None = None,
) -> Subscribed:
    """A new subscription with its places and contact points (in order of preference, none
    confirmed yet), and a confirmation sent to each contact point once this commits.
    A signed-in resident's subscription is linked to their account (replacing one they
    ended). Raises ValidationError (per field) and writes nothing when something is wrong."""
    errors: dict[str, list[ValidationError]] = {}
    if not contacts:
        errors["contacts"] = [ValidationError(CONTACT_NEEDED)]
    elif any(c.channel not in ContactChannel.values or not c.address for c in contacts):
        errors["contacts"] = [ValidationError(UNKNOWN_CHOICE)]
    if not consent:
        errors["consent"] = [ValidationError(CONSENT_NEEDED)]
    if language not in LANGUAGES:
        errors["language"] = [ValidationError(UNKNOWN_CHOICE)]
    if user is not None and subscriber_of(user) is not None:
        errors["user"] = [ValidationError(ALREADY_SUBSCRIBED)]
    try:
        _check_places(places)
    except ValidationError as error:
        errors.update(error.error_dict)
    try:
        _check_topics(topics)
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        if user is not None:
            # An account has one subscription: one it ended stays, without the account.
            Subscriber.objects.filter(user=user).exclude(unsubscribed_at=None).update(user=None)
        subscriber = Subscriber.objects.create(
            user=user,
            language=language,
            manage_token_hash=token_hash(token),
            consent_text_version=CONSENT_TEXT_VERSION,
            consent_at=now,
            created_at=now,
        )
        subscriber.topics.set(topics)
        _write_places(subscriber, places)
        points: list[ContactPoint] = []
        seen: set[tuple[str, str]] = set()
        for contact in contacts:
            if (contact.channel, contact.address) in seen:
                continue
            seen.add((contact.channel, contact.address))
            points.append(
                ContactPoint.objects.create(
                    subscriber=subscriber,
                    channel=contact.channel,
                    address=contact.address,
                    priority=len(points) + 1,
                )
            )
        for point in points:
            # Over the hourly limit (someone subscribing a number again and again), the
            # code is not sent: the page says so and offers to send it later.
            _send_confirmation(point, manage_token=token)
    return Subscribed(subscriber=subscriber, token=token, contact_points=points)


def _send_confirmation(contact: ContactPoint, *, manage_token: str) -> bool:
    """A new link (e-mail) or code (SMS, call) for the contact point; the previous one no
    longer works. Confirmations to one address are limited per hour (nobody may flood
    someone else's phone or inbox): False when this one was not sent."""
    if (
        integrity.sliding_count("alerts-confirmations", contact.address, HOUR, add=1)
        > CODE_SENDS_PER_HOUR
    ):
        return False
    secret = secrets.token_urlsafe(24) if contact.channel == ContactChannel.EMAIL else _new_code()
    contact.verification_code_hash = _code_hash(contact, secret)
    contact.verification_sent_at = timezone.now()
    contact.verification_attempts = 0
    contact.save(
        update_fields=["verification_code_hash", "verification_sent_at", "verification_attempts"]
    )
    confirmations.send_confirmation(contact, secret=secret, manage_token=manage_token)
    return True


def send_again(*, contact: ContactPoint, manage_token: str = "") -> None:
    """Sends a new confirmation to a contact point not confirmed yet (the "renvoyer"
    button); raises ConfirmationError past the hourly limit of its address."""
    with transaction.atomic():
        contact = (
            ContactPoint.objects.select_for_update().select_related("subscriber").get(pk=contact.pk)
        )
        if contact.verified_at is not None or contact.opted_out_at is not None:
            return
        if not _send_confirmation(contact, manage_token=manage_token):
            raise ConfirmationError(str(TOO_MANY_CODES))


def _confirm(contact: ContactPoint) -> ContactPoint:
    """Confirms the contact point and records the consent. The same address confirmed in
    another subscription (one made again instead of asking for the link) leaves it: each
    alert reaches an address once, through the subscription confirmed last."""
    now = timezone.now()
    contact.verified_at = now
    if contact.channel != ContactChannel.EMAIL:  # the link keeps working, showing it is done
        contact.verification_code_hash = ""
    contact.save(update_fields=["verified_at", "verification_code_hash"])
    for previous in (
        ContactPoint.objects.filter(
            channel=contact.channel, address=contact.address, opted_out_at=None
        )
        .exclude(subscriber_id=contact.subscriber_id)
        .exclude(verified_at=None)
    ):
        _withdraw(previous, source=OptOutSource.LINK, now=now)
    ConsentRecord.objects.create(
        subscriber=contact.subscriber,
        channel=contact.channel,
        action=ConsentRecord.Action.GIVEN,
        text_version=contact.subscriber.consent_text_version,
        recorded_at=now,
    )
    return contact


def confirm_code(*, contact: ContactPoint, code: str) -> ContactPoint:
    """Confirms an SMS or call contact point with the code it received; raises
    ConfirmationError when the code is wrong, expired or tried too often. A wrong try
    counts even though the error is raised."""
    with transaction.atomic():
        contact = (
            ContactPoint.objects.select_for_update().select_related("subscriber").get(pk=contact.pk)
        )
        if contact.verified_at is not None:
            return contact
        sent = contact.verification_sent_at
        if (
            not contact.verification_code_hash
            or sent is None
            or timezone.now() - sent > CODE_LIFETIME
            or contact.verification_attempts >= MAX_CODE_ATTEMPTS
        ):
            raise ConfirmationError(str(CODE_EXPIRED))
        code = "".join(code.split())
        if hmac.compare_digest(_code_hash(contact, code), contact.verification_code_hash):
            return _confirm(contact)
        contact.verification_attempts += 1
        contact.save(update_fields=["verification_attempts"])
    if contact.verification_attempts >= MAX_CODE_ATTEMPTS:
        raise ConfirmationError(str(CODE_EXPIRED))
    raise ConfirmationError(str(WRONG_CODE))


def email_link_contact(contact_id: int, secret: str) -> ContactPoint | None:
    """The e-mail contact point a confirmation link names, if the link is its current one
    and still valid (once confirmed too: following it again changes nothing). Anything
    else is None, so that no address shows through a guessed link."""
    contact = (
        ContactPoint.objects.filter(
            pk=contact_id,
            channel=ContactChannel.EMAIL,
            opted_out_at=None,
            subscriber__unsubscribed_at=None,
        )
        .select_related("subscriber")
        .first()
    )
    if contact is None or not secret or len(secret) > 100:
        return None
    sent = contact.verification_sent_at
    if sent is None or timezone.now() - sent > EMAIL_LINK_LIFETIME:
        return None
    if not hmac.compare_digest(_code_hash(contact, secret), contact.verification_code_hash):
        return None
    return contact


def confirm_email(*, contact: ContactPoint) -> ContactPoint:
    """Confirms the e-mail contact point whose link was followed (email_link_contact)."""
    with transaction.atomic():
        contact = (
            ContactPoint.objects.select_for_update().select_related("subscriber").get(pk=contact.pk)
        )
        if contact.verified_at is None:
            _confirm(contact)
    return contact


# Managing -------------------------------------------------------------------------------------


def _refuse_ended(subscriber: Subscriber) -> None:
    if subscriber.unsubscribed_at is not None:
        raise ValidationError(UNSUBSCRIBED)


def change_preferences(*, subscriber: Subscriber, language: str, topics: Sequence[Topic]) -> None:
    _refuse_ended(subscriber)
    if language not in LANGUAGES:
        raise ValidationError({"language": [ValidationError(UNKNOWN_CHOICE)]})
    _check_topics(topics)
    with transaction.atomic():
        subscriber.language = language
        subscriber.save(update_fields=["language"])
        subscriber.topics.set(topics)


def change_places(*, subscriber: Subscriber, places: Sequence[PlaceInput]) -> None:
    """Replaces the subscription's places with `places`."""
    _refuse_ended(subscriber)
    _check_places(places)
    with transaction.atomic():
        subscriber.places.all().delete()
        _write_places(subscriber, places)


def add_contact(
    *, subscriber: Subscriber, contact: ContactInput, manage_token: str = ""
) -> ContactPoint:
    """A new contact point, last in order of preference, and its confirmation."""
    _refuse_ended(subscriber)
    with transaction.atomic():
        existing = subscriber.contact_points.filter(
            channel=contact.channel, address=contact.address
        ).first()
        if existing is not None and existing.opted_out_at is None:
            raise ValidationError({"address": [ValidationError(ALREADY_THERE)]})
        last = max((p.priority for p in subscriber.contact_points.all()), default=0)
        if existing is not None:  # withdrawn before: it must be confirmed again
            existing.opted_out_at = None
            existing.opt_out_source = ""
            existing.verified_at = None
            existing.priority = last + 1
            existing.save(
                update_fields=["opted_out_at", "opt_out_source", "verified_at", "priority"]
            )
            point = existing
        else:
            point = ContactPoint.objects.create(
                subscriber=subscriber,
                channel=contact.channel,
                address=contact.address,
                priority=last + 1,
            )
        _send_confirmation(point, manage_token=manage_token)
    return point


def _withdraw(contact: ContactPoint, *, source: str, now: datetime.datetime) -> None:
    if contact.opted_out_at is not None:
        return
    if contact.verified_at is not None:
        ConsentRecord.objects.create(
            subscriber_id=contact.subscriber_id,
            channel=contact.channel,
            action=ConsentRecord.Action.WITHDRAWN,
            text_version=CONSENT_TEXT_VERSION,
            recorded_at=now,
        )
    contact.opted_out_at = now
    contact.opt_out_source = source
    contact.verification_code_hash = ""
    contact.save(update_fields=["opted_out_at", "opt_out_source", "verification_code_hash"])


def remove_contact(*, contact: ContactPoint, source: str = OptOutSource.LINK) -> None:
    """Stops alerts to one contact point (the consent given through it is withdrawn). The
    last one left cannot be removed: the subscription would reach no one."""
    with transaction.atomic():
        contact = ContactPoint.objects.select_for_update().get(pk=contact.pk)
        others = ContactPoint.objects.filter(
            subscriber_id=contact.subscriber_id, opted_out_at=None
        ).exclude(pk=contact.pk)
        if not others.exists():
            raise ValidationError(LAST_CONTACT)
        _withdraw(contact, source=source, now=timezone.now())


def unsubscribe(*, subscriber: Subscriber, source: str = OptOutSource.LINK) -> Subscriber:
    """Ends the whole subscription at once: every contact point withdrawn (with a consent
    record per channel confirmed), the management link stops working."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.unsubscribed_at is not None:
            return subscriber
        now = timezone.now()
        for contact in subscriber.contact_points.all():
            _withdraw(contact, source=source, now=now)
        subscriber.unsubscribed_at = now
        subscriber.save(update_fields=["unsubscribed_at"])
    return subscriber


def send_manage_link(*, channel: str, address: str, language: str) -> None:
    """Sends a new management link to `address` if it is a contact point of a current
    subscription that can receive a link (an e-mail address, or a mobile number by SMS).
    The previous link stops working. Does nothing otherwise, and says nothing: the page
    answers the same whether the address is subscribed or not."""
    with transaction.atomic():
        contact = (
            ContactPoint.objects.filter(
                channel=channel,
                address=address,
                opted_out_at=None,
                subscriber__unsubscribed_at=None,
            )
            .select_related("subscriber")
            .order_by("-verified_at", "-pk")
            .first()
        )
        if contact is None or channel == ContactChannel.VOICE:
            return
        if integrity.sliding_count("alerts-links", address, HOUR, add=1) > CODE_SENDS_PER_HOUR:
            return
        token = secrets.token_urlsafe(32)
        subscriber = contact.subscriber
        subscriber.manage_token_hash = token_hash(token)
        subscriber.save(update_fields=["manage_token_hash"])
        confirmations.send_manage_link(contact, manage_token=token)
