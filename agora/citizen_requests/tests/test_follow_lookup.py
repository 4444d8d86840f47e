"""Finding a request by its tracking number (/fr/requetes/suivi/?numero=…)."""

import pytest
from django.test import Client
from django.urls import reverse

from agora.citizen_requests.tests.catalogue_factories import ServiceFactory
from agora.citizen_requests.tests.test_follow_status import DESCRIPTION, file, status_url

pytestmark = pytest.mark.django_db


def lookup(client: Client, number: str) -> object:
    return client.get(reverse("citizen_requests:lookup"), {"numero": number})


def test_without_a_number_the_page_offers_the_form(client: Client) -> None:
    response = client.get(reverse("citizen_requests:lookup"))

    assert response.status_code == 200
    assert 'name="numero"' in response.content.decode()


@pytest.mark.parametrize("typed", ["R-2026-000001", "  r-2026-000001 "])
def test_a_known_number_leads_to_its_status_page_whatever_its_case_and_spaces(
    client: Client, typed: str
) -> None:
    request = file().request

    response = client.get(reverse("citizen_requests:lookup"), {"numero": typed})

    assert response.status_code == 302
    assert response["Location"] == status_url(request)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("R-2026-000002", "R-2026-000002"), ("<b>n'importe quoi</b>", "&lt;b&gt;n&#x27;importe")],
)
def test_an_unknown_or_malformed_number_answers_404_with_a_clear_message(
    client: Client, typed: str, shown: str
) -> None:
    file()

    response = client.get(reverse("citizen_requests:lookup"), {"numero": typed})

    html = response.content.decode()
    assert response.status_code == 404
    assert "Aucune requête ne porte le numéro « " in html
    assert shown in html
    assert "Vérifiez le numéro reçu par courriel." in html
    assert 'name="numero"' in html
    assert "<b>" not in html


def test_a_private_request_is_found_without_revealing_its_content(client: Client) -> None:
    request = file(ServiceFactory.create(public=False)).request

    response = client.get(reverse("citizen_requests:lookup"), {"numero": request.tracking_number})
    page = client.get(response["Location"])

    assert response.status_code == 302
    assert DESCRIPTION not in page.content.decode()
