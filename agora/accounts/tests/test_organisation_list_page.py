"""/fr/compte/organisations/: a resident's organisations, verified ones marked as such."""

import pytest
from django.test import Client

from agora.accounts.tests.team_factories import (
    OrganisationFactory,
    administrator,
    resident,
    verified,
)
from agora.core.tests.html import find, find_all, text_of
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

URL = "/fr/compte/organisations/"


def test_a_visitor_is_asked_to_log_in(home: HomePage) -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/fr/compte/login/?next=")


def test_a_resident_sees_the_organisations_they_represent_and_only_those(home: HomePage) -> None:
    person = resident()
    mine = OrganisationFactory.create(name="Comité du parc", members=[person])
    verified(OrganisationFactory.create(name="Club vérifié", members=[person]), by=administrator())
    OrganisationFactory.create(name="Organisme d'un autre", members=[resident()])
    client = Client()
    client.force_login(person)

    response = client.get(URL)

    assert response.status_code == 200
    cards = find_all(response.content, "li", class_="card")
    assert [find(card, "h2").text for card in cards] == ["Club vérifié", "Comité du parc"]
    assert "vérifiée" in text_of(find(cards[0], "strong", class_="badge"))
    assert not find_all(cards[1], "strong", class_="badge")
    assert find(cards[1], "a", href=f"/fr/compte/organisations/{mine.pk}/modifier/")
    assert "Organisme d'un autre" not in text_of(response.content)


def test_a_resident_without_organisations_is_invited_to_create_one(home: HomePage) -> None:
    client = Client()
    client.force_login(resident())

    response = client.get(URL)

    assert "aucune organisation" in text_of(response.content)
    assert find(response.content, "a", href="/fr/compte/organisations/nouvelle/")


def test_the_page_exists_in_english(home: HomePage) -> None:
    client = Client()
    client.force_login(resident())

    assert client.get("/en/account/organisations/").status_code == 200
