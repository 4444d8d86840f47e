"""GeoJSON polygons as core reads them (agora/core/geo.py): what is accepted, the sentence each
fault gets, and whether a point falls inside (holes, concave outlines, several polygons).
Pure functions: no database."""

from __future__ import annotations

import json
from typing import Any

import pytest

from agora.core import geo

SQUARE = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
HOLE = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
U_SHAPE = [[0, 0], [10, 0], [10, 10], [7, 10], [7, 3], [3, 3], [3, 10], [0, 10], [0, 0]]
FAR_SQUARE = [[20, 20], [30, 20], [30, 30], [20, 30], [20, 20]]


def polygon(*rings: Any) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def feature(geometry: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {}, "geometry": geometry}


def test_polygons_multipolygons_features_and_collections_are_read() -> None:
    multi = {"type": "MultiPolygon", "coordinates": [[SQUARE, HOLE], [FAR_SQUARE]]}
    collection = {
        "type": "FeatureCollection",
        "features": [feature(polygon(SQUARE)), feature(multi)],
    }

    assert [len(p) for p in geo.parse_polygons(json.dumps(polygon(SQUARE, HOLE)))] == [2]
    assert [len(p) for p in geo.parse_polygons(json.dumps(multi))] == [2, 1]
    assert len(geo.parse_polygons(json.dumps(feature(polygon(SQUARE))))) == 1
    assert len(geo.parse_polygons(json.dumps(collection))) == 3


def test_a_shape_is_one_geometry_or_one_feature_not_a_collection() -> None:
    assert len(geo.parse_shape(json.dumps(feature(polygon(SQUARE))))) == 1
    with pytest.raises(geo.GeometryError) as refused:
        geo.parse_shape(json.dumps({"type": "FeatureCollection", "features": []}))
    assert refused.value.message == geo.NOT_A_POLYGON


def test_positions_become_floats_and_an_altitude_is_dropped() -> None:
    ring = [[x, y, 25] for x, y in SQUARE]
    outer = geo.parse_polygons(json.dumps(polygon(ring)))[0][0]

    assert outer[1] == (10.0, 0.0)
    assert all(isinstance(x, float) and isinstance(y, float) for x, y in outer)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{ pas du json", geo.NOT_JSON),
        ("[" * 100_000, geo.NOT_JSON),
        (json.dumps({"type": "Point", "coordinates": [0, 0]}), geo.NOT_A_POLYGON),
        (json.dumps({"type": "LineString", "coordinates": SQUARE}), geo.NOT_A_POLYGON),
        (json.dumps(["pas", "un", "objet"]), geo.NOT_A_POLYGON),
        (json.dumps(feature(None)), geo.NOT_A_POLYGON),
        (json.dumps(polygon()), geo.NO_POLYGON),
        (json.dumps({"type": "MultiPolygon", "coordinates": []}), geo.NO_POLYGON),
        (json.dumps({"type": "FeatureCollection", "features": []}), geo.NO_POLYGON),
        (json.dumps(polygon([[0, 0], [1, 0], [0, 0]])), geo.TOO_FEW_POSITIONS),
        (json.dumps(polygon([[0, 0], [1, 0], [1, 1], [0, 1]])), geo.RING_NOT_CLOSED),
        (json.dumps(polygon([[0, 0], [1, 0], ["1", 1], [0, 0]])), geo.MALFORMED_POSITION),
        (json.dumps(polygon([[0, 0], [1, 0], [True, 1], [0, 0]])), geo.MALFORMED_POSITION),
        (json.dumps(polygon([[0, 0], [1], [1, 1], [0, 0]])), geo.MALFORMED_POSITION),
        (json.dumps(polygon([[0, 0], [181, 0], [1, 1], [0, 0]])), geo.OUT_OF_RANGE),
        (json.dumps(polygon([[0, 0], [1, -91], [1, 1], [0, 0]])), geo.OUT_OF_RANGE),
        (
            '{"type": "Polygon", "coordinates": [[[0, 0], [NaN, 0], [1, 1], [0, 0]]]}',
            geo.OUT_OF_RANGE,
        ),
    ],
)
def test_each_fault_gets_its_sentence(text: str, message: Any) -> None:
    with pytest.raises(geo.GeometryError) as refused:
        geo.parse_polygons(text)

    assert refused.value.message == message
    assert str(refused.value) == str(message)


def test_a_point_is_inside_the_polygon_and_outside_its_hole() -> None:
    polygons = geo.parse_polygons(json.dumps(polygon(SQUARE, HOLE)))

    assert geo.contains(polygons, 2, 2)
    assert not geo.contains(polygons, 5, 5)
    assert not geo.contains(polygons, 11, 5)


def test_a_concave_outline_leaves_its_notch_outside() -> None:
    polygons = geo.parse_polygons(json.dumps(polygon(U_SHAPE)))

    assert geo.contains(polygons, 1, 8)
    assert not geo.contains(polygons, 5, 8)
    assert geo.contains(polygons, 5, 1)


def test_any_polygon_of_a_multipolygon_holds_the_point() -> None:
    polygons = geo.parse_polygons(
        json.dumps({"type": "MultiPolygon", "coordinates": [[SQUARE], [FAR_SQUARE]]})
    )

    assert geo.contains(polygons, 25, 25)
    assert not geo.contains(polygons, 15, 15)


def test_the_bounding_box_holds_every_outer_ring() -> None:
    polygons = geo.parse_polygons(
        json.dumps({"type": "MultiPolygon", "coordinates": [[SQUARE], [FAR_SQUARE]]})
    )
    box = geo.bounding_box(polygons)

    assert box == (0.0, 0.0, 30.0, 30.0)
    assert geo.in_box(box, 15, 15)
    assert not geo.in_box(box, 31, 15)
