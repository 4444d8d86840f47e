"""The web app manifest makes the portal installable on a phone's home screen, in the city's
name and colours, opening on the home page of the language it was installed from."""

from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agora.core.models import Branding
from agora.core.tests.html import find
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db


def manifest_url(language: str) -> str:
    with translation.override(language):
        return reverse("manifest")


def get_manifest(client: Client, language: str = "fr") -> dict[str, Any]:
    response = client.get(manifest_url(language))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest: dict[str, Any] = response.json()
    return manifest


@pytest.fixture
def manifest(client: Client, branding: Branding) -> dict[str, Any]:
    return get_manifest(client)


def test_the_manifest_names_the_city(manifest: dict[str, Any], branding: Branding) -> None:
    assert manifest["name"] == branding.municipality_name
    assert manifest["short_name"] == branding.short_name
    assert len(manifest["short_name"]) <= 12


def test_the_manifest_opens_the_portal_as_a_standalone_app(manifest: dict[str, Any]) -> None:
    assert manifest["display"] == "standalone"
    assert manifest["scope"] == "/"
    assert manifest["background_color"] == "#ffffff"


@pytest.mark.parametrize(("language", "lang"), [("fr", "fr-CA"), ("en", "en-CA")])
def test_the_installed_app_opens_on_the_home_page_of_its_language(
    client: Client, branding: Branding, language: str, lang: str
) -> None:
    manifest = get_manifest(client, language)

    assert manifest["start_url"] == f"/{language}/"
    assert manifest["lang"] == lang


def test_the_manifest_describes_the_portal_in_each_language(
    client: Client, branding: Branding
) -> None:
    assert get_manifest(client, "fr")["description"] != get_manifest(client, "en")["description"]


def test_the_manifest_takes_the_city_colour(client: Client, branding: Branding) -> None:
    branding.primary_colour = "#123456"
    branding.save()

    assert get_manifest(client)["theme_color"] == "#123456"


def test_the_manifest_offers_192_512_and_maskable_icons(manifest: dict[str, Any]) -> None:
    icons = {(icon["sizes"], icon.get("purpose", "any")): icon for icon in manifest["icons"]}

    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    assert icons[("192x192", "any")]["src"] == static("core/icons/icon-192.png")
    assert icons[("512x512", "any")]["src"] == static("core/icons/icon-512.png")
    assert icons[("512x512", "maskable")]["src"] == static("core/icons/maskable-512.png")
    assert all(icon["type"] == "image/png" for icon in manifest["icons"])


@pytest.mark.parametrize(
    ("path", "size"),
    [
        ("core/icons/icon-192.png", 192),
        ("core/icons/icon-512.png", 512),
        ("core/icons/maskable-512.png", 512),
    ],
)
def test_the_icon_files_exist_at_their_announced_size(path: str, size: int) -> None:
    found = finders.find(path)
    assert found, path
    with open(found, "rb") as icon:
        header = icon.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    assert (width, height) == (size, size)


def test_the_svg_icon_exists() -> None:
    assert finders.find("core/icons/icon.svg")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_pages_link_the_manifest_of_their_language(
    client: Client, home: HomePage, english_home: HomePage, language: str
) -> None:
    response = client.get(f"/{language}/")

    assert find(response.content, "link", rel="manifest")["href"] == manifest_url(language)
