"""/fr/compte/organisations/<id>/modifier/: its representatives edit the profile."""

import pytest
from django.test import Client

from agora.accounts.models import Organisation, User
from agora.accounts.tests.team_factories import (
    OrganisationFactory,
    administrator,
    client_of,
    resident,
    verified,
)
from agora.core.tests.html import find, text_of
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db


def _form(**fields: str) -> dict[str, str]:
    return {
        "name": "Comité du parc",
        "kind": "committee",
        "description": "Nouvelle description.",
        "website": "",
        **fields,
    }


@pytest.fixture
def person(home: HomePage) -> User:
    return resident()


@pytest.fixture
def organisation(person: User) -> Organisation:
    return OrganisationFactory.create(name="Comité du parc", kind="committee", members=[person])


def _url(organisation: Organisation) -> str:
    return f"/fr/compte/organisations/{organisation.pk}/modifier/"


def test_a_representative_sees_the_profile_in_the_form(
    person: User, organisation: Organisation
) -> None:
    response = client_of(person).get(_url(organisation))

    assert response.status_code == 200
    assert find(response.content, "input", name="name")["value"] == "Comité du parc"


def test_a_representative_saves_changes(person: User, organisation: Organisation) -> None:
    response = client_of(person).post(_url(organisation), _form())

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.description == "Nouvelle description."


def test_someone_who_does_not_represent_it_gets_not_found_and_nothing_changes(
    organisation: Organisation,
) -> None:
    client = client_of(resident())

    assert client.get(_url(organisation)).status_code == 404
    assert client.post(_url(organisation), _form()).status_code == 404
    organisation.refresh_from_db()
    assert organisation.description == "Un organisme du quartier."


def test_a_visitor_is_asked_to_log_in(organisation: Organisation) -> None:
    response = Client().post(_url(organisation), _form())

    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]


def test_renaming_a_verified_profile_says_it_will_be_verified_again(
    person: User, organisation: Organisation
) -> None:
    verified(organisation, by=administrator())
    client = client_of(person)

    response = client.post(_url(organisation), _form(name="Nouveau nom"), follow=True)

    assert "vérifiera de nouveau" in text_of(response.content)
    organisation.refresh_from_db()
    assert not organisation.is_verified


def test_bad_input_is_shown_and_nothing_changes(person: User, organisation: Organisation) -> None:
    response = client_of(person).post(_url(organisation), _form(name=""))

    assert response.status_code == 200
    assert find(response.content, "div", class_="error-summary")
    organisation.refresh_from_db()
    assert organisation.name == "Comité du parc"
