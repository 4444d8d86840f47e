"""The "Modération" menu and its list of projects: shown to those who moderate a project."""

import pytest

from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import UserFactory, administrator, client_of
from agora.core.tests.html import find, find_all
from agora.ideas.models import Visibility
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.ideas.tests.moderation_people import moderator_of, moderator_of_another_project

pytestmark = pytest.mark.django_db

MENU_LINK = b"/gestion/moderation/"


def test_a_moderator_has_the_menu_and_sees_their_projects_only(project):
    user = moderator_of(project)
    moderator_of_another_project(project)
    IdeaFactory(project=project, visibility=Visibility.PENDING)
    CommentFactory(idea=IdeaFactory(project=project), visibility=Visibility.PENDING)
    client = client_of(user)

    assert MENU_LINK in client.get("/gestion/").content
    response = client.get("/gestion/moderation/")

    assert response.status_code == 200
    rows = find_all(find(response.content, "table", class_="listing"), "tr")[1:]
    assert [row.text for row in rows] == [
        "Parc riverain 2 0 0 Parc riverain : journal de modération"
    ]


def test_an_administrator_sees_every_project(project):
    moderator_of_another_project(project)

    response = client_of(administrator()).get("/gestion/moderation/")

    assert len(find_all(find(response.content, "table", class_="listing"), "tr")) == 3


@pytest.mark.parametrize("role", [Role.COMMUNICATIONS, Role.ELECTED_OFFICIAL, Role.CLERK])
def test_the_menu_is_hidden_from_those_who_moderate_nothing(project, role):
    response = client_of(UserFactory(roles=[role])).get("/gestion/")

    assert response.status_code == 200
    assert MENU_LINK not in response.content


def test_a_project_moderator_without_a_project_has_no_menu(project):
    response = client_of(UserFactory(roles=[Role.PROJECT_MODERATOR])).get("/gestion/")

    assert MENU_LINK not in response.content
