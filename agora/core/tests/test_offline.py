"""The offline page: what a resident sees when the network is gone (cached by the service
worker at install, so it must answer 200 in each language)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agora.core.models import Branding
from agora.core.tests.html import find
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "lang"), [("fr", "fr-CA"), ("en", "en-CA")])
def test_the_offline_page_answers_in_each_language(
    client: Client, home: HomePage, branding: Branding, language: str, lang: str
) -> None:
    with translation.override(language):
        url = reverse("offline")
        heading = translation.gettext("Vous êtes hors ligne")

    response = client.get(url)

    assert response.status_code == 200
    assert find(response.content, "html")["lang"] == lang
    assert find(response.content, "h1").text == heading


def test_the_offline_page_works_before_any_content_exists(client: Client, db: None) -> None:
    assert client.get("/fr/hors-ligne/").status_code == 200
