"""Site links every module shares: addresses that work in an e-mail, the city's name from its
branding, and the page a reader of each language sees."""

import pytest
from django.test import RequestFactory
from pytest_django import Settings
from wagtail.models import Site

from agora.core import links
from agora.core.models import Branding
from agora.pages.models import HomePage
from agora.pages.tests.factories import StandardPageFactory, translate

pytestmark = pytest.mark.django_db


def test_an_address_in_a_message_is_built_on_the_site_url(settings: Settings) -> None:
    settings.SITE_URL = "https://agora.ville.example/"

    assert links.absolute("/fr/projets/") == "https://agora.ville.example/fr/projets/"


def test_the_city_signs_with_the_name_its_branding_gives(branding: Branding) -> None:
    request = RequestFactory().get("/fr/")

    assert links.municipality_name() == "Ville de Saint-Essai"
    assert links.municipality_name(request) == "Ville de Saint-Essai"


def test_without_a_site_the_city_is_named_after_the_platform(settings: Settings) -> None:
    settings.WAGTAIL_SITE_NAME = "Agora"
    Site.objects.all().delete()

    assert links.municipality_name() == "Agora"


def test_a_reader_gets_the_published_translation_of_a_page(
    home: HomePage, english_home: HomePage, settings: Settings
) -> None:
    settings.SITE_URL = "https://agora.ville.example"
    page = StandardPageFactory.create(parent=home, title="À propos", slug="a-propos")
    english = translate(page, "en", title="About", slug="about")

    assert links.page_in_language(page, "en", fallback=page) == english
    assert links.page_link(english) == "https://agora.ville.example/en/about/"


def test_a_draft_translation_leaves_the_reader_on_the_original(
    home: HomePage, english_home: HomePage
) -> None:
    page = StandardPageFactory.create(parent=home, title="À propos", slug="a-propos")
    translate(page, "en", title="About", slug="about", publish=False)

    assert links.page_in_language(page, "en", fallback=page) == page
    assert links.page_path(page) == "/fr/a-propos/"
