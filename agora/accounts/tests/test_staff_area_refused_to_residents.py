"""A signed-in resident who opens /gestion/ reads, in their language, that the staff area is
the city's team's, instead of going round between the login page and /gestion/."""

import pytest
from django.test import Client

from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import UserFactory, client_of, resident
from agora.core.tests.html import find
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db


def test_a_resident_who_opens_the_staff_area_is_told_it_is_the_city_teams(
    home: HomePage,
) -> None:
    response = client_of(resident()).get("/gestion/", follow=True)

    assert response.redirect_chain == []
    assert response.status_code == 403
    assert "Espace réservé à l'équipe de la Ville" in find(response.content, "h1").text
    assert "compte de résident" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_any_screen_of_the_staff_area_gets_the_same_refusal(home: HomePage) -> None:
    response = client_of(resident()).get("/gestion/pages/", follow=True)

    assert response.status_code == 403
    assert response.redirect_chain == []


def test_the_refusal_speaks_the_residents_language(home: HomePage) -> None:
    client = client_of(resident())

    response = client.get("/gestion/", headers={"accept-language": "en"})

    assert response.status_code == 403
    assert find(response.content, "html")["lang"].startswith("en")


def test_a_visitor_who_is_not_signed_in_is_still_asked_to_log_in(home: HomePage) -> None:
    response = Client().get("/gestion/")

    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]


def test_a_member_of_the_team_still_reaches_the_staff_area(home: HomePage) -> None:
    member = UserFactory.create(roles=[Role.COMMUNICATIONS])

    assert client_of(member).get("/gestion/").status_code == 200
