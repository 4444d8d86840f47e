"""The public map: an SVG of the places within the municipality's outline, drawn on the
server. No tiles, no script: nothing leaves the site, and it weighs a few kilobytes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora.citizen_requests.boundary import Polygon
from agora.citizen_requests.indicators.public import Places
from agora.core import charts
from agora.core.charts.figure import INK

MAP_WIDTH = 1000
# The outline keeps at most this many points once projected (a city's open-data outline can
# have tens of thousands).
OUTLINE_POINTS = 600
OUTLINE_FILL, OUTLINE_STROKE = "#f2f4f7", "#5f6368"
# A place with open requests, a place whose requests are all closed (5.3:1 on white).
OPEN_FILL, CLOSED_FILL = INK, "#6b6b6b"


@dataclass(frozen=True)
class _Projection:
    """Longitude and latitude to the map's units: equirectangular, true to scale at the
    middle latitude (a city is small enough)."""

    west: float
    north: float
    scale_x: float
    scale_y: float
    height: int

    def point(self, longitude: float, latitude: float) -> tuple[int, int]:
        return (
            round((longitude - self.west) * self.scale_x),
            round((self.north - latitude) * self.scale_y),
        )


def _projection(positions: list[tuple[float, float]]) -> _Projection:
    longitudes = [lon for lon, _lat in positions]
    latitudes = [lat for _lon, lat in positions]
    west, east = min(longitudes), max(longitudes)
    south, north = min(latitudes), max(latitudes)
    shrink = math.cos(math.radians((south + north) / 2))
    # At least about 1 km across, and never narrower than half its height or wider than
    # twice it, with a margin for the points.
    span_x = max((east - west) * shrink, 0.01)
    span_y = max(north - south, 0.01)
    span_x, span_y = max(span_x, span_y / 2), max(span_y, span_x / 2)
    margin = 0.05 * max(span_x, span_y)
    middle_x, middle_y = (west + east) / 2, (south + north) / 2
    scale = MAP_WIDTH / (span_x + 2 * margin)
    west = middle_x - (span_x / 2 + margin) / shrink
    north = middle_y + span_y / 2 + margin
    return _Projection(
        west=west,
        north=north,
        scale_x=scale * shrink,
        scale_y=scale,
        height=round((span_y + 2 * margin) * scale),
    )


def _outline(boundary: list[Polygon], projection: _Projection) -> str:
    """The SVG path of the outline's rings, with at most `OUTLINE_POINTS` points in all."""
    rings = []
    for polygon in boundary:
        for ring in polygon:
            points: list[tuple[int, int]] = []
            for longitude, latitude in ring:
                point = projection.point(longitude, latitude)
                if not points or points[-1] != point:
                    points.append(point)
            rings.append(points)
    total = sum(len(points) for points in rings)
    step = max(1, math.ceil(total / OUTLINE_POINTS))
    path = []
    for points in rings:
        kept = points[::step]
        if len(kept) < 3:
            continue
        path.append("M" + " ".join(f"{x} {y}" for x, y in kept) + "Z")
    return "".join(path)


def _radius(count: int) -> int:
    return min(10 + round(5 * math.sqrt(count - 1)), 40)


def places_map(places: Places, boundary: list[Polygon]) -> SafeString | None:
    """The places drawn as dots within the outline (or, without one, around them), a dot's
    size growing with its requests; None when there is no place to draw."""
    if not places.places:
        return None
    positions = [(float(p.longitude), float(p.latitude)) for p in places.places]
    positions += [position for polygon in boundary for ring in polygon for position in ring]
    projection = _projection(positions)
    outline = _outline(boundary, projection)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="{}" fill="{}"/>',
        (
            (
                *projection.point(float(place.longitude), float(place.latitude)),
                _radius(place.count),
                OPEN_FILL if place.open else CLOSED_FILL,
            )
            for place in places.places
        ),
    )
    label = ngettext(
        "Carte de %(count)s lieu où des requêtes publiques ont été signalées. La liste "
        "ci-dessous les donne en texte.",
        "Carte des %(count)s lieux où des requêtes publiques ont été signalées. La liste "
        "ci-dessous les donne en texte.",
        len(places.places),
    ) % {"count": charts.number_text(len(places.places))}
    return format_html(
        '<svg class="request-map" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">'
        "{}"
        '<g fill-opacity="0.8" stroke="#ffffff" stroke-width="2">{}</g></svg>',
        MAP_WIDTH,
        projection.height,
        label,
        format_html(
            '<path d="{}" fill="{}" stroke="{}" stroke-width="3" fill-rule="evenodd"/>',
            outline,
            OUTLINE_FILL,
            OUTLINE_STROKE,
        )
        if outline
        else "",
        dots,
    )


def map_legend() -> SafeString:
    return format_html_join(
        "",
        '<li><svg class="agora-legend__key" width="14" height="14" aria-hidden="true" '
        'focusable="false"><circle cx="7" cy="7" r="6" fill="{}"/></svg>{}</li>',
        [
            (OPEN_FILL, _("Au moins une requête ouverte")),
            (CLOSED_FILL, _("Requêtes toutes fermées")),
        ],
    )
