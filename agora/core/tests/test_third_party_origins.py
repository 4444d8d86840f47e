"""No page of the public site nor of /gestion/ makes a browser ask anything of another origin:
no avatar from gravatar.com for the staff, no font, script or picture from elsewhere for the
residents. The one exception is the map tile server the city chose, named only in the
settings of a map that waits for the visitor's consent (and in the policy that allows it).

The pages are found by following links on the demo city, from the home pages, the account
pages and the staff dashboard: one page of each kind (its address with numbers left out)."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agora.accounts.demo import DEMO_ADMIN_EMAIL, DEMO_RESIDENT_EMAIL, DEMO_TEAM
from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.core.tests.crawl import crawl_pages
from agora.core.tests.html import find_all
from agora.core.tests.origins import (
    Address,
    addresses,
    matches_origin,
    origin_of,
    third_party_addresses,
)
from tests.databases import SeededDemo

pytestmark = pytest.mark.django_db

OWN_ORIGIN = "http://testserver"
# Every kind of page the menus lead to, in about fifteen seconds per crawl.
PAGES_PER_CRAWL = 50
MAP_PAGE = "/fr/projets/parc-riverain/"  # its ideas are placed on a map


def signed_in(email: str) -> Client:
    client = Client(raise_request_exception=False)  # pages that fail are other tests' concern
    client.force_login(User.objects.get(email=email))
    return client


def moderator_email() -> str:
    return next(email for role, email, *_names in DEMO_TEAM if role == Role.PROJECT_MODERATOR)


def crawl(client: Client, start: list[str], within: tuple[str, ...]) -> dict[str, list[Address]]:
    """The addresses of each HTML page reached from `start` (crawl.py)."""
    return {
        url: list(addresses(response))
        for url, response in crawl_pages(client, start, within, limit=PAGES_PER_CRAWL).items()
    }


def third_parties(pages: dict[str, list[Address]]) -> list[str]:
    return [
        f"{url}: {address.where} {address.url}"
        for url, found in pages.items()
        for address in third_party_addresses(
            found, own_origin=OWN_ORIGIN, tile_origin=settings.MAP_TILE_ORIGIN
        )
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_public_pages_ask_nothing_of_another_origin(demo_city: SeededDemo, language: str) -> None:
    with translation.override(language):
        search, login = reverse("search") + "?q=parc", reverse("account_login")
    pages = crawl(
        Client(raise_request_exception=False), [f"/{language}/", search], (f"/{language}/",)
    )

    assert len(pages) >= 25, list(pages)
    assert any(urlsplit(url).path == login for url in pages), "the header leads to the login"
    assert third_parties(pages) == []


def test_a_residents_account_pages_ask_nothing_of_another_origin(demo_city: SeededDemo) -> None:
    account_home = reverse("account_home")
    account_area = account_home.rstrip("/").rpartition("/")[0] + "/"

    pages = crawl(signed_in(DEMO_RESIDENT_EMAIL), [account_home], (account_area,))

    assert len(pages) >= 5, list(pages)
    assert third_parties(pages) == []


@pytest.mark.parametrize("email", [DEMO_ADMIN_EMAIL, moderator_email()], ids=["admin", "moderator"])
def test_staff_pages_ask_nothing_of_another_origin(demo_city: SeededDemo, email: str) -> None:
    pages = crawl(signed_in(email), ["/gestion/"], ("/gestion/",))

    assert len(pages) >= 20, list(pages)
    assert third_parties(pages) == []


def test_staff_avatars_are_not_asked_of_gravatar(demo_city: SeededDemo) -> None:
    dashboard = signed_in(DEMO_ADMIN_EMAIL).get("/gestion/")

    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    images = [image.attrs.get("src", "") for image in find_all(dashboard.content, "img")]
    avatars = [src for src in images if "avatar" in src]
    assert avatars, "the dashboard shows the staff member's avatar"
    assert all(origin_of(src, OWN_ORIGIN) == OWN_ORIGIN for src in avatars), avatars
    assert b"gravatar" not in dashboard.content


def test_the_tile_server_is_named_only_by_maps_that_wait_for_consent(
    demo_city: SeededDemo,
) -> None:
    response = Client().get(MAP_PAGE)
    assert response.status_code == 200

    named = [
        address
        for address in addresses(response)
        if matches_origin(origin_of(address.url, OWN_ORIGIN), settings.MAP_TILE_ORIGIN)
    ]

    places = {address.where for address in named if not address.after_consent}
    assert places == {"Content-Security-Policy img-src"}
    assert any(address.after_consent for address in named), "the page has a map"


def test_the_check_sees_every_way_a_page_can_reach_another_origin() -> None:
    """What the crawls rely on: each place an address hides, and the two the tiles may use."""
    page = HttpResponse(
        """<link rel="stylesheet" href="https://fonts.example/family.css">
        <img src="//www.gravatar.com/avatar/0f1e" srcset="/a.png 1x, https://cdn.example/b.png 2x">
        <form action="https://forms.example/send"></form>
        <p style="background: url('https://pictures.example/sky.png')"></p>
        <script type="application/json" id="props">
          {"avatarUrl": "//www.gravatar.com/avatar/0f1e", "url": "https://guide.example/"}
        </script>
        <a href="https://www.example.org/">A link a person follows</a>
        <div data-map="carte"><div data-map-consent hidden></div>
          <script type="application/json" id="carte-config">
            {"tiles": "https://tiles.example/{z}/{x}/{y}.png"}
          </script>
        </div>
        <script type="application/json" id="shown-at-once">
          {"tiles": "https://tiles.example/{z}/{x}/{y}.png"}
        </script>""",
        headers={
            "Content-Security-Policy": (
                "default-src 'self'; img-src 'self' data: https://tiles.example; "
                "script-src 'self' cdn.example; frame-ancestors *"
            )
        },
    )

    found = third_party_addresses(
        addresses(page), own_origin=OWN_ORIGIN, tile_origin="https://tiles.example"
    )

    assert sorted((address.where, address.url) for address in found) == [
        ("<form action>", "https://forms.example/send"),
        ("<img src>", "//www.gravatar.com/avatar/0f1e"),
        ("<img srcset>", "https://cdn.example/b.png"),
        ("<link href>", "https://fonts.example/family.css"),
        ("<p style>", "https://pictures.example/sky.png"),
        ("Content-Security-Policy script-src", "//cdn.example"),
        ("JSON of #props", "//www.gravatar.com/avatar/0f1e"),
        ("JSON of #shown-at-once", "https://tiles.example/{z}/{x}/{y}.png"),
    ]
