"""Alert zones (agora/alerts/zones.py): which active zones hold a point, each outline read once
per version, what a zone's GeoJSON must be (one sentence per fault), and the audited writes,
which refuse anyone but an administrator and bad input, writing nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import UserFactory, administrator
from agora.alerts import audit_actions, zones
from agora.alerts.models import Zone
from agora.alerts.tests.factories import SubscriberFactory, ZoneFactory, square
from agora.core import geo
from agora.core.models import AuditEntry

pytestmark = pytest.mark.django_db

WEST = square(-73.56, 45.36, -73.52, 45.42)
EAST = square(-73.52, 45.36, -73.48, 45.42)


def test_the_zones_holding_a_point_are_the_active_ones_around_it() -> None:
    city = ZoneFactory.create(code="ville", position=0)
    west = ZoneFactory.create(code="ouest", geojson=WEST, position=1)
    ZoneFactory.create(code="est", geojson=EAST, position=2)
    ZoneFactory.create(code="ancien-ouest", geojson=WEST, active=False)

    assert zones.zones_at(45.39, -73.54) == [city, west]
    assert zones.zones_at(Decimal("45.390000"), Decimal("-73.540000")) == [city, west]
    assert zones.zones_at(46.0, -73.54) == []


def test_a_zone_in_a_feature_or_a_multipolygon_is_read_too() -> None:
    ring = json.loads(WEST)["coordinates"]
    far = json.loads(square(-70, 46, -69, 47))["coordinates"]
    feature = ZoneFactory.create(
        geojson=json.dumps({"type": "Feature", "properties": {}, "geometry": json.loads(WEST)})
    )
    multi = ZoneFactory.create(
        geojson=json.dumps({"type": "MultiPolygon", "coordinates": [far, ring]})
    )

    assert zones.zones_at(45.39, -73.54) == [feature, multi]
    assert zones.zones_at(46.5, -69.5) == [multi]


def test_each_outline_is_read_once_per_version() -> None:
    zone = ZoneFactory.create(geojson=square(-73.6, 45.3, -73.4, 45.5))
    zones.shape_of.cache_clear()

    with mock.patch.object(geo, "parse_shape", wraps=geo.parse_shape) as parse:
        for _time in range(3):
            zones.zones_at(45.4, -73.5)
        assert parse.call_count == 1
        zone.geojson = square(-73.7, 45.3, -73.4, 45.5)
        zone.save()
        assert zones.zones_at(45.4, -73.65) == [zone]
        assert parse.call_count == 2


def test_a_zone_whose_outline_cannot_be_read_is_skipped() -> None:
    ZoneFactory.create(geojson="{ cassé")
    good = ZoneFactory.create()

    assert zones.zones_at(45.39, -73.52) == [good]


@pytest.mark.parametrize(
    ("geojson", "message"),
    [
        ("pas du json", geo.NOT_JSON),
        (json.dumps({"type": "Point", "coordinates": [-73.5, 45.4]}), geo.NOT_A_POLYGON),
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [[[-73, 45], [-72, 45], [-72, 46], [-73, 46]]]}
            ),
            geo.RING_NOT_CLOSED,
        ),
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [[[45, -73], [45, -200], [46, -73], [45, -73]]]}
            ),
            geo.OUT_OF_RANGE,
        ),
        (json.dumps({"type": "FeatureCollection", "features": []}), zones.A_COLLECTION),
    ],
)
def test_a_bad_outline_gets_its_sentence_and_nothing_is_written(
    geojson: str, message: object
) -> None:
    with pytest.raises(ValidationError) as refused:
        zones.create_zone(
            actor=administrator(),
            zone=Zone(code="z", name_fr="Zone", name_en="Zone", geojson=geojson),
        )

    assert refused.value.message_dict["geojson"] == [str(message)]
    assert not Zone.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_sgc_code_has_seven_digits() -> None:
    zones.validate_sgc_code("")
    zones.validate_sgc_code("2467020")
    for wrong in ("246702", "24670201", "24-6702", "abcdefg"):
        with pytest.raises(ValidationError):
            zones.validate_sgc_code(wrong)


def test_an_administrator_creates_changes_and_deletes_a_zone_each_logged() -> None:
    admin = administrator()
    zone = zones.create_zone(
        actor=admin,
        zone=Zone(code="nord", name_fr="Nord", name_en="North", geojson=WEST, sgc_code="2467020"),
    )
    zone.name_en = "North sector"
    zones.change_zone(actor=admin, zone=zone)
    zones.change_zone(actor=admin, zone=zone)  # nothing changed: nothing logged
    zones.delete_zone(actor=admin, zone=zone)

    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        audit_actions.ALERT_ZONE_CREATED,
        audit_actions.ALERT_ZONE_CHANGED,
        audit_actions.ALERT_ZONE_DELETED,
    ]
    assert not Zone.objects.exists()


@pytest.mark.parametrize("role", [Role.COMMUNICATIONS, Role.CLERK, Role.DEPARTMENT_MANAGER, None])
def test_only_an_administrator_writes_zones(role: Role | None) -> None:
    person = UserFactory.create(roles=[role] if role else [])
    zone = ZoneFactory.create(name_fr="Avant")

    with pytest.raises(PermissionDenied):
        zones.create_zone(actor=person, zone=Zone(code="x", name_fr="X", name_en="X", geojson=WEST))
    zone.name_fr = "Après"
    with pytest.raises(PermissionDenied):
        zones.change_zone(actor=person, zone=zone)
    with pytest.raises(PermissionDenied):
        zones.delete_zone(actor=person, zone=zone)

    assert list(Zone.objects.values_list("name_fr", flat=True)) == ["Avant"]
    assert not AuditEntry.objects.exists()


def test_a_zone_with_subscribers_is_not_deleted() -> None:
    zone = ZoneFactory.create()
    SubscriberFactory.create().places.create(label="Maison").zones.add(zone)

    with pytest.raises(ValidationError):
        zones.delete_zone(actor=administrator(), zone=zone)

    assert Zone.objects.filter(pk=zone.pk).exists()
    assert not AuditEntry.objects.exists()
