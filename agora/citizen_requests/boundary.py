"""The municipality's boundary as GeoJSON (longitude, latitude, WGS84), and whether a point
falls inside it. A Polygon, a MultiPolygon, or a Feature or FeatureCollection holding them;
holes are honoured. Pure Python: a city's outline has a few thousand points at most."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

Ring = list[tuple[float, float]]
Polygon = list[Ring]  # the outer ring, then the holes

INVALID = _(
    "Ce n'est pas un contour GeoJSON valide : collez un Polygon ou un MultiPolygon (ou une "
    "Feature qui en contient un), en longitude puis latitude."
)


def _ring(raw: Any) -> Ring:
    if not isinstance(raw, list) or len(raw) < 4:
        raise ValidationError(INVALID)
    ring: Ring = []
    for position in raw:
        if not isinstance(position, list | tuple) or len(position) < 2:
            raise ValidationError(INVALID)
        longitude, latitude = position[0], position[1]
        if not all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in (longitude, latitude)
        ):
            raise ValidationError(INVALID)
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise ValidationError(INVALID)
        ring.append((float(longitude), float(latitude)))
    if ring[0] != ring[-1]:
        raise ValidationError(INVALID)
    return ring


def _geometry_polygons(geometry: Any) -> Iterator[Polygon]:
    if not isinstance(geometry, dict):
        raise ValidationError(INVALID)
    kind = geometry.get("type")
    if kind == "Polygon":
        rings = geometry.get("coordinates")
        if not isinstance(rings, list) or not rings:
            raise ValidationError(INVALID)
        yield [_ring(ring) for ring in rings]
    elif kind == "MultiPolygon":
        polygons = geometry.get("coordinates")
        if not isinstance(polygons, list) or not polygons:
            raise ValidationError(INVALID)
        for rings in polygons:
            if not isinstance(rings, list) or not rings:
                raise ValidationError(INVALID)
            yield [_ring(ring) for ring in rings]
    else:
        raise ValidationError(INVALID)


def _feature_polygons(feature: Any) -> Iterator[Polygon]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ValidationError(INVALID)
    yield from _geometry_polygons(feature.get("geometry"))


def _polygons(data: Any) -> Iterator[Polygon]:
    """As GeoJSON nests them: a FeatureCollection holds Features, a Feature a geometry."""
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise ValidationError(INVALID)
        for feature in features:
            yield from _feature_polygons(feature)
    elif kind == "Feature":
        yield from _feature_polygons(data)
    else:
        yield from _geometry_polygons(data)


def parse_boundary(text: str) -> list[Polygon]:
    """The polygons of the boundary; ValidationError with a message staff can act on."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ValidationError(INVALID) from None
    polygons = list(_polygons(data))
    if not polygons:
        raise ValidationError(INVALID)
    return polygons


def validate_boundary(text: str) -> None:
    if text.strip():
        parse_boundary(text)


def _in_ring(longitude: float, latitude: float, ring: Ring) -> bool:
    """Ray casting: a point on the edge may go either way, which a boundary tolerates."""
    inside = False
    for (x1, y1), (x2, y2) in pairwise(ring):
        if (y1 > latitude) != (y2 > latitude):
            crossing = x1 + (latitude - y1) * (x2 - x1) / (y2 - y1)
            if longitude < crossing:
                inside = not inside
    return inside


def contains(polygons: list[Polygon], longitude: float, latitude: float) -> bool:
    """Whether the point is inside one of the polygons and outside its holes."""
    for outer, *holes in polygons:
        if _in_ring(longitude, latitude, outer) and not any(
            _in_ring(longitude, latitude, hole) for hole in holes
        ):
            return True
    return False


# Districts -----------------------------------------------------------------------------------

DISTRICTS_INVALID = _(
    "Ce n'est pas une liste de quartiers GeoJSON valide : collez une FeatureCollection dont "
    "chaque Feature a un Polygon ou un MultiPolygon et une propriété « name »."
)
District = tuple[str, list[Polygon]]


def parse_districts(text: str) -> list[District]:
    """The named districts of a GeoJSON FeatureCollection, in its order: each Feature's
    `name` property and its polygons. ValidationError with a message staff can act on."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ValidationError(DISTRICTS_INVALID) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationError(DISTRICTS_INVALID)
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError(DISTRICTS_INVALID)
    districts: list[District] = []
    for feature in features:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        name = properties.get("name") if isinstance(properties, dict) else None
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > 80:
            raise ValidationError(DISTRICTS_INVALID)
        try:
            polygons = list(_feature_polygons(feature))
        except ValidationError:
            raise ValidationError(DISTRICTS_INVALID) from None
        districts.append((name.strip(), polygons))
    return districts


def validate_districts(text: str) -> None:
    if text.strip():
        parse_districts(text)


def district_of(districts: list[District], longitude: float, latitude: float) -> str:
    """The name of the first district holding the point; "" when none does."""
    for name, polygons in districts:
        if contains(polygons, longitude, latitude):
            return name
    return ""
