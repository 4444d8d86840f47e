"""theme.css carries the city's colours; its address changes with them, so browsers that keep
it for a year still fetch the new colours at once."""

import re

import pytest
from django.test import Client
from pytest_django import Settings

from agora.core.colours import darken
from agora.core.models import Branding
from agora.core.tests.html import find
from agora.core.tests.responses import ClientResponse
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db


def theme_link(response: ClientResponse) -> str:
    links: list[str] = [
        href
        for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', response.content.decode())
        if href.startswith("/theme.css")
    ]
    assert len(links) == 1
    return links[0]


def test_theme_css_carries_the_city_colours_and_their_darker_shades(
    client: Client, branding: Branding
) -> None:
    branding.primary_colour = "#123456"
    branding.accent_colour = "#654321"
    branding.save()

    response = client.get("/theme.css")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    assert "--colour-primary:#123456;" in css
    assert "--colour-accent:#654321" in css
    assert f"--colour-primary-dark:{darken('#123456', 0.25)};" in css
    assert f"--colour-accent-dark:{darken('#654321', 0.25)}" in css


def test_theme_css_is_kept_by_browsers_for_a_year_under_the_address_of_its_version(
    client: Client, branding: Branding
) -> None:
    cache_control = client.get(f"/theme.css?v={branding.version}")["Cache-Control"]

    assert "public" in cache_control
    assert "max-age=31536000" in cache_control
    assert "immutable" in cache_control


def test_an_old_theme_address_gets_todays_colours_kept_only_for_a_minute(
    client: Client, branding: Branding
) -> None:
    """Otherwise a city that went back to its old colours would show the wrong ones for a year."""
    old_version = branding.version
    branding.primary_colour = "#123456"
    branding.save()

    response = client.get(f"/theme.css?v={old_version}")

    assert "--colour-primary:#123456;" in response.content.decode()
    assert "max-age=60" in response["Cache-Control"]
    assert "immutable" not in response["Cache-Control"]


def test_pages_link_a_new_theme_address_when_the_colours_change(
    client: Client, home: HomePage, branding: Branding
) -> None:
    before = theme_link(client.get(home.url))

    branding.primary_colour = "#123456"
    branding.save()
    response = client.get(home.url)
    after = theme_link(response)

    assert after != before
    assert client.get(after).content.decode().count("#123456") == 1
    assert find(response.content, "meta", name="theme-color")["content"] == "#123456"


def test_the_theme_address_is_the_same_while_the_colours_stay(
    client: Client, home: HomePage, branding: Branding
) -> None:
    first = theme_link(client.get(home.url))
    branding.phone = "450 555-0100"
    branding.save()

    assert theme_link(client.get(home.url)) == first


def test_cached_pages_link_the_new_theme_after_rebranding(
    settings: Settings, home: HomePage, branding: Branding
) -> None:
    settings.PAGE_CACHE_SECONDS = 300
    client = Client()
    before = theme_link(client.get(home.url))
    cached = client.get(home.url)
    assert cached["X-Agora-Cache"] == "hit"
    assert theme_link(cached) == before

    branding.accent_colour = "#654321"
    branding.save()

    assert theme_link(client.get(home.url)) != before
