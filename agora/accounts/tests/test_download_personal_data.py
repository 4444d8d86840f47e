"""A resident downloads everything Agora holds about them as a JSON file."""

import json

import pytest
from django.test import Client

from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.support import url

pytestmark = pytest.mark.django_db

DOWNLOAD = url("account_download_data")


def test_the_file_comes_as_an_attachment_holding_the_residents_data(client: Client) -> None:
    resident = ResidentFactory.create(email="marie@example.org")
    ResidentFactory.create(email="voisin@example.org")
    client.force_login(resident)

    response = client.get(DOWNLOAD)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees-agora.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["accounts"]["account"]["email"] == "marie@example.org"
    assert "voisin@example.org" not in response.content.decode()


def test_accented_names_stay_readable_in_the_file(client: Client) -> None:
    client.force_login(ResidentFactory.create(first_name="Hélène"))

    response = client.get(DOWNLOAD)

    assert "Hélène" in response.content.decode()


def test_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(DOWNLOAD)

    assert response["Location"].startswith(url("account_login"))


def test_it_answers_only_get(client: Client) -> None:
    client.force_login(ResidentFactory.create())

    assert client.post(DOWNLOAD).status_code == 405
