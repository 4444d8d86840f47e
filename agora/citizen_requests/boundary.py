"""The municipality's boundary as GeoJSON (longitude, latitude, WGS84), and whether a point
falls inside it. A Polygon, a MultiPolygon, or a Feature or FeatureCollection holding them;
holes are honoured. The reading and the point-in-polygon test are agora/core/geo.py's, shared
with the alert zones; here every fault of the text gets the one message below."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agora.core import geo
from agora.core.geo import Polygon, Ring, contains

__all__ = [
    "DISTRICTS_INVALID",
    "INVALID",
    "District",
    "Polygon",
    "Ring",
    "contains",
    "district_of",
    "parse_boundary",
    "parse_districts",
    "validate_boundary",
    "validate_districts",
]

INVALID = _(
    "Ce n'est pas un contour GeoJSON valide : collez un Polygon ou un MultiPolygon (ou une "
    "Feature qui en contient un), en longitude puis latitude."
)


def parse_boundary(text: str) -> list[Polygon]:
    """The polygons of the boundary (agora/core/geo.py reads them); ValidationError with a
    message staff can act on."""
    try:
        return geo.parse_polygons(text)
    except geo.GeometryError:
        raise ValidationError(INVALID) from None


def validate_boundary(text: str) -> None:
    if text.strip():
        parse_boundary(text)


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
        data = geo.load_json(text)
    except geo.GeometryError:
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
            polygons = geo.feature_polygons(feature)
        except geo.GeometryError:
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
