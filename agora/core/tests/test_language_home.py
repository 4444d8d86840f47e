import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("accept_language", "home"),
    [("fr-CA,fr;q=0.9", "/fr/"), ("en-CA,en;q=0.9", "/en/"), ("de-DE", "/fr/"), ("", "/fr/")],
)
def test_the_bare_address_sends_visitors_to_the_home_page_in_their_language(
    accept_language: str, home: str
) -> None:
    # No django_db mark: the redirect is answered without touching the database.
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == home
    # Shared caches must not hand one visitor's language to another.
    assert "Accept-Language" in response["Vary"]
