"""Ville de Démo's alert subscribers and past alerts (seed_demo, through demo.seed).

- **500 subscribers**, made up and reproducible (a fixed random seed): three in four in
  French; each with a home (and one in five a workplace) at a point inside the city, in the
  zones that contain it; contact points mixed (e-mail for most, a mobile for text messages
  for about half, a landline for automated calls for one in ten), every one confirmed, with
  its consent record; a few optional topics each; a handful have since answered ARRET.
  Addresses are at example.org; numbers are the 555-01xx ones reserved for fiction.
- **Six past alerts** with their deliveries and what the providers reported: a boil-water
  advisory for the north water sector, its update and its cancellation (one chain), a
  street closure, a snow-removal operation and a collection postponed.

Idempotent: subscribers are found by their management token (made from their number), the
alerts by their CAP identifier; what exists is left as it is.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from agora.alerts import sending
from agora.alerts.models import (
    Alert,
    AlertState,
    CapStatus,
    Certainty,
    ConsentRecord,
    ContactChannel,
    ContactPoint,
    MessageType,
    OptOutSource,
    ResponseType,
    Severity,
    Subscriber,
    SubscriberPlace,
    SubscriberSource,
    Topic,
    Urgency,
    Zone,
)
from agora.core import geo
from agora.core.models import Delivery

SUBSCRIBERS = 500
SUBSCRIBERS_SEED = 20261201
CONSENT_VERSION = "2026-01"
# Area codes of southern Québec; 555-0100 to 555-0199 are reserved for fiction.
AREA_CODES = ("450", "514", "438", "579", "819")
IDENTIFIER_PREFIX = "urn:agora:ville-de-demo:alerte:demo-"


def _token_hash(number: int) -> str:
    return hashlib.sha256(f"demo-subscriber-{number}".encode()).hexdigest()


def _phone(number: int) -> str:
    """A distinct fictional number per subscriber: +1 <area> 555-01xx."""
    area = AREA_CODES[number // 100 % len(AREA_CODES)]
    return f"+1{area}55501{number % 100:02d}"


def _point_in(city: list[geo.Polygon], rng: random.Random) -> tuple[float, float]:
    west, south, east, north = geo.bounding_box(city)
    while True:
        longitude, latitude = rng.uniform(west, east), rng.uniform(south, north)
        if geo.contains(city, longitude, latitude):
            return round(longitude, 6), round(latitude, 6)


@dataclass
class _Shapes:
    city: list[geo.Polygon]
    zones: list[tuple[Zone, list[geo.Polygon]]]

    def zones_at(self, longitude: float, latitude: float) -> list[Zone]:
        return [zone for zone, shape in self.zones if geo.contains(shape, longitude, latitude)]


def seed_subscribers(zones: Sequence[Zone], topics: Sequence[Topic]) -> int:
    """The 500 demo subscribers; returns how many were added."""
    if Subscriber.objects.filter(manage_token_hash=_token_hash(0)).exists():
        return 0
    shapes = _Shapes(
        city=geo.parse_polygons(next(z.geojson for z in zones if z.kind == "municipality")),
        zones=[(zone, geo.parse_polygons(zone.geojson)) for zone in zones],
    )
    optional = [topic for topic in topics if not topic.mandatory]
    rng = random.Random(SUBSCRIBERS_SEED)  # noqa: S311 - made-up people, not a secret
    now = timezone.now()
    with transaction.atomic():
        subscribers = Subscriber.objects.bulk_create(
            Subscriber(
                language="fr" if rng.random() < 0.75 else "en",
                manage_token_hash=_token_hash(number),
                source=SubscriberSource.WEB if rng.random() < 0.9 else SubscriberSource.PHONE,
                consent_text_version=CONSENT_VERSION,
                consent_at=now - datetime.timedelta(days=rng.randint(20, 400)),
                created_at=now - datetime.timedelta(days=rng.randint(20, 400)),
            )
            for number in range(SUBSCRIBERS)
        )
        places: list[tuple[SubscriberPlace, list[Zone]]] = []
        contacts: list[ContactPoint] = []
        consents: list[ConsentRecord] = []
        chosen_topics = []
        for number, subscriber in enumerate(subscribers):
            subscriber.created_at = subscriber.consent_at
            labels = ["Maison"] + (["Travail"] if rng.random() < 0.2 else [])
            for label in labels:
                longitude, latitude = _point_in(shapes.city, rng)
                place = SubscriberPlace(
                    subscriber=subscriber,
                    label=label,
                    latitude=Decimal(str(latitude)),
                    longitude=Decimal(str(longitude)),
                )
                places.append((place, shapes.zones_at(longitude, latitude)))
            channels = _channels(rng)
            for priority, channel in enumerate(channels, start=1):
                address = (
                    f"abonne-{number:03d}@example.org"
                    if channel == ContactChannel.EMAIL
                    else _phone(number)
                )
                opted_out = channel == ContactChannel.SMS and rng.random() < 0.03
                contacts.append(
                    ContactPoint(
                        subscriber=subscriber,
                        channel=channel,
                        address=address,
                        priority=priority,
                        verified_at=subscriber.consent_at,
                        opted_out_at=now - datetime.timedelta(days=3) if opted_out else None,
                        opt_out_source=OptOutSource.STOP if opted_out else "",
                        created_at=subscriber.consent_at,
                    )
                )
                consents.append(
                    ConsentRecord(
                        subscriber=subscriber,
                        channel=channel,
                        action=ConsentRecord.Action.GIVEN,
                        text_version=CONSENT_VERSION,
                        recorded_at=subscriber.consent_at,
                    )
                )
                if opted_out:
                    consents.append(
                        ConsentRecord(
                            subscriber=subscriber,
                            channel=channel,
                            action=ConsentRecord.Action.WITHDRAWN,
                            text_version=CONSENT_VERSION,
                            recorded_at=now - datetime.timedelta(days=3),
                        )
                    )
            for topic in rng.sample(optional, rng.randint(0, len(optional))):
                chosen_topics.append(
                    Subscriber.topics.through(subscriber_id=subscriber.pk, topic_id=topic.pk)
                )
        Subscriber.objects.bulk_update(subscribers, ["created_at"])
        SubscriberPlace.objects.bulk_create([place for place, _zones in places])
        SubscriberPlace.zones.through.objects.bulk_create(
            SubscriberPlace.zones.through(subscriberplace_id=place.pk, zone_id=zone.pk)
            for place, in_zones in places
            for zone in in_zones
        )
        ContactPoint.objects.bulk_create(contacts)
        ConsentRecord.objects.bulk_create(consents)
        Subscriber.topics.through.objects.bulk_create(chosen_topics)
    return len(subscribers)


def _channels(rng: random.Random) -> list[str]:
    """A subscriber's contact points in their order of preference: at least one."""
    draw = rng.random()
    if draw < 0.45:
        channels = [ContactChannel.EMAIL]
    elif draw < 0.85:
        channels = [ContactChannel.EMAIL, ContactChannel.SMS]
    elif draw < 0.92:
        channels = [ContactChannel.SMS]
    else:
        channels = [ContactChannel.VOICE, ContactChannel.EMAIL]
    if ContactChannel.VOICE not in channels and rng.random() < 0.03:
        channels.append(ContactChannel.VOICE)
    return [str(channel) for channel in channels]


@dataclass(frozen=True)
class PastAlert:
    number: int
    topic: str
    zones: tuple[str, ...]
    days_ago: int
    hours_in_force: int
    headline_fr: str
    headline_en: str
    description_fr: str
    description_en: str
    instruction_fr: str = ""
    instruction_en: str = ""
    severity: str = Severity.MINOR
    urgency: str = Urgency.EXPECTED
    response_type: str = ""
    message_type: str = MessageType.ALERT
    references: int | None = None
    voice: bool = False


PAST_ALERTS = (
    PastAlert(
        1,
        "avis-ebullition",
        ("aqueduc-nord",),
        days_ago=21,
        hours_in_force=72,
        headline_fr="Avis d'ébullition préventif : secteur nord",
        headline_en="Precautionary boil-water advisory: north sector",
        description_fr=(
            "À la suite d'un bris d'aqueduc rue des Érables, la pression a baissé dans le "
            "secteur nord. Par précaution, l'eau du robinet doit être bouillie avant d'être bue."
        ),
        description_en=(
            "After a water-main break on rue des Érables, pressure dropped in the north "
            "sector. As a precaution, tap water must be boiled before drinking."
        ),
        instruction_fr=(
            "Faites bouillir l'eau à gros bouillons pendant au moins une minute avant de la "
            "boire, de préparer des aliments ou des biberons, ou de vous brosser les dents."
        ),
        instruction_en=(
            "Bring water to a rolling boil for at least one minute before drinking it, "
            "preparing food or baby bottles, or brushing your teeth."
        ),
        severity=Severity.MODERATE,
        urgency=Urgency.IMMEDIATE,
        response_type=ResponseType.EXECUTE,
        voice=True,
    ),
    PastAlert(
        2,
        "avis-ebullition",
        ("aqueduc-nord",),
        days_ago=20,
        hours_in_force=48,
        headline_fr="Avis d'ébullition prolongé : secteur nord",
        headline_en="Boil-water advisory extended: north sector",
        description_fr=(
            "Les analyses de l'eau se poursuivent. L'avis d'ébullition reste en vigueur dans "
            "le secteur nord jusqu'à nouvel ordre."
        ),
        description_en=(
            "Water testing continues. The boil-water advisory remains in force in the north "
            "sector until further notice."
        ),
        instruction_fr="Continuez de faire bouillir l'eau du robinet avant de la boire.",
        instruction_en="Keep boiling tap water before drinking it.",
        severity=Severity.MODERATE,
        urgency=Urgency.IMMEDIATE,
        response_type=ResponseType.EXECUTE,
        message_type=MessageType.UPDATE,
        references=1,
        voice=True,
    ),
    PastAlert(
        3,
        "avis-ebullition",
        ("aqueduc-nord",),
        days_ago=18,
        hours_in_force=24,
        headline_fr="Levée de l'avis d'ébullition : secteur nord",
        headline_en="Boil-water advisory lifted: north sector",
        description_fr=(
            "Les analyses confirment que l'eau est de nouveau potable. L'avis d'ébullition du "
            "secteur nord est levé."
        ),
        description_en=(
            "Testing confirms the water is safe to drink again. The north sector's boil-water "
            "advisory is lifted."
        ),
        instruction_fr="Laissez couler l'eau froide quelques minutes avant de la boire.",
        instruction_en="Run the cold water for a few minutes before drinking it.",
        severity=Severity.MINOR,
        urgency=Urgency.PAST,
        response_type=ResponseType.ALL_CLEAR,
        message_type=MessageType.CANCEL,
        # The latest message of the chain: its CAP references list the alert and the update.
        references=2,
        voice=True,
    ),
    PastAlert(
        4,
        "fermetures-rues",
        ("vieux-village",),
        days_ago=12,
        hours_in_force=96,
        headline_fr="Rue Principale fermée entre l'église et le parc",
        headline_en="Rue Principale closed between the church and the park",
        description_fr=(
            "Des travaux d'égout ferment la rue Principale à la circulation du lundi au jeudi, "
            "de 7 h à 17 h. Un détour est indiqué par la rue Saint-Jean."
        ),
        description_en=(
            "Sewer work closes rue Principale to traffic Monday to Thursday, 7 a.m. to 5 p.m. "
            "A detour is signed via rue Saint-Jean."
        ),
        response_type=ResponseType.AVOID,
    ),
    PastAlert(
        5,
        "deneigement",
        ("deneigement-est",),
        days_ago=6,
        hours_in_force=36,
        headline_fr="Opération de déneigement cette nuit : secteur est",
        headline_en="Snow removal tonight: east sector",
        description_fr=(
            "Le stationnement dans la rue est interdit de 23 h à 7 h dans le secteur est. Les "
            "véhicules laissés dans la rue seront remorqués."
        ),
        description_en=(
            "On-street parking is banned from 11 p.m. to 7 a.m. in the east sector. Vehicles "
            "left on the street will be towed."
        ),
        urgency=Urgency.IMMEDIATE,
        response_type=ResponseType.PREPARE,
    ),
    PastAlert(
        6,
        "collectes",
        ("ville-de-demo",),
        days_ago=2,
        hours_in_force=96,
        headline_fr="Collecte du recyclage reportée à jeudi",
        headline_en="Recycling collection moved to Thursday",
        description_fr=(
            "En raison du jour férié, la collecte du recyclage de mercredi a lieu jeudi dans "
            "toute la ville."
        ),
        description_en=(
            "Because of the holiday, Wednesday's recycling collection takes place on Thursday "
            "across the city."
        ),
        urgency=Urgency.FUTURE,
        response_type=ResponseType.MONITOR,
    ),
)


def seed_past_alerts(author_email: str | None = None) -> int:
    """The six past alerts and their deliveries; returns how many were added."""
    added = 0
    by_number: dict[int, Alert] = {}
    rng = random.Random(SUBSCRIBERS_SEED + 1)  # noqa: S311 - made-up reports
    now = timezone.now()
    for record in PAST_ALERTS:
        identifier = f"{IDENTIFIER_PREFIX}{record.number}"
        existing = Alert.objects.filter(identifier=identifier).first()
        if existing is not None:
            by_number[record.number] = existing
            continue
        sent_at = (now - datetime.timedelta(days=record.days_ago)).replace(
            hour=14, minute=0, second=0, microsecond=0
        )
        with transaction.atomic():
            alert = Alert.objects.create(
                identifier=identifier,
                message_type=record.message_type,
                references=by_number.get(record.references) if record.references else None,
                topic=Topic.objects.get(code=record.topic),
                cap_status=CapStatus.ACTUAL,
                severity=record.severity,
                urgency=record.urgency,
                certainty=Certainty.OBSERVED,
                response_type=record.response_type,
                headline_fr=record.headline_fr,
                headline_en=record.headline_en,
                description_fr=record.description_fr,
                description_en=record.description_en,
                instruction_fr=record.instruction_fr,
                instruction_en=record.instruction_en,
                send_email=True,
                send_sms=True,
                send_voice=record.voice,
                effective_at=sent_at,
                expires_at=sent_at + datetime.timedelta(hours=record.hours_in_force),
                state=AlertState.SENT,
                created_at=sent_at - datetime.timedelta(minutes=25),
                updated_at=sent_at,
                sent_at=sent_at,
            )
            alert.zones.set(Zone.objects.filter(code__in=record.zones))
            _deliver(alert, sent_at, rng)
        by_number[record.number] = alert
        added += 1
    return added


# What the providers said, drawn per channel: (Delivery state, report, share).
OUTCOMES: dict[str, tuple[tuple[str, str, float], ...]] = {
    ContactChannel.EMAIL: (
        (Delivery.State.SENT, "", 0.97),
        (Delivery.State.FAILED, "", 0.03),
    ),
    ContactChannel.SMS: (
        (Delivery.State.SENT, "delivered", 0.92),
        (Delivery.State.SENT, "", 0.03),
        (Delivery.State.SENT, "undelivered", 0.03),
        (Delivery.State.FAILED, "failed", 0.02),
    ),
    ContactChannel.VOICE: (
        (Delivery.State.SENT, "delivered", 0.78),
        (Delivery.State.SENT, "no-answer", 0.12),
        (Delivery.State.SENT, "busy", 0.06),
        (Delivery.State.FAILED, "failed", 0.04),
    ),
}
ERRORS: dict[str, str] = {
    ContactChannel.EMAIL: "recipient refused (550)",
    ContactChannel.SMS: "Kannel answered 4xx",
    ContactChannel.VOICE: "Twilio error 13224",
}


def _deliver(alert: Alert, sent_at: datetime.datetime, rng: random.Random) -> None:
    """The alert's deliveries as the fan-out wrote them, then as the providers reported."""
    targets = list(sending.recipients(alert).order_by("pk").values_list(*sending.RECIPIENT_FIELDS))
    keys = sending.write_batch(alert, targets)
    rows = list(Delivery.objects.filter(key__in=keys))
    for row in rows:
        state, report, _share = _draw(OUTCOMES[row.channel], rng)
        row.state = state
        row.attempts = 1
        row.next_attempt_at = None
        row.created_at = sent_at
        row.sent_at = sent_at + datetime.timedelta(seconds=rng.randint(2, 240))
        row.report = report
        row.reported_at = row.sent_at + datetime.timedelta(seconds=20) if report else None
        row.last_error = ERRORS[row.channel] if state == Delivery.State.FAILED else ""
        if state == Delivery.State.FAILED:
            row.sent_at = None
    Delivery.objects.bulk_update(
        rows,
        [
            "state",
            "attempts",
            "next_attempt_at",
            "created_at",
            "sent_at",
            "report",
            "reported_at",
            "last_error",
        ],
    )
    Alert.objects.filter(pk=alert.pk).update(fanned_out_to=max((t[0] for t in targets), default=0))


def _draw(
    outcomes: tuple[tuple[str, str, float], ...], rng: random.Random
) -> tuple[str, str, float]:
    draw = rng.random()
    for outcome in outcomes:
        draw -= outcome[2]
        if draw < 0:
            return outcome
    return outcomes[0]
