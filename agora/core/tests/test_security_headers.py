"""Security headers: public pages forbid any script or style from elsewhere and any inline
code; the staff area, whose editor needs inline code, gets a policy of its own."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from agora.core.tests.responses import ClientResponse
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db


def policy(response: ClientResponse) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [directive.split() for directive in header.split(";") if directive.strip()]
    return {name: values for name, *values in directives}


@pytest.fixture
def public_pages(home: HomePage) -> list[str]:
    return [home.url, "/fr/recherche/?q=permis", "/en/", "/fr/hors-ligne/"]


def test_public_pages_allow_only_their_own_origin(client: Client, public_pages: list[str]) -> None:
    for url in public_pages:
        directives = policy(client.get(url))
        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"] == ["'self'"], url
        assert directives["style-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"], url
        assert directives["frame-ancestors"] == ["'self'"], url
        assert directives["form-action"] == ["'self'"], url


def test_public_pages_forbid_inline_scripts(client: Client, public_pages: list[str]) -> None:
    for url in public_pages:
        directives = policy(client.get(url))
        assert "'unsafe-inline'" not in directives["script-src"], url
        assert "'unsafe-eval'" not in directives["script-src"], url


def test_public_pages_contain_no_inline_script_the_policy_would_block(
    client: Client, home: HomePage
) -> None:
    body = client.get(home.url).content.decode()

    assert "<script>" not in body
    assert " onclick=" not in body
    assert " style=" not in body


def test_error_pages_carry_the_public_policy(client: Client, home: HomePage) -> None:
    directives = policy(client.get("/fr/introuvable/"))

    assert "'unsafe-inline'" not in directives["script-src"]


def test_the_staff_login_page_has_the_staff_policy(client: Client, db: None) -> None:
    response = client.get("/gestion/login/")

    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" in directives["script-src"]
    assert "'unsafe-inline'" in directives["style-src"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]


def test_responses_forbid_content_type_sniffing(client: Client, home: HomePage) -> None:
    for url in (home.url, "/health", "/theme.css", "/sw.js", "/gestion/login/"):
        assert client.get(url)["X-Content-Type-Options"] == "nosniff", url


def test_responses_send_the_referrer_only_to_the_same_origin(
    client: Client, home: HomePage
) -> None:
    for url in (home.url, "/gestion/login/"):
        assert client.get(url)["Referrer-Policy"] == "same-origin", url


def test_public_pages_cannot_be_framed_by_another_site(client: Client, home: HomePage) -> None:
    assert client.get(home.url)["X-Frame-Options"] == "DENY"


def test_the_session_and_language_cookies_are_out_of_reach_of_scripts(settings: Settings) -> None:
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.LANGUAGE_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_the_editor_preview_may_still_be_framed_by_the_staff_area(
    admin_client: Client, home: HomePage
) -> None:
    """X-Frame-Options is DENY, but Wagtail's live preview lives in a frame of /gestion/."""
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[home.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert policy(response)["frame-ancestors"] == ["'self'"]
