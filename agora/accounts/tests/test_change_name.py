"""A resident corrects the name shown with what they publish."""

import pytest
from django.test import Client

from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.support import url
from agora.core.tests.html import find

pytestmark = pytest.mark.django_db

PAGE = url("account_change_name")


def test_the_new_name_is_saved_and_the_resident_returns_to_their_account(client: Client) -> None:
    resident = ResidentFactory.create(first_name="Mari", last_name="Roi")
    client.force_login(resident)

    response = client.post(PAGE, {"first_name": " Marie ", "last_name": "Roy"})

    assert response["Location"] == url("account_home")
    resident.refresh_from_db()
    assert resident.public_name == "Marie Roy"


def test_the_form_starts_from_the_current_name(client: Client) -> None:
    client.force_login(ResidentFactory.create(first_name="Marie", last_name="Roy"))

    response = client.get(PAGE)

    assert find(response.content, "input", name="first_name")["value"] == "Marie"
    assert find(response.content, "input", name="last_name")["value"] == "Roy"


def test_an_empty_name_is_refused_and_announced(client: Client) -> None:
    resident = ResidentFactory.create(first_name="Marie", last_name="Roy")
    client.force_login(resident)

    response = client.post(PAGE, {"first_name": "", "last_name": "Roy"})

    assert response.status_code == 200
    summary = find(response.content, "div", class_="error-summary")
    assert find(summary, "a", href="#id_first_name")
    assert find(response.content, "input", name="first_name")["aria-invalid"] == "true"
    resident.refresh_from_db()
    assert resident.first_name == "Marie"
