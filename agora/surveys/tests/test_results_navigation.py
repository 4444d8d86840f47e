"""The main menu leads to the results hub once a survey's results are public."""

import pytest
from django.test import Client
from django.urls import reverse

from agora.core.tests.html import find, find_all
from agora.core.tests.responses import ClientResponse
from agora.pages.models import HomePage
from agora.surveys.models import ResultsVisibility
from agora.surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def menu(response: ClientResponse) -> list[tuple[str, str]]:
    nav = find(response.content, "nav", class_="main-nav")
    return [(link.text, link["href"]) for link in find_all(nav, "a")]


def test_the_menu_leads_to_the_results_once_some_are_public(client: Client, home: HomePage) -> None:
    SurveyFactory.create(results_visibility=ResultsVisibility.LIVE)

    response = client.get(home.url)

    assert menu(response) == [("Résultats", reverse("results:index"))]


def test_no_results_entry_while_none_is_public(client: Client, home: HomePage) -> None:
    SurveyFactory.create(results_visibility=ResultsVisibility.PRIVATE)

    assert menu(client.get(home.url)) == []


def test_the_entry_is_current_on_the_results_pages(client: Client, home: HomePage) -> None:
    survey = SurveyFactory.create(results_visibility=ResultsVisibility.LIVE)

    response = client.get(reverse("results:detail", args=[survey.slug]))

    nav = find(response.content, "nav", class_="main-nav")
    assert find(nav, "a", aria_current="page").text == "Résultats"
