"""The municipality's districts (Réglages des requêtes → quartiers): the GeoJSON staff may
paste (a FeatureCollection of named polygons), the one message anything else gets, and the
district a request filed on the map is counted in."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site

from agora.citizen_requests.boundary import (
    DISTRICTS_INVALID,
    district_of,
    parse_districts,
    validate_districts,
)
from agora.citizen_requests.models import RequestSettings
from agora.citizen_requests.tests.test_follow_status import file

WEST = [[-73.53, 45.38], [-73.52, 45.38], [-73.52, 45.40], [-73.53, 45.40], [-73.53, 45.38]]
EAST = [[-73.52, 45.38], [-73.50, 45.38], [-73.50, 45.40], [-73.52, 45.40], [-73.52, 45.38]]


def district(name: Any, ring: list[list[float]]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def collection(*features: Any) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


TWO_DISTRICTS = collection(district("Vieux-Village", WEST), district("Les Prés", EAST))


def test_each_named_feature_is_a_district_in_order() -> None:
    districts = parse_districts(TWO_DISTRICTS)

    assert [name for name, _polygons in districts] == ["Vieux-Village", "Les Prés"]
    assert district_of(districts, -73.525, 45.39) == "Vieux-Village"
    assert district_of(districts, -73.51, 45.39) == "Les Prés"
    assert district_of(districts, -73.60, 45.39) == ""


@pytest.mark.parametrize(
    "text",
    [
        "pas du JSON",
        "12",
        json.dumps({"type": "Polygon", "coordinates": [WEST]}),  # not a collection
        collection(),  # no district
        collection(district("", WEST)),  # no name
        collection(district(12, WEST)),  # a name that is not text
        collection(district("Centre", [[0, 0], [1, 1]])),  # not a ring
    ],
)
def test_anything_else_gets_one_message_staff_can_act_on(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_districts(text)

    assert refused.value.messages == [str(DISTRICTS_INVALID)]


def test_no_districts_is_allowed() -> None:
    validate_districts("  ")


@pytest.mark.django_db
def test_a_request_on_the_map_is_counted_in_its_district_and_one_without_a_point_in_none() -> None:
    settings = RequestSettings.for_site(Site.objects.get(is_default_site=True))
    settings.districts = TWO_DISTRICTS
    settings.save()

    on_the_map = file(latitude=Decimal("45.39"), longitude=Decimal("-73.51")).request
    by_address = file(latitude=None, longitude=None).request

    assert on_the_map.district == "Les Prés"
    assert by_address.district == ""
