"""`/accounts/login/`, where people and tools look for a site's login page, leads to Agora's
login page in the visitor's language."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def login_in(language: str) -> str:
    with translation.override(language):
        return reverse("account_login")


def test_it_leads_to_the_french_login_page_by_default(client: Client) -> None:
    response = client.get("/accounts/login/")

    assert response.status_code == 302
    assert response["Location"] == login_in("fr")


def test_a_browser_set_to_english_gets_the_english_login_page(client: Client) -> None:
    response = client.get("/accounts/login/", headers={"accept-language": "en-CA,en;q=0.8"})

    assert response["Location"] == login_in("en")
    assert "Accept-Language" in response["Vary"]


def test_the_language_the_visitor_chose_wins_over_the_browsers(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/accounts/login/", headers={"accept-language": "fr-CA"})

    assert response["Location"] == login_in("en")


def test_where_to_go_after_logging_in_is_kept(client: Client) -> None:
    response = client.get("/accounts/login/", {"next": "/fr/projets/"})

    assert response["Location"] == f"{login_in('fr')}?next=%2Ffr%2Fprojets%2F"


def test_it_arrives_on_the_login_form(client: Client) -> None:
    response = client.get("/accounts/login/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(login_in("fr"), 302)]
    assert b'name="login"' in response.content
