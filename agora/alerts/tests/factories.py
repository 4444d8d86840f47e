"""Zones, topics and subscribers, as the alerts' tests need them."""

import datetime
import json
from typing import Any

from django.utils import timezone
from factory.declarations import LazyFunction, PostGeneration, Sequence, SubFactory
from factory.django import DjangoModelFactory

from agora.alerts.models import (
    Alert,
    AlertState,
    ContactChannel,
    ContactPoint,
    Subscriber,
    Topic,
    Zone,
)

# Around Ville de Démo (the demo city's map centre, 45.388 N, -73.5235 W).
CITY_SQUARE = [[-73.56, 45.36], [-73.48, 45.36], [-73.48, 45.42], [-73.56, 45.42], [-73.56, 45.36]]


def square(west: float, south: float, east: float, north: float) -> str:
    """A GeoJSON Polygon of a rectangle (longitude, latitude)."""
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


class ZoneFactory(DjangoModelFactory[Zone]):
    class Meta:
        model = Zone

    code = Sequence(lambda n: f"zone-{n}")
    name_fr = Sequence(lambda n: f"Secteur {n}")
    name_en = Sequence(lambda n: f"Sector {n}")
    geojson = json.dumps({"type": "Polygon", "coordinates": [CITY_SQUARE]})


class TopicFactory(DjangoModelFactory[Topic]):
    class Meta:
        model = Topic

    code = Sequence(lambda n: f"sujet-{n}")
    name_fr = Sequence(lambda n: f"Sujet {n}")
    name_en = Sequence(lambda n: f"Topic {n}")


class SubscriberFactory(DjangoModelFactory[Subscriber]):
    class Meta:
        model = Subscriber

    manage_token_hash = Sequence(lambda n: f"{n:064d}")
    consent_text_version = "2026-12"


class ContactPointFactory(DjangoModelFactory[ContactPoint]):
    class Meta:
        model = ContactPoint

    subscriber = SubFactory(SubscriberFactory)
    channel = ContactChannel.EMAIL
    address = Sequence(lambda n: f"abonne{n}@exemple.ca")
    verified_at = LazyFunction(timezone.now)


class AlertFactory(DjangoModelFactory[Alert]):
    """A boil-water notice, sent."""

    class Meta:
        model = Alert

    topic = SubFactory(
        TopicFactory, mandatory=True, cap_category="Health", cap_event_code="boilWater"
    )
    severity = "Severe"
    urgency = "Immediate"
    certainty = "Observed"
    response_type = "Execute"
    headline_fr = "Avis d'ébullition préventif"
    headline_en = "Precautionary boil-water advisory"
    description_fr = "À la suite d'un bris d'aqueduc, faites bouillir l'eau une minute."
    description_en = "Following a water main break, boil water for one minute."
    instruction_fr = "Faites bouillir l'eau au moins une minute avant de la boire."
    instruction_en = "Boil water for at least one minute before drinking it."
    expires_at = LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
    state = AlertState.SENT
    sent_at = LazyFunction(timezone.now)


class DraftAlertFactory(AlertFactory):
    """A roadwork notice being written: moderate, not an emergency, not sent yet."""

    class Meta:
        model = Alert
        skip_postgeneration_save = True

    topic = SubFactory(TopicFactory)
    severity = "Moderate"
    urgency = "Expected"
    headline_fr = "Travaux rue Principale"
    headline_en = "Roadwork on Principale Street"
    description_fr = "La rue Principale est fermée entre les rues A et B."
    description_en = "Principale Street is closed between A and B streets."
    instruction_fr = ""
    instruction_en = ""
    state = AlertState.DRAFT
    sent_at: Any = None

    @PostGeneration
    def zones(self: Alert, create: bool, extracted: Any, **kwargs: Any) -> None:
        """The zones it is sent to: a new one unless given (`zones=[...]`, or `zones=[]`)."""
        if not create:
            return
        self.zones.set(extracted if extracted is not None else [ZoneFactory.create()])
