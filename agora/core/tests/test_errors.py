"""Error pages keep the city's look and the visitor's language, and never show a stack trace
or an internal message to the public."""

from typing import Any, NoReturn

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from pytest_django import DjangoAssertNumQueries, Settings

from agora.core import views
from agora.core.models import Branding
from agora.core.tests.html import find, find_all, text_of
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.parametrize(("language", "lang"), [("fr", "fr-CA"), ("en", "en-CA")])
def test_an_unknown_address_answers_404_in_the_branded_layout_and_the_language(
    client: Client, home: HomePage, branding: Branding, language: str, lang: str
) -> None:
    response = client.get(f"/{language}/cette-page-n-existe-pas/")

    assert response.status_code == 404
    assert find(response.content, "html")["lang"] == lang
    assert find(response.content, "h1").text == in_language(language, "Page introuvable")
    assert find(response.content, "span", class_="brand__name").text == branding.municipality_name
    assert find(response.content, "title").text.endswith(branding.municipality_name)
    assert find_all(response.content, "link", rel="stylesheet")
    assert find(response.content, "a", class_="brand")["href"] == f"/{language}/"


def test_the_404_page_offers_the_search_of_its_language(
    client: Client, home: HomePage, branding: Branding
) -> None:
    response = client.get("/en/no-such-page/")

    assert find(response.content, "form", role="search")["action"] == "/en/search/"


def test_a_404_shows_no_debugging_information(
    client: Client, home: HomePage, settings: Settings
) -> None:
    assert settings.DEBUG is False

    body = client.get("/fr/introuvable/").content.decode()

    assert "Traceback" not in body
    assert "URLconf" not in body
    assert "Django" not in body


@pytest.mark.parametrize(("language", "lang"), [("fr", "fr-CA"), ("en", "en-CA")])
def test_a_server_error_shows_the_branded_500_page_without_the_error(
    home: HomePage, monkeypatch: pytest.MonkeyPatch, language: str, lang: str
) -> None:
    def broken(*args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(views, "search_everything", broken)
    client = Client(raise_request_exception=False)

    with translation.override(language):
        url = reverse("search")
    response = client.get(url, {"q": "permis"})

    assert response.status_code == 500
    assert find(response.content, "html")["lang"] == lang
    assert find(response.content, "h1").text == in_language(language, "Une erreur est survenue")
    body = response.content.decode()
    assert "secret internal detail" not in body
    assert "Traceback" not in body
    assert "RuntimeError" not in body


@pytest.mark.parametrize(("language", "lang"), [("fr", "fr-CA"), ("en", "en-CA")])
def test_the_500_handler_renders_in_the_active_language_without_the_database(
    language: str, lang: str, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    request = RequestFactory().get(f"/{language}/")

    with translation.override(language), django_assert_num_queries(0):
        response = views.server_error(request)

    assert response.status_code == 500
    assert find(response.content, "html")["lang"] == lang
    assert find(response.content, "title").text == in_language(language, "Erreur du serveur")
    assert find(response.content, "a")["href"] == f"/{language}/"
    assert find(response.content, "link", rel="stylesheet")["href"] == "/static/core/agora.css"
    assert "Traceback" not in text_of(response.content)
