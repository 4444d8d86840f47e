"""/fr/compte/organisations/nouvelle/: the form to create an organisation's profile."""

import pytest
from django.test import Client

from agora.accounts.models import Organisation, User
from agora.accounts.tests.team_factories import resident
from agora.core.tests.html import find, find_all, text_of
from agora.core.tests.responses import ClientResponse
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

URL = "/fr/compte/organisations/nouvelle/"


@pytest.fixture
def person(home: HomePage) -> User:
    return resident()


@pytest.fixture
def client(person: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    return client


def _post(client: Client, **fields: str) -> ClientResponse:
    page = client.get(URL)
    token = find(page.content, "input", name="csrfmiddlewaretoken")["value"]
    return client.post(URL, {"csrfmiddlewaretoken": token, **fields})


def test_a_visitor_is_asked_to_log_in(home: HomePage) -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]


def test_every_field_has_a_label(client: Client) -> None:
    response = client.get(URL)

    form = find(response.content, "main")
    for name in ("name", "description", "website"):
        field = find(form, "*", name=name)
        assert find(response.content, "label", for_=field["id"]).text
    assert find(response.content, "legend").text == "Type d'organisation"
    assert len(find_all(response.content, "input", type="radio", name="kind")) == 3


def test_a_resident_creates_a_profile_and_finds_it_in_their_list(
    client: Client, person: User
) -> None:
    response = _post(
        client,
        name="Comité du parc",
        kind="committee",
        description="Les voisins du parc.",
        website="https://parc.example.org",
    )

    assert response.status_code == 302
    assert response["Location"] == "/fr/compte/organisations/"
    organisation = Organisation.objects.get()
    assert list(organisation.members.all()) == [person]
    listing = client.get(response["Location"])
    assert "Comité du parc" in text_of(listing.content)
    assert "Le profil de Comité du parc est créé." in text_of(listing.content)


def test_errors_are_summarised_linked_to_their_fields_and_nothing_is_written(
    client: Client,
) -> None:
    response = _post(client, name="", kind="", description="", website="pas une adresse")

    assert response.status_code == 200
    summary = find(response.content, "div", class_="error-summary")
    assert summary["role"] == "alert"
    links = [a["href"] for a in find_all(summary, "a")]
    assert links == ["#id_name", "#id_kind_0", "#id_website"]
    name = find(response.content, "input", name="name")
    assert name["aria-invalid"] == "true"
    assert "id_name_error" in name["aria-describedby"]
    assert not Organisation.objects.exists()


def test_a_form_without_its_csrf_token_is_refused(client: Client) -> None:
    response = client.post(URL, {"name": "Club", "kind": "association"})

    assert response.status_code == 403
    assert not Organisation.objects.exists()
