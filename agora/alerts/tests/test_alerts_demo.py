"""Ville de Démo's alert zones and topics (agora/alerts/demo.py): five zones over the demo city,
consistent with the citizen requests' boundary and districts, eight topics of which three are
mandatory, each with its CAP category and CAP-CP event code; seeding again adds nothing."""

from __future__ import annotations

import json
from importlib.util import find_spec

import pytest

from agora.alerts import demo, topics, zones
from agora.alerts.models import CapCategory, Topic, Zone, ZoneKind
from agora.citizen_requests.demo import BOUNDARY_PATH, DISTRICTS_PATH

pytestmark = pytest.mark.django_db

# The demo's map centre.
CENTRE = (45.388, -73.5235)


def test_seed_demo_finds_the_module() -> None:
    # seed_demo runs `agora.<app>.demo.seed` for every app of INSTALLED_APPS.
    assert find_spec("agora.alerts.demo") is not None


def test_five_zones_cover_the_demo_city() -> None:
    report: list[str] = []
    demo.seed_zones_and_topics(report)

    kinds = dict(Zone.objects.values_list("code", "kind"))
    assert kinds == {
        "ville-de-demo": ZoneKind.MUNICIPALITY,
        "vieux-village": ZoneKind.DISTRICT,
        "secteur-de-la-gare": ZoneKind.DISTRICT,
        "aqueduc-nord": ZoneKind.WATER,
        "deneigement-est": ZoneKind.SNOW,
    }
    assert set(Zone.objects.values_list("sgc_code", flat=True)) == {demo.SGC_CODE}
    assert all(zone.active and zone.name_fr and zone.name_en for zone in Zone.objects.all())
    for zone in Zone.objects.all():
        zones.validate_zone_geojson(zone.geojson)
    assert report == ["Alerts: 5 zones, 8 topics (3 mandatory)."]


def test_the_zones_agree_with_the_requests_boundary_and_districts() -> None:
    demo.seed_zones_and_topics([])
    city = Zone.objects.get(code="ville-de-demo")
    boundary = json.loads(BOUNDARY_PATH.read_text())
    districts = {
        feature["properties"]["name"]: feature["geometry"]
        for feature in json.loads(DISTRICTS_PATH.read_text())["features"]
    }

    assert json.loads(city.geojson) == boundary["geometry"]
    assert json.loads(Zone.objects.get(code="vieux-village").geojson) == districts["Vieux-Village"]
    assert (
        json.loads(Zone.objects.get(code="secteur-de-la-gare").geojson)
        == districts["Secteur de la gare"]
    )
    # Every sector lies within the city's outline (its bounding box, at least).
    city_shape = zones.shape_of(city.geojson)
    assert city_shape is not None
    west, south, east, north = city_shape.box
    for zone in Zone.objects.exclude(pk=city.pk):
        shape = zones.shape_of(zone.geojson)
        assert shape is not None
        assert west <= shape.box[0], zone.code
        assert south <= shape.box[1], zone.code
        assert shape.box[2] <= east, zone.code
        assert shape.box[3] <= north, zone.code


def test_the_map_centre_is_in_the_city_and_a_northern_point_in_the_water_sector() -> None:
    demo.seed_zones_and_topics([])

    assert "ville-de-demo" in [zone.code for zone in zones.zones_at(*CENTRE)]
    north = [zone.code for zone in zones.zones_at(45.40, -73.53)]
    assert "aqueduc-nord" in north
    assert "deneigement-est" not in north
    assert "deneigement-est" in [zone.code for zone in zones.zones_at(45.385, -73.51)]


def test_eight_topics_three_of_them_mandatory() -> None:
    demo.seed_zones_and_topics([])

    assert list(Topic.objects.filter(mandatory=True).values_list("name_fr", flat=True)) == [
        "Sécurité civile : évacuation",
        "Avis d'ébullition",
        "Coupure d'eau majeure",
    ]
    assert list(Topic.objects.filter(mandatory=False).values_list("name_fr", flat=True)) == [
        "Travaux",
        "Fermetures de rues",
        "Collectes",
        "Déneigement",
        "Loisirs",
    ]
    categories = dict(Topic.objects.filter(mandatory=True).values_list("code", "cap_category"))
    assert categories == {
        "evacuation": CapCategory.SAFETY,
        "avis-ebullition": CapCategory.HEALTH,
        "coupure-eau": CapCategory.INFRA,
    }
    for topic in Topic.objects.all():
        assert topics.EVENT_CODE.fullmatch(topic.cap_event_code), topic.code
        assert all((topic.name_en, topic.description_fr, topic.description_en)), topic.code
        topic.full_clean()


def test_seeding_again_creates_and_changes_nothing() -> None:
    demo.seed_zones_and_topics([])
    zones_before = list(Zone.objects.order_by("pk").values())
    topics_before = list(Topic.objects.order_by("pk").values())

    demo.seed_zones_and_topics([])

    assert list(Zone.objects.order_by("pk").values()) == zones_before
    assert list(Topic.objects.order_by("pk").values()) == topics_before


def test_seeding_again_brings_a_changed_demo_zone_back_and_keeps_staff_zones() -> None:
    demo.seed_zones_and_topics([])
    Zone.objects.filter(code="aqueduc-nord").update(name_fr="Renommée")
    staff = Zone.objects.create(
        code="parc",
        name_fr="Parc",
        name_en="Park",
        geojson=Zone.objects.first().geojson,  # type: ignore[union-attr]
    )

    demo.seed_zones_and_topics([])

    assert Zone.objects.get(code="aqueduc-nord").name_fr == "Réseau d'aqueduc : secteur nord"
    assert Zone.objects.filter(pk=staff.pk).exists()
    assert Zone.objects.count() == 6
