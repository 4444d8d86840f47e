"""Choosing what to report (/fr/requetes/): the offered services by theme, a search box that
works without JavaScript and ignores accents and case, and the form to follow a request."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from agora.citizen_requests.models import RequestService
from agora.citizen_requests.tests.catalogue_factories import ServiceFactory, ThemeFactory
from agora.core.navigation import MenuItem
from agora.core.tests.html import find, find_all, text_of

pytestmark = pytest.mark.django_db


def choose_url() -> str:
    return reverse("citizen_requests:choose")


def service_links(content: bytes) -> list[str]:
    return [link.text for link in find_all(content, "a") if "/signaler/" in link["href"]]


@pytest.fixture
def catalogue() -> list[RequestService]:
    roads = ThemeFactory.create(name_fr="Voirie", position=1)
    collections = ThemeFactory.create(name_fr="Collectes", position=2)
    return [
        ServiceFactory.create(
            group=collections, name_fr="Bac brun non ramassé", keywords_fr="compost, résidus"
        ),
        ServiceFactory.create(
            group=roads,
            name_fr="Nid-de-poule",
            description_fr="Un trou dans la chaussée.",
            keywords_fr="asphalte",
        ),
        ServiceFactory.create(group=roads, name_fr="Lampadaire éteint"),
        ServiceFactory.create(group=roads, name_fr="Service retiré", active=False),
    ]


def test_the_offered_services_are_listed_by_theme_with_their_description(
    client: Client, catalogue: list[RequestService]
) -> None:
    response = client.get(choose_url())

    assert response.status_code == 200
    assert [heading.text for heading in find_all(response.content, "h2")][:2] == [
        "Voirie",
        "Collectes",
    ]
    assert service_links(response.content) == [
        "Lampadaire éteint",
        "Nid-de-poule",
        "Bac brun non ramassé",
    ]
    assert "Un trou dans la chaussée." in text_of(response.content)
    assert "Service retiré" not in text_of(response.content)
    pothole = catalogue[1]
    link = find(response.content, "a", href=reverse("citizen_requests:place", args=[pothole.code]))
    assert link.text == "Nid-de-poule"


def test_the_search_ignores_accents_and_case_and_reads_keywords(
    client: Client, catalogue: list[RequestService]
) -> None:
    assert service_links(client.get(choose_url(), {"q": "LAMPADAIRE ETEINT"}).content) == [
        "Lampadaire éteint"
    ]
    assert service_links(client.get(choose_url(), {"q": "résidus"}).content) == [
        "Bac brun non ramassé"
    ]
    assert service_links(client.get(choose_url(), {"q": "chaussee"}).content) == ["Nid-de-poule"]


def test_a_search_without_result_says_so_and_links_back_to_all(
    client: Client, catalogue: list[RequestService]
) -> None:
    response = client.get(choose_url(), {"q": "piscine"})

    assert service_links(response.content) == []
    assert "Aucun service ne correspond à « piscine »." in text_of(response.content)
    links = [link.text for link in find_all(response.content, "a", href=choose_url())]
    assert "Voir tous les services" in links


def test_a_withdrawn_service_is_not_found_by_the_search(
    client: Client, catalogue: list[RequestService]
) -> None:
    assert service_links(client.get(choose_url(), {"q": "retiré"}).content) == []


def test_a_request_can_be_followed_by_its_number(client: Client) -> None:
    response = client.get(choose_url())

    form = find(response.content, "form", action=reverse("citizen_requests:lookup"))
    assert form["method"] == "get"
    assert find(form, "input", name="numero")["type"] == "text"


def test_the_list_takes_two_queries_at_most(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    ServiceFactory.create()
    client.get(choose_url())  # the site, the branding and the menu are cached from here on
    with CaptureQueriesContext(connection) as few:
        client.get(choose_url())
    listing = [query for query in few.captured_queries if "citizen_requests_" in query["sql"]]
    assert len(listing) <= 2
    for position in range(3):
        ServiceFactory.create_batch(4, group=ThemeFactory.create(position=position))

    # As many queries for 13 services in 4 themes, searched or not, as for one.
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(choose_url())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(choose_url(), {"q": "poule"})


def test_the_main_menu_leads_to_requests_while_services_are_offered() -> None:
    from agora.citizen_requests.navigation import requests_item

    assert requests_item() is None

    ServiceFactory.create()

    assert requests_item() == MenuItem(title="Requêtes", url=choose_url())
