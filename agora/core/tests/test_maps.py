"""Maps: the tile server comes from the settings (empty turns maps off, its origin joins the
security policy); views build their GeoJSON with agora.core.maps, which refuses what is not
a point or a polygon; the includes render a button and their data, never a resource from
another site, so that nothing reaches the tile server before the visitor asks for the map."""

import json
import secrets
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.template import engines
from django.test import Client
from pytest_django import Settings

from agora.core.maps import (
    MAX_AREA_POSITIONS,
    area_feature,
    feature_collection,
    point_feature,
)
from agora.core.tests.html import find, find_all, text_of
from agora.pages.models import HomePage
from tests.processes import run_python

SQUARE = [[[-73.52, 45.38], [-73.51, 45.38], [-73.51, 45.39], [-73.52, 45.39], [-73.52, 45.38]]]
POLYGON = {"type": "Polygon", "coordinates": SQUARE}
PRINT_MAP_SETTINGS = (
    "import json; import config.settings as s; "
    "print(json.dumps({'url': s.MAP_TILE_URL, 'img_src': [str(v) for v in "
    "s.SECURE_CSP['img-src']], 'center': s.MAP_DEFAULT_CENTER, 'zoom': s.MAP_DEFAULT_ZOOM}))"
)


def start(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """Loads the settings in a clean environment holding only `variables`."""
    arguments = ("-c", PRINT_MAP_SETTINGS)
    return run_python(tmp_path, arguments, **{"SECRET_KEY": secrets.token_urlsafe(64), **variables})


def map_settings_of(tmp_path: Path, **variables: str) -> dict[str, Any]:
    result = start(tmp_path, **variables)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def render(template: str, **context: Any) -> str:
    return engines["django"].from_string("{% load i18n %}" + template).render(context)


def render_map(features: Any, map_id: str = "carte-projet") -> str:
    return render(
        '{% include "core/includes/map.html" with map_id=map_id '
        'map_label=_("Lieu du projet") map_features=features %}',
        map_id=map_id,
        features=features,
    )


class PlaceForm(forms.Form):
    location_name = forms.CharField(label="Lieu", required=False, max_length=200)
    latitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )


def render_picker(form: forms.Form) -> str:
    return render(
        '<form method="post">{% include "core/includes/location_picker.html" with '
        "name_field=form.location_name latitude_field=form.latitude "
        "longitude_field=form.longitude %}</form>",
        form=form,
    )


def assert_no_resource_from_elsewhere(html: str) -> None:
    """Every script, style sheet and image comes from our static files; the only inline
    scripts are JSON data, which the security policy lets through and browsers never run."""
    for element in find_all(html, "script"):
        if "src" in element.attrs:
            assert element["src"].startswith("/static/"), element.attrs
        else:
            assert element["type"] == "application/json", element.attrs
    for element in find_all(html, "link") + find_all(html, "img") + find_all(html, "iframe"):
        assert (element.attrs.get("href") or element.attrs.get("src", "")).startswith("/static/")
    assert " style=" not in html
    assert " on" + "click=" not in html


# Settings


def test_maps_use_openstreetmap_tiles_by_default(tmp_path: Path) -> None:
    loaded = map_settings_of(tmp_path)

    assert loaded["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "https://tile.openstreetmap.org" in loaded["img_src"]
    assert loaded["center"] == [45.389, -73.517]
    assert loaded["zoom"] == 13


def test_an_empty_tile_url_turns_maps_off_and_keeps_the_policy_to_our_own_images(
    tmp_path: Path,
) -> None:
    loaded = map_settings_of(tmp_path, MAP_TILE_URL="")

    assert loaded["url"] == ""
    assert loaded["img_src"] == ["'self'", "data:"]


def test_the_security_policy_allows_images_from_the_chosen_tile_server(tmp_path: Path) -> None:
    loaded = map_settings_of(
        tmp_path,
        MAP_TILE_URL="https://{s}.tuiles.ville.example:8443/{z}/{x}/{y}.png?cle=abc",
        MAP_DEFAULT_CENTER=" 46.81 , -71.21 ",
        MAP_DEFAULT_ZOOM="15",
    )

    assert "https://*.tuiles.ville.example:8443" in loaded["img_src"]
    assert loaded["center"] == [46.81, -71.21]
    assert loaded["zoom"] == 15


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MAP_TILE_URL", "https://tiles.example.org/tile.png"),
        ("MAP_TILE_URL", "ftp://tiles.example.org/{z}/{x}/{y}.png"),
        ("MAP_TILE_URL", "https://tiles-{s}.example.org/{z}/{x}/{y}.png"),
        ("MAP_DEFAULT_CENTER", "45.389"),
        ("MAP_DEFAULT_CENTER", "-73.517,45.389,0"),
        ("MAP_DEFAULT_CENTER", "145.389,-73.517"),
        ("MAP_DEFAULT_ZOOM", "25"),
        ("MAP_DEFAULT_ZOOM", "loin"),
    ],
)
def test_start_up_stops_naming_a_mistyped_map_variable(
    tmp_path: Path, variable: str, value: str
) -> None:
    result = start(tmp_path, **{variable: value})

    assert result.returncode != 0
    assert f"Environment variable {variable}" in result.stderr


def test_production_refuses_tiles_over_plain_http(tmp_path: Path) -> None:
    result = start(
        tmp_path,
        AGORA_PRODUCTION="true",
        ALLOWED_HOSTS="agora.example.org",
        MAP_TILE_URL="http://tiles.example.org/{z}/{x}/{y}.png",
    )

    assert result.returncode != 0
    assert "Environment variable MAP_TILE_URL" in result.stderr


@pytest.mark.django_db
def test_public_pages_allow_images_from_the_tile_server_and_nothing_else(
    client: Client, home: HomePage
) -> None:
    header = client.get(home.url)["Content-Security-Policy"]
    directives = {name: values for name, *values in (d.split() for d in header.split(";"))}

    assert directives["img-src"] == ["'self'", "data:", django_settings.MAP_TILE_ORIGIN]
    assert directives["script-src"] == ["'self'"]


# Helpers that build the GeoJSON


def test_a_point_has_longitude_before_latitude_as_geojson_wants() -> None:
    feature = point_feature(
        latitude=Decimal("45.389000"),
        longitude=Decimal("-73.517000"),
        title="Parc riverain",
        url="/fr/projets/parc-riverain/",
    )

    assert feature == {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-73.517, 45.389]},
        "properties": {"title": "Parc riverain", "url": "/fr/projets/parc-riverain/"},
    }


def test_a_point_without_a_link_has_only_its_title() -> None:
    feature = point_feature(latitude=45.4, longitude=-73.5, title="Idée")

    assert feature["properties"] == {"title": "Idée"}


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(91, 0), (0, -181), (float("nan"), 0), (Decimal("Infinity"), 0)]
)
def test_a_point_off_the_globe_is_refused(latitude: Any, longitude: Any) -> None:
    with pytest.raises(ValueError, match="latitude"):
        point_feature(latitude=latitude, longitude=longitude, title="Ailleurs")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "parc-riverain/"])
def test_a_link_that_is_not_a_web_address_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="link"):
        point_feature(latitude=45.4, longitude=-73.5, title="Idée", url=url)


@pytest.mark.parametrize(
    "geojson",
    [
        POLYGON,
        {"type": "Feature", "geometry": POLYGON, "properties": {"name": "Secteur"}},
        {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": POLYGON}]},
        json.dumps(POLYGON),
    ],
    ids=["geometry", "feature", "collection-of-one", "json-text"],
)
def test_an_area_is_read_from_a_polygon_in_the_shapes_drawing_tools_export(geojson: Any) -> None:
    feature = area_feature(geojson, "Secteur du parc")

    assert feature == {
        "type": "Feature",
        "geometry": POLYGON,
        "properties": {"title": "Secteur du parc"},
    }


def test_an_area_in_several_parts_and_with_a_hole_is_kept() -> None:
    hole = [[-73.515, 45.385], [-73.514, 45.385], [-73.514, 45.386], [-73.515, 45.385]]
    multipolygon = {"type": "MultiPolygon", "coordinates": [[*SQUARE, hole], SQUARE]}

    feature = area_feature(multipolygon, "Deux secteurs")

    assert feature is not None
    assert feature["geometry"] == multipolygon


def test_an_area_keeps_only_its_geometry() -> None:
    feature = area_feature(
        {
            "type": "Feature",
            "geometry": {**POLYGON, "crs": "x"},
            "properties": {"title": "<script>", "url": "javascript:alert(1)"},
        },
        "Secteur",
    )

    assert feature is not None
    assert feature["geometry"] == POLYGON
    assert feature["properties"] == {"title": "Secteur"}


@pytest.mark.parametrize(
    "geojson",
    [
        None,
        "",
        "pas du JSON",
        [1, 2],
        {"type": "Point", "coordinates": [-73.5, 45.4]},
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[[-73.5, 45.4], [-73.4, 45.4], [-73.5, 45.4]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 100], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], ["1", 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [True, 0], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [10**400, 1], [0, 0]]]},
        {"type": "MultiPolygon", "coordinates": []},
        {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": POLYGON}] * 2},
        {"type": "Feature", "geometry": None},
        {"type": "Feature", "geometry": {"type": "Feature", "geometry": POLYGON}},
    ],
)
def test_what_is_not_a_valid_polygon_gives_no_area(geojson: Any) -> None:
    assert area_feature(geojson, "Secteur") is None


def test_an_area_too_detailed_for_a_page_gives_no_area() -> None:
    ring = [[-73.5 + i / 1e6, 45.4] for i in range(MAX_AREA_POSITIONS)]
    ring.append(ring[0])

    assert area_feature({"type": "Polygon", "coordinates": [ring]}, "Secteur") is None


def test_a_collection_leaves_out_the_missing_area() -> None:
    point = point_feature(latitude=45.4, longitude=-73.5, title="Lieu")

    collection = feature_collection([point, area_feature(None, "Secteur")])

    assert collection == {"type": "FeatureCollection", "features": [point]}


# The map include


def test_the_map_waits_behind_a_button_naming_the_tile_server() -> None:
    html = render_map(feature_collection([area_feature(POLYGON, "Secteur")]))

    consent = find(html, "div", data_map_consent="")
    assert "hidden" in consent.attrs  # shown by map.js: without JavaScript, no dead button
    button = find(consent, "button")
    assert button.text == "Afficher la carte"
    assert button["type"] == "button"
    assert button["aria-expanded"] == "false"
    assert "tile.openstreetmap.org" in text_of(consent)
    area = find(html, "div", id=button["aria-controls"])
    assert "hidden" in area.attrs
    assert find(area, "div", id="carte-projet")["aria-label"] == "Lieu du projet"


def test_the_map_carries_its_features_and_settings_as_json_data() -> None:
    features = feature_collection(
        [point_feature(latitude=45.4, longitude=-73.5, title="Idée", url="/fr/idee/3/")]
    )

    html = render_map(features)

    assert json.loads(find(html, "script", id="carte-projet-data").text) == features
    config = json.loads(find(html, "script", id="carte-projet-config").text)
    assert config["tiles"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert config["leaflet_js"] == "/static/vendor/leaflet/leaflet.js"
    assert config["leaflet_css"] == "/static/vendor/leaflet/leaflet.css"


def test_the_map_loads_only_its_own_deferred_script() -> None:
    html = render_map(feature_collection([area_feature(POLYGON, "Secteur")]))

    script = find(html, "script", src="/static/core/map.js")
    assert "defer" in script.attrs
    assert "leaflet" not in " ".join(e.attrs.get("src", "") for e in find_all(html, "script"))
    assert find_all(html, "link") == []
    assert_no_resource_from_elsewhere(html)


def test_a_title_cannot_break_out_of_the_map_data() -> None:
    features = feature_collection(
        [point_feature(latitude=45.4, longitude=-73.5, title="</script><script>alert(1)")]
    )

    html = render_map(features)

    assert "</script><script>alert(1)" not in html
    assert json.loads(find(html, "script", id="carte-projet-data").text) == features


def test_a_keyboard_user_can_skip_past_the_map() -> None:
    html = render_map(feature_collection([area_feature(POLYGON, "Secteur")]))

    skip = find(html, "a", class_="skip-link")
    target = skip["href"].removeprefix("#")
    assert find(html, "*", id=target)["tabindex"] == "-1"


def test_no_map_is_rendered_when_maps_are_off(settings: Settings) -> None:
    settings.MAP_TILE_URL = ""

    html = render_map(feature_collection([area_feature(POLYGON, "Secteur")]))

    assert html.strip() == ""


def test_no_map_is_rendered_without_anything_to_show() -> None:
    assert render_map(feature_collection([area_feature("", "Secteur")])).strip() == ""


# The location picker include


def test_the_place_is_a_labelled_text_field_with_help_that_works_without_javascript() -> None:
    html = render_picker(PlaceForm())

    field = find(html, "input", name="location_name")
    assert find(html, "label", for_=field["id"]).text.startswith("Lieu")
    help_text = find(html, "*", id=field["aria-describedby"])
    assert "adresse" in help_text.text
    assert "placeholder" not in field.attrs
    assert find(html, "input", name="latitude")["type"] == "hidden"
    assert find(html, "input", name="longitude")["type"] == "hidden"


def test_the_form_s_own_help_and_errors_describe_the_place_field() -> None:
    class HelpedForm(PlaceForm):
        location_name = forms.CharField(
            label="Lieu", max_length=5, help_text="Le coin de rue le plus proche."
        )

    html = render_picker(HelpedForm(data={"location_name": "rue trop longue"}))

    field = find(html, "input", name="location_name")
    described_by = field["aria-describedby"].split()
    assert find(html, "*", id=described_by[0]).text == "Le coin de rue le plus proche."
    assert find(html, "ul", id=described_by[1])["class"] == "errorlist"
    assert field["aria-invalid"] == "true"


def test_the_map_of_the_picker_opens_on_request_and_offers_to_remove_the_point() -> None:
    html = render_picker(PlaceForm())

    picker = find(html, "div", class_="location-picker")
    assert picker["data-latitude"] == "id_latitude"
    assert picker["data-longitude"] == "id_longitude"
    consent = find(picker, "div", data_map_consent="")
    assert "hidden" in consent.attrs
    assert find(consent, "button").text == "Choisir sur la carte"
    assert "tile.openstreetmap.org" in text_of(consent)
    remove = find(picker, "button", data_map_clear="")
    assert remove.text == "Retirer le point"
    assert "hidden" in remove.attrs
    assert find(picker, "p", data_map_status="")["role"] == "status"
    skip = find(picker, "a", class_="skip-link")
    assert find(html, "*", id=skip["href"].removeprefix("#"))
    config = json.loads(find(picker, "script", id=f"{picker['data-map']}-config").text)
    assert config["center"] == [45.389, -73.517]
    assert_no_resource_from_elsewhere(html)


def test_the_picker_keeps_a_point_already_chosen() -> None:
    html = render_picker(PlaceForm(data={"latitude": "45.400000", "longitude": "-73.500000"}))

    assert find(html, "input", name="latitude")["value"] == "45.400000"
    assert find(html, "input", name="longitude")["value"] == "-73.500000"


def test_the_picker_is_only_a_text_field_when_maps_are_off(settings: Settings) -> None:
    settings.MAP_TILE_URL = ""

    html = render_picker(PlaceForm())

    assert find(html, "input", name="location_name")
    assert find(html, "input", name="latitude")["type"] == "hidden"
    assert find_all(html, "button") == []
    assert find_all(html, "script") == []
    assert "data-map" not in html


# What the browser downloads


def test_the_map_script_stays_small() -> None:
    path = finders.find("core/map.js")

    assert path is not None
    # 4 KB, and the event that lets a staff screen draw on the map (alerts/draw_area.js).
    assert Path(path).stat().st_size < 4096 + 256


def test_leaflet_and_its_marker_images_are_served_from_our_static_files() -> None:
    leaflet = finders.find("vendor/leaflet/leaflet.js")

    assert leaflet is not None
    assert 't.version="1.9.4"' in Path(leaflet).read_text()
    for name in ("leaflet.css", "LICENSE", "images/marker-icon.png", "images/marker-shadow.png"):
        assert finders.find(f"vendor/leaflet/{name}") is not None, name
