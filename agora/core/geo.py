"""GeoJSON polygons (longitude, latitude, WGS84), read and checked, and whether a point falls
inside them: what the municipality's boundary and districts (citizen requests) and the alert
zones (alerts) share. Pure Python: an outline has a few thousand points at most.

What is read: a Polygon, a MultiPolygon, a Feature holding one, or a FeatureCollection of
such Features (`polygons_of`); holes are honoured. Anything else raises `GeometryError`, whose
message says what is wrong in words staff can act on (not JSON, not a polygon, a ring not
closed, a coordinate out of range…). Each app may show that message, or its own.
"""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Ring = list[tuple[float, float]]
Polygon = list[Ring]  # the outer ring, then the holes
# west, south, east, north
Box = tuple[float, float, float, float]

NOT_JSON = _(
    "Ce n'est pas du JSON valide : vérifiez les accolades, les crochets, les virgules et les "
    "guillemets."
)
NOT_A_POLYGON = _(
    "La géométrie doit être un Polygon ou un MultiPolygon (ou une Feature qui en contient un)."
)
NO_POLYGON = _("Le contour ne contient aucun polygone.")
MALFORMED_POSITION = _(
    "Une position est mal formée : chaque position est une paire de nombres [longitude, latitude]."
)
TOO_FEW_POSITIONS = _(
    "Un anneau du contour a moins de 4 positions : il en faut au moins 4, la dernière "
    "répétant la première."
)
RING_NOT_CLOSED = _(
    "Un anneau du contour n'est pas fermé : sa dernière position doit répéter la première."
)
OUT_OF_RANGE = _(
    "Une coordonnée est hors limites : la longitude va de -180 à 180 et la latitude de -90 à "
    "90 (la longitude vient en premier)."
)


class GeometryError(ValueError):
    """What is wrong with a GeoJSON text, in a sentence for staff (`message`)."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


def load_json(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise GeometryError(NOT_JSON) from None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def ring_of(raw: Any) -> Ring:
    """A linear ring: at least four positions, closed, each in range (an altitude, a third
    number, is allowed and dropped)."""
    if not isinstance(raw, list):
        raise GeometryError(MALFORMED_POSITION)
    if len(raw) < 4:
        raise GeometryError(TOO_FEW_POSITIONS)
    ring: Ring = []
    for position in raw:
        if not isinstance(position, list | tuple) or len(position) < 2:
            raise GeometryError(MALFORMED_POSITION)
        longitude, latitude = position[0], position[1]
        if not (_number(longitude) and _number(latitude)):
            raise GeometryError(MALFORMED_POSITION)
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise GeometryError(OUT_OF_RANGE)
        ring.append((float(longitude), float(latitude)))
    if ring[0] != ring[-1]:
        raise GeometryError(RING_NOT_CLOSED)
    return ring


def _rings(raw: Any) -> Polygon:
    if not isinstance(raw, list) or not raw:
        raise GeometryError(NO_POLYGON)
    return [ring_of(ring) for ring in raw]


def geometry_polygons(geometry: Any) -> list[Polygon]:
    """The polygons of a Polygon or MultiPolygon geometry."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind == "Polygon":
        return [_rings(geometry.get("coordinates"))]
    if kind == "MultiPolygon":
        polygons = geometry.get("coordinates")
        if not isinstance(polygons, list) or not polygons:
            raise GeometryError(NO_POLYGON)
        return [_rings(rings) for rings in polygons]
    raise GeometryError(NOT_A_POLYGON)


def feature_polygons(feature: Any) -> list[Polygon]:
    """The polygons of a Feature's geometry."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise GeometryError(NOT_A_POLYGON)
    return geometry_polygons(feature.get("geometry"))


def shape_polygons(data: Any) -> list[Polygon]:
    """One shape: a Polygon, a MultiPolygon, or a Feature holding one."""
    if isinstance(data, dict) and data.get("type") == "Feature":
        return feature_polygons(data)
    return geometry_polygons(data)


def polygons_of(data: Any) -> list[Polygon]:
    """As GeoJSON nests them: a FeatureCollection holds Features, a Feature a geometry."""
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise GeometryError(NOT_A_POLYGON)
        polygons = [polygon for feature in features for polygon in feature_polygons(feature)]
    else:
        polygons = shape_polygons(data)
    if not polygons:
        raise GeometryError(NO_POLYGON)
    return polygons


def parse_polygons(text: str | bytes) -> list[Polygon]:
    """The polygons of a GeoJSON text (see `polygons_of`); GeometryError otherwise."""
    return polygons_of(load_json(text))


def parse_shape(text: str | bytes) -> list[Polygon]:
    """The polygons of a GeoJSON text holding one shape (see `shape_polygons`)."""
    return shape_polygons(load_json(text))


def _in_ring(longitude: float, latitude: float, ring: Ring) -> bool:
    """Ray casting: a point on the edge may go either way, which an outline tolerates."""
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


def bounding_box(polygons: list[Polygon]) -> Box:
    """The smallest rectangle around the outer rings: a point outside it is outside them."""
    longitudes = [x for outer, *_holes in polygons for x, _y in outer]
    latitudes = [y for outer, *_holes in polygons for _x, y in outer]
    return min(longitudes), min(latitudes), max(longitudes), max(latitudes)


def in_box(box: Box, longitude: float, latitude: float) -> bool:
    west, south, east, north = box
    return west <= longitude <= east and south <= latitude <= north
