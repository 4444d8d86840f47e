"""Ville de Démo's alert zones and topics (seed_demo runs `seed`).

Zones: demo_data/zones.geojson, read as the staff's import reads a file (zones.py): the whole
territory (the same outline as the citizen requests' boundary), two districts (those of the
requests' districts file), the north sector of the water network and the east snow-removal
sector, all in census subdivision 2467020. Topics: three mandatory ones (sécurité civile:
evacuation, boil-water advisory, major water outage) and five that subscribers choose, each
with its CAP category and CAP-CP event code.

Idempotent: zones are found by code and topics by code, and brought back to what this module
says; an object that already says so is not saved again. The 500 subscribers and six past
alerts come from demo_history.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from agora.alerts import demo_history
from agora.alerts import zones as alert_zones
from agora.alerts.models import CapCategory, Topic, Zone

ZONES_PATH = Path(__file__).with_name("demo_data") / "zones.geojson"
# Statistics Canada's census subdivision of the demo city: every zone's CAP geocode.
SGC_CODE = "2467020"


@dataclass(frozen=True)
class TopicRecord:
    code: str
    name_fr: str
    name_en: str
    description_fr: str
    description_en: str
    cap_category: CapCategory
    # From the CAP-CP event list (profile:CAP-CP:Event), as NAAD alerts carry them.
    cap_event_code: str
    mandatory: bool = False


TOPICS = (
    TopicRecord(
        "evacuation",
        "Sécurité civile : évacuation",
        "Civil protection: evacuation",
        "Ordre d'évacuer ou de se mettre à l'abri, et la fin de l'alerte.",
        "An order to evacuate or to shelter in place, and the all clear.",
        CapCategory.SAFETY,
        "civilEmerg",
        mandatory=True,
    ),
    TopicRecord(
        "avis-ebullition",
        "Avis d'ébullition",
        "Boil-water advisory",
        "Faire bouillir l'eau du robinet avant de la boire, et la levée de l'avis.",
        "Boil tap water before drinking it, and when the advisory is lifted.",
        CapCategory.HEALTH,
        "drinkingWate",
        mandatory=True,
    ),
    TopicRecord(
        "coupure-eau",
        "Coupure d'eau majeure",
        "Major water outage",
        "Une interruption de l'aqueduc qui touche tout un secteur.",
        "A water-network outage affecting a whole sector.",
        CapCategory.INFRA,
        "water",
        mandatory=True,
    ),
    TopicRecord(
        "travaux",
        "Travaux",
        "Public works",
        "Chantiers de la Ville : rues, aqueduc, égouts, parcs.",
        "City work sites: streets, water mains, sewers, parks.",
        CapCategory.INFRA,
        "roadDelay",
    ),
    TopicRecord(
        "fermetures-rues",
        "Fermetures de rues",
        "Street closures",
        "Rues fermées ou en circulation alternée, et les détours.",
        "Streets closed or down to one lane, and the detours.",
        CapCategory.TRANSPORT,
        "roadClose",
    ),
    TopicRecord(
        "collectes",
        "Collectes",
        "Waste collection",
        "Changements aux collectes des ordures, du recyclage et des matières organiques.",
        "Changes to garbage, recycling and organic-waste collection.",
        CapCategory.OTHER,
        "waste",
    ),
    TopicRecord(
        "deneigement",
        "Déneigement",
        "Snow removal",
        "Opérations de déneigement et interdictions de stationner dans la rue.",
        "Snow-removal operations and on-street parking bans.",
        CapCategory.TRANSPORT,
        "roadUsage",
    ),
    TopicRecord(
        "loisirs",
        "Loisirs",
        "Recreation",
        "Activités annulées, inscriptions, fermetures de parcs et de piscines.",
        "Cancelled activities, registrations, park and pool closures.",
        CapCategory.OTHER,
        "other",
    ),
)


def seed_zones() -> list[Zone]:
    """The demo's zones, as the data file describes them."""
    features = json.loads(ZONES_PATH.read_text(encoding="utf-8"))["features"]
    seeded = []
    for zone, new in alert_zones.read_features(features):
        if new:
            zone.save()
        else:
            stored = Zone.objects.get(pk=zone.pk)
            if alert_zones.zone_values(stored) != alert_zones.zone_values(zone):
                zone.save()
        seeded.append(zone)
    return seeded


def seed_topics() -> list[Topic]:
    """The demo's topics, in the order above."""
    topics = []
    for position, record in enumerate(TOPICS, start=1):
        wanted = {
            "name_fr": record.name_fr,
            "name_en": record.name_en,
            "description_fr": record.description_fr,
            "description_en": record.description_en,
            "mandatory": record.mandatory,
            "cap_category": record.cap_category.value,
            "cap_event_code": record.cap_event_code,
            "position": position,
        }
        topic = Topic.objects.filter(code=record.code).first() or Topic(code=record.code)
        if topic.pk is None or any(getattr(topic, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(topic, name, value)
            topic.full_clean()
            topic.save()
        topics.append(topic)
    return topics


def seed_zones_and_topics(report: list[str]) -> tuple[list[Zone], list[Topic]]:
    zones = seed_zones()
    topics = seed_topics()
    mandatory = sum(topic.mandatory for topic in topics)
    report.append(f"Alerts: {len(zones)} zones, {len(topics)} topics ({mandatory} mandatory).")
    return zones, topics


def seed(report: list[str]) -> None:
    zones, topics = seed_zones_and_topics(report)
    subscribers = demo_history.seed_subscribers(zones, topics)
    alerts = demo_history.seed_past_alerts()
    report.append(f"Alerts: {subscribers} subscribers and {alerts} past alerts added.")
