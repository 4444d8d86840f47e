"""The municipality's boundary: which GeoJSON staff may paste (a Polygon, a MultiPolygon, or a
Feature or FeatureCollection holding them), the one message anything else gets, and whether a
point falls inside (holes and concave outlines included). Pure functions: no database."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from agora.citizen_requests.boundary import (
    INVALID,
    Polygon,
    contains,
    parse_boundary,
    validate_boundary,
)

SQUARE = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
HOLE = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
# A "U" open to the north: the notch between its arms, x from 3 to 7 above y = 3, is outside.
U_SHAPE = [[0, 0], [10, 0], [10, 10], [7, 10], [7, 3], [3, 3], [3, 10], [0, 10], [0, 0]]
FAR_SQUARE = [[20, 20], [30, 20], [30, 30], [20, 30], [20, 20]]


def polygon(*rings: Any) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def feature(geometry: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"name": "Ville"}, "geometry": geometry}


def parsed(geojson: Any) -> list[Polygon]:
    return parse_boundary(json.dumps(geojson))


def test_a_polygon_is_read_as_its_outer_ring_then_its_holes() -> None:
    polygons = parsed(polygon(SQUARE, HOLE))

    assert len(polygons) == 1
    outer, hole = polygons[0]
    assert outer[:2] == [(0.0, 0.0), (10.0, 0.0)]
    assert hole[0] == (4.0, 4.0)
    assert all(isinstance(x, float) for x, _y in outer)


def test_a_multipolygon_gives_each_of_its_polygons() -> None:
    polygons = parsed({"type": "MultiPolygon", "coordinates": [[SQUARE, HOLE], [FAR_SQUARE]]})

    assert [len(rings) for rings in polygons] == [2, 1]


def test_a_feature_gives_its_geometry() -> None:
    assert len(parsed(feature(polygon(SQUARE)))) == 1


def test_a_feature_collection_gives_the_polygons_of_all_its_features() -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            feature(polygon(SQUARE)),
            feature({"type": "MultiPolygon", "coordinates": [[FAR_SQUARE], [HOLE]]}),
        ],
    }

    assert len(parsed(collection)) == 3


def test_a_position_may_carry_an_altitude() -> None:
    ring = [[x, y, 25.0] for x, y in SQUARE]

    assert parsed(polygon(ring))[0][0][1] == (10.0, 0.0)


def test_an_empty_boundary_is_accepted_as_no_boundary() -> None:
    validate_boundary("")
    validate_boundary("  \n")


def test_a_valid_boundary_passes_validation() -> None:
    validate_boundary(json.dumps(feature(polygon(SQUARE))))


def nested_arrays(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("{not json", id="not JSON"),
        pytest.param("", id="empty text"),
        pytest.param(json.dumps([SQUARE]), id="a bare array"),
        pytest.param(json.dumps({"type": "Point", "coordinates": [1, 2]}), id="a point"),
        pytest.param(json.dumps({"type": "LineString", "coordinates": SQUARE}), id="a line"),
        pytest.param(json.dumps({"coordinates": [SQUARE]}), id="no type"),
        pytest.param(json.dumps(polygon([*SQUARE[:-1], [1, 1]])), id="an unclosed ring"),
        pytest.param(json.dumps(polygon([[0, 0], [1, 0], [0, 0]])), id="fewer than 4 positions"),
        pytest.param(json.dumps(polygon([[0, 0], [1, 91], [1, 1], [0, 0]])), id="latitude > 90"),
        pytest.param(json.dumps(polygon([[0, 0], [1, -91], [1, 1], [0, 0]])), id="latitude < -90"),
        pytest.param(json.dumps(polygon([[0, 0], [181, 1], [1, 1], [0, 0]])), id="longitude > 180"),
        pytest.param(
            json.dumps(polygon([[True, False], [True, True], [False, True], [True, False]])),
            id="booleans as coordinates",
        ),
        pytest.param(
            json.dumps(polygon([["0", "0"], ["1", "0"], ["1", "1"], ["0", "0"]])),
            id="strings as coordinates",
        ),
        pytest.param(json.dumps(polygon([[0], [1], [2], [0]])), id="a position of one number"),
        pytest.param(
            '{"type": "Polygon", "coordinates": [[[0, 0], [NaN, 0], [1, 1], [0, 0]]]}',
            id="NaN as a coordinate",
        ),
        pytest.param(json.dumps(polygon()), id="a polygon without rings"),
        pytest.param(json.dumps({"type": "Polygon", "coordinates": "0,0"}), id="text as rings"),
        pytest.param(json.dumps({"type": "MultiPolygon", "coordinates": []}), id="no polygons"),
        pytest.param(json.dumps({"type": "MultiPolygon", "coordinates": [[]]}), id="empty part"),
        pytest.param(json.dumps(feature(None)), id="a feature without geometry"),
        pytest.param(json.dumps({"type": "FeatureCollection", "features": []}), id="no features"),
        pytest.param(nested_arrays(100_000), id="deeply nested arrays"),
        pytest.param(
            '{"a": ' * 100_000 + "0" + "}" * 100_000,
            id="deeply nested objects",
        ),
    ],
)
def test_anything_else_is_refused_with_the_message_staff_can_act_on(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_boundary(text)

    assert refused.value.messages == [str(INVALID)]


def test_validation_refuses_what_parsing_refuses() -> None:
    with pytest.raises(ValidationError) as refused:
        validate_boundary(json.dumps(polygon([[0, 0], [1, 0], [0, 0]])))

    assert refused.value.messages == [str(INVALID)]


def test_features_nested_deeper_than_the_stack_are_refused_with_the_message() -> None:
    depth = 2_000
    text = '{"type": "Feature", "geometry": ' * depth + json.dumps(polygon(SQUARE)) + "}" * depth

    with pytest.raises(ValidationError) as refused:
        parse_boundary(text)

    assert refused.value.messages == [str(INVALID)]


def test_a_point_inside_the_outer_ring_is_inside() -> None:
    square = parsed(polygon(SQUARE))

    assert contains(square, 2, 2)
    assert contains(square, 9.9, 0.1)


def test_a_point_outside_the_outer_ring_is_outside() -> None:
    square = parsed(polygon(SQUARE))

    assert not contains(square, -1, 5)
    assert not contains(square, 5, 10.5)
    assert not contains(square, 25, 25)


def test_a_point_in_a_hole_is_outside() -> None:
    with_hole = parsed(polygon(SQUARE, HOLE))

    assert not contains(with_hole, 5, 5)
    assert contains(with_hole, 3, 5)
    assert contains(with_hole, 7, 5)


def test_a_point_in_the_notch_of_a_concave_outline_is_outside() -> None:
    u_shape = parsed(polygon(U_SHAPE))

    assert not contains(u_shape, 5, 8)
    assert not contains(u_shape, 5, 3.5)
    assert contains(u_shape, 5, 2)
    assert contains(u_shape, 1.5, 8)
    assert contains(u_shape, 8.5, 8)


def test_a_point_in_any_part_of_a_multipolygon_is_inside() -> None:
    parts = parsed({"type": "MultiPolygon", "coordinates": [[SQUARE, HOLE], [FAR_SQUARE]]})

    assert contains(parts, 25, 25)
    assert contains(parts, 1, 1)
    assert not contains(parts, 5, 5)
    assert not contains(parts, 15, 15)


def test_a_boundary_in_real_coordinates_places_a_street_corner() -> None:
    """Longitude first, as GeoJSON has it: swapping the two would put Québec in Antarctica."""
    city = parsed(
        polygon(
            [
                [-73.55, 45.37],
                [-73.50, 45.37],
                [-73.50, 45.41],
                [-73.55, 45.41],
                [-73.55, 45.37],
            ]
        )
    )

    assert contains(city, -73.517, 45.389)
    assert not contains(city, 45.389, -73.517)
    assert not contains(city, -73.5673, 45.5017)
