"""Maps on Agora's pages: the GeoJSON that views hand to `core/includes/map.html`, and the
settings that the map and location-picker includes pass to `core/map.js`.

A view builds its map from these helpers and gives the result to the include:

    features = feature_collection(
        [area_feature(project.area, project.title)]  # None, left out, when not a polygon
        + [
            point_feature(latitude=idea.latitude, longitude=idea.longitude, title=idea.title,
                          url=project.subpage_url("idea", idea_id=idea.pk))
            for idea in ideas
            if idea.latitude is not None and idea.longitude is not None
        ]
    )

Coordinates follow GeoJSON (RFC 7946): WGS 84, longitude before latitude, 6 decimals
(about 10 cm). A form can check a pasted area with `area_feature(value, "") is not None`.
"""

import json
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal, NotRequired, TypedDict
from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext

# A drawn neighbourhood has tens of points; this bounds what a page carries (about 25 kB).
MAX_AREA_POSITIONS = 1000


class FeatureProperties(TypedDict):
    title: str
    url: NotRequired[str]


class Feature(TypedDict):
    type: Literal["Feature"]
    geometry: dict[str, Any]
    properties: FeatureProperties


class FeatureCollection(TypedDict):
    type: Literal["FeatureCollection"]
    features: list[Feature]


class MapSettings(TypedDict):
    """What `core/map.js` needs: the tile server, where the map opens, and Leaflet's files."""

    host: str
    tiles: str
    attribution: str
    center: tuple[float, float]
    zoom: int
    leaflet_js: str
    leaflet_css: str
    icons: dict[str, str]  # Leaflet's marker options: iconUrl, iconRetinaUrl, shadowUrl
    labels: dict[str, str]  # Leaflet's own words, in the visitor's language


def point_feature(
    *, latitude: float | Decimal, longitude: float | Decimal, title: str, url: str = ""
) -> Feature:
    """A point with its title, and a link in its pop-up when `url` is given (a path on this
    site or an http(s) address). Raises ValueError for coordinates off the globe."""
    lat, lng = float(latitude), float(longitude)
    if not _is_position([lng, lat]):
        raise ValueError(f"not a latitude, longitude: {latitude}, {longitude}")
    return _feature({"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]}, title, url)


def area_feature(geojson: object, title: str, url: str = "") -> Feature | None:
    """The area drawn in `geojson` (a Polygon or MultiPolygon geometry, a Feature holding one,
    or a FeatureCollection of exactly one such Feature; as a dict or as JSON text), or None
    when it is none of these or is not a valid polygon. Only the geometry is kept."""
    geometry = _polygon_geometry(geojson)
    return _feature(geometry, title, url) if geometry is not None else None


def feature_collection(features: Iterable[Feature | None]) -> FeatureCollection:
    """The features for a map, leaving out the None that `area_feature` gives for no area."""
    return {
        "type": "FeatureCollection",
        "features": [feature for feature in features if feature is not None],
    }


def map_link(*, latitude: float | Decimal, longitude: float | Decimal) -> str:
    """The address of the place on OpenStreetMap's own site: a plain link, which works
    without JavaScript and with maps turned off, where the map of the page would show nothing.
    Raises ValueError for coordinates off the globe."""
    lat, lng = float(latitude), float(longitude)
    if not _is_position([lng, lat]):
        raise ValueError(f"not a latitude, longitude: {latitude}, {longitude}")
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lng:.6f}#map=17/{lat:.6f}/{lng:.6f}"
    )


def map_settings() -> MapSettings | None:
    """The map settings for the includes, or None when maps are turned off (MAP_TILE_URL
    empty)."""
    if not settings.MAP_TILE_URL:
        return None
    latitude, longitude = settings.MAP_DEFAULT_CENTER
    return {
        "host": (urlsplit(settings.MAP_TILE_URL).hostname or "").removeprefix("{s}."),
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "center": (latitude, longitude),
        "zoom": settings.MAP_DEFAULT_ZOOM,
        "leaflet_js": static("vendor/leaflet/leaflet.js"),
        "leaflet_css": static("vendor/leaflet/leaflet.css"),
        "icons": {
            "iconUrl": static("vendor/leaflet/images/marker-icon.png"),
            "iconRetinaUrl": static("vendor/leaflet/images/marker-icon-2x.png"),
            "shadowUrl": static("vendor/leaflet/images/marker-shadow.png"),
        },
        "labels": {
            "zoomInTitle": gettext("Zoom avant"),
            "zoomOutTitle": gettext("Zoom arrière"),
            "close": gettext("Fermer"),
            "prefix": '<a href="https://leafletjs.com">Leaflet</a>',
        },
    }


def _feature(geometry: dict[str, Any], title: str, url: str) -> Feature:
    properties: FeatureProperties = {"title": str(title)}
    if url:
        if not (url.startswith("/") or urlsplit(url).scheme in ("http", "https")):
            raise ValueError(f"not a link a map may hold: {url!r}")
        properties["url"] = url
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _polygon_geometry(geojson: object) -> dict[str, Any] | None:
    if isinstance(geojson, str):
        try:
            geojson = json.loads(geojson)
        except ValueError:
            return None
    # Unwrapped one level at a time, without recursion: the JSON comes from a form.
    if isinstance(geojson, dict) and geojson.get("type") == "FeatureCollection":
        features = geojson.get("features")
        geojson = features[0] if isinstance(features, list) and len(features) == 1 else None
    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    if not isinstance(geojson, dict):
        return None
    kind, coordinates = geojson.get("type"), geojson.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon" and isinstance(coordinates, list) and coordinates:
        polygons = coordinates
    else:
        return None
    cleaned = [polygon for rings in polygons if (polygon := _polygon(rings)) is not None]
    if len(cleaned) != len(polygons):
        return None
    if sum(len(ring) for polygon in cleaned for ring in polygon) > MAX_AREA_POSITIONS:
        return None
    return {"type": kind, "coordinates": cleaned[0] if kind == "Polygon" else cleaned}


def _polygon(rings: object) -> list[list[list[float]]] | None:
    """A polygon's rings (the outline, then any holes), without altitudes, or None."""
    if not isinstance(rings, list) or not rings:
        return None
    cleaned = []
    for ring in rings:
        # A ring is closed: at least four positions, the last one repeating the first.
        if not isinstance(ring, list) or len(ring) < 4 or ring[0] != ring[-1]:
            return None
        if not all(_is_position(position) for position in ring):
            return None
        cleaned.append([[round(float(p[0]), 6), round(float(p[1]), 6)] for p in ring])
    return cleaned


def _is_position(position: object) -> bool:
    """[longitude, latitude] (an altitude may follow), finite and on the globe."""
    if not isinstance(position, list) or len(position) not in (2, 3):
        return False
    if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in position):
        return False
    try:
        longitude, latitude = float(position[0]), float(position[1])
    except OverflowError:  # an integer of hundreds of digits
        return False
    return (
        math.isfinite(longitude)
        and math.isfinite(latitude)
        and -180 <= longitude <= 180
        and -90 <= latitude <= 90
    )
