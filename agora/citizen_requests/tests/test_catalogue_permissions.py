"""Who may manage the catalogue of requests and the municipality's boundary in /gestion/
(docs/roles.md): administrators; every other role of the team, residents and visitors are
refused on every screen, and nothing is written."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Site
from wagtail.permissions import policy_registry

from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    client_of,
    department_manager,
    resident,
)
from agora.citizen_requests.models import (
    RequestService,
    RequestSettings,
    ServiceAttribute,
    ServiceGroup,
)
from agora.citizen_requests.tests.catalogue_factories import AttributeFactory
from agora.core.models import AuditEntry
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

REFUSED: dict[str, Callable[[], User | None]] = {
    "department manager": lambda: department_manager(DepartmentFactory.create()),
    "project moderator": lambda: UserFactory.create(roles=[Role.PROJECT_MODERATOR]),
    "communications": lambda: UserFactory.create(roles=[Role.COMMUNICATIONS]),
    "clerk": lambda: UserFactory.create(roles=[Role.CLERK]),
    "elected official": lambda: UserFactory.create(roles=[Role.ELECTED_OFFICIAL]),
    "resident": resident,
    "anonymous": lambda: None,
}


def _client(person: User | None) -> Client:
    return client_of(person) if person is not None else Client()


def _screens(attribute: ServiceAttribute) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, address, data) of every screen of the catalogue and of the boundary."""
    service, theme = attribute.service, attribute.service.group
    question = [service.pk, attribute.pk]
    theme_data = {"name_fr": "Rues", "name_en": "Streets", "slug": "rues", "position": "0"}
    question_data = {"kind": "string", "code": "autre", "description_fr": "Autre?"}
    return [
        ("get", reverse("request_themes:index"), {}),
        ("post", reverse("request_themes:add"), theme_data),
        ("post", reverse("request_themes:edit", args=[theme.pk]), theme_data),
        ("post", reverse("request_themes:delete", args=[theme.pk]), {}),
        ("get", reverse("request_services:index"), {}),
        ("get", reverse("request_services:edit", args=[service.pk]), {}),
        ("post", reverse("request_services:delete", args=[service.pk]), {}),
        ("get", reverse("request_services:attribute_add", args=[service.pk]), {}),
        ("post", reverse("request_services:attribute_add", args=[service.pk]), question_data),
        ("post", reverse("request_services:attribute_edit", args=question), question_data),
        ("post", reverse("request_services:attribute_delete", args=question), {}),
        ("post", reverse("request_services:attribute_move", args=question), {"direction": "up"}),
        ("post", _boundary_url(), {"boundary": ""}),
    ]


def _boundary_url() -> str:
    site = Site.objects.get(is_default_site=True)
    return f"/gestion/settings/citizen_requests/requestsettings/{site.pk}/"


def test_an_administrator_opens_every_screen_of_the_catalogue(home: HomePage) -> None:
    attribute = AttributeFactory.create()
    client = client_of(administrator())
    for method, url, _data in _screens(attribute):
        if method == "get":
            assert client.get(url).status_code == 200, url
    assert client.get(_boundary_url()).status_code == 200


@pytest.mark.parametrize("role", REFUSED)
def test_other_people_are_refused_every_screen_and_nothing_is_written(
    role: str, home: HomePage
) -> None:
    person = REFUSED[role]()
    attribute = AttributeFactory.create(description_fr="Profondeur?")
    client = _client(person)
    for method, url, data in _screens(attribute):
        response = getattr(client, method)(url, data)
        if person is None:
            assert response.status_code == 302, url
            assert "/login/" in response["Location"] or "connexion" in response["Location"], url
        elif url == _boundary_url() and role != "resident":
            # Wagtail's settings screen, as for the branding: back to the dashboard.
            assert (response.status_code, response["Location"]) == (302, "/gestion/"), url
        else:
            assert response.status_code == 403, url
    if person is not None:
        policy = policy_registry.get_by_type(RequestSettings)
        assert not policy.user_has_permission(person, "change")
    assert not RequestSettings.objects.exists()
    assert ServiceGroup.objects.count() == 1
    assert RequestService.objects.count() == 1
    assert ServiceAttribute.objects.get().description_fr == "Profondeur?"
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "role", [role for role in REFUSED if role not in ("resident", "anonymous")]
)
def test_the_team_does_not_see_the_requests_menu(role: str) -> None:
    person = REFUSED[role]()
    assert person is not None
    html = client_of(person).get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("request_services:index") not in html
    assert "/gestion/settings/citizen_requests/" not in html
