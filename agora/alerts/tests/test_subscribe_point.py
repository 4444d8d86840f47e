"""A place of a subscription may be placed on the map instead of (or as well as) ticking its
zones: the point is kept and the zones that hold it are added. A point outside the
municipality is refused with a message that says so, and nothing is written."""

from decimal import Decimal

import pytest
from django.test import Client

from agora.alerts.models import ContactPoint, Subscriber, SubscriberPlace, Zone, ZoneKind
from agora.alerts.tests.factories import ZoneFactory, square
from agora.alerts.tests.subscribe_support import (
    form_data,
    page_text,
    phone_channels,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("phone_channels")]

PAGE = "/fr/alertes/"


@pytest.fixture
def city() -> dict[str, object]:
    """The municipality's territory, its north sector and an east sector, apart."""
    return {
        "territory": ZoneFactory.create(
            code="ville", kind=ZoneKind.MUNICIPALITY, geojson=square(-73.56, 45.36, -73.48, 45.42)
        ),
        "north": ZoneFactory.create(code="nord", geojson=square(-73.56, 45.39, -73.48, 45.42)),
        "east": ZoneFactory.create(code="est", geojson=square(-73.50, 45.36, -73.48, 45.42)),
    }


def placed(latitude: str, longitude: str, **changes: object) -> dict[str, object]:
    return form_data(
        list(Zone.objects.all()[:1]),
        **{
            "lieu-0-zones": [],
            "lieu-0-latitude": latitude,
            "lieu-0-longitude": longitude,
            **changes,
        },
    )


def test_a_point_on_the_map_gives_the_place_its_zones(
    client: Client, city: dict[str, object]
) -> None:
    response = client.post(PAGE, placed("45.400000", "-73.530000"))

    assert response.status_code == 302
    place = SubscriberPlace.objects.get()
    assert (place.latitude, place.longitude) == (Decimal("45.400000"), Decimal("-73.530000"))
    assert {zone.code for zone in place.zones.all()} == {"ville", "nord"}


def test_ticked_zones_and_the_point_s_zones_are_both_kept(
    client: Client, city: dict[str, object]
) -> None:
    east = city["east"]
    data = placed("45.400000", "-73.530000", **{"lieu-0-zones": [str(east.pk)]})  # type: ignore[attr-defined]

    client.post(PAGE, data)

    assert {z.code for z in SubscriberPlace.objects.get().zones.all()} == {"ville", "nord", "est"}


def test_a_point_outside_the_municipality_is_refused_and_nothing_is_written(
    client: Client, city: dict[str, object]
) -> None:
    response = client.post(PAGE, placed("46.800000", "-71.200000"))  # Québec City

    assert response.status_code == 400
    page = page_text(response)
    assert "hors du territoire de la municipalité" in page
    assert 'id="id_lieu-0-zones_error"' in page
    assert not Subscriber.objects.exists()
    assert not ContactPoint.objects.exists()
    assert not SubscriberPlace.objects.exists()


def test_without_a_territory_zone_a_point_in_no_zone_is_refused(client: Client) -> None:
    ZoneFactory.create(code="nord", geojson=square(-73.56, 45.39, -73.48, 45.42))

    response = client.post(PAGE, placed("45.370000", "-73.530000"))

    assert response.status_code == 400
    assert "hors du territoire" in page_text(response)
    assert not Subscriber.objects.exists()


def test_neither_a_zone_nor_a_point_asks_for_one_or_the_other(
    client: Client, city: dict[str, object]
) -> None:
    response = client.post(PAGE, form_data(list(Zone.objects.all()[:1]), **{"lieu-0-zones": []}))

    assert response.status_code == 400
    assert "placez-le sur la carte" in page_text(response)
    assert not Subscriber.objects.exists()


def test_half_a_point_is_dropped_and_the_ticked_zone_is_used(
    client: Client, city: dict[str, object]
) -> None:
    north = city["north"]
    data = form_data([north], **{"lieu-0-latitude": "45.400000"})  # type: ignore[list-item]

    response = client.post(PAGE, data)

    assert response.status_code == 302
    place = SubscriberPlace.objects.get()
    assert place.latitude is None
    assert [z.code for z in place.zones.all()] == ["nord"]


def test_the_form_carries_the_point_s_hidden_fields(
    client: Client, city: dict[str, object]
) -> None:
    page = page_text(client.get(PAGE))

    assert 'name="lieu-0-latitude"' in page
    assert 'name="lieu-0-longitude"' in page
