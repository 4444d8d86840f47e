"""Who may do what with a survey, role by role: the permissions of rules.py and the screens of
/gestion/sondages/ that check them. The survey belongs to a project of the "Travaux publics"
department; the others are the manager of another department and the moderator of another
project."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    administrator,
    client_of,
    department_manager,
    resident,
)
from agora.participation.models import ProjectPage
from agora.participation.tests.project_team import (
    another_project,
    in_department,
    manager_of,
    moderator_of,
    role,
)
from agora.surveys.tests.factories import QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db

ACTIONS = [
    "list",
    "create",
    "change",
    "preview",
    "submit",
    "approve",
    "publish",
    "view results",
    "export raw",
    "publish excerpt",
    "reword answered choice",
    "count held responses",
]
PERMISSIONS = {
    "create": "surveys.add_survey",
    "change": "surveys.change_survey",
    "preview": "surveys.preview_survey",
    "submit": "surveys.submit_survey",
    "approve": "surveys.approve_survey",
    "publish": "surveys.publish_survey",
    "view results": "surveys.view_survey_results",
    "export raw": "surveys.export_raw",
    "publish excerpt": "surveys.publish_excerpt",
    "reword answered choice": "surveys.change_answered_choice_meaning",
    "count held responses": "surveys.review_held_responses",
}
Y, N = True, False
# Each person's rights on the survey of the "Travaux publics" project.
MATRIX: dict[str, list[bool]] = {
    #                    list create change preview submit approve publish results export excerpt
    #                    reword (the meaning of a choice that has answers), held (count or
    #                    discard the responses held as possibly stuffed)
    "administrator": [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y],
    "manager of its department": [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y],
    "manager of another department": [N, Y, N, N, N, N, N, N, N, N, N, N],
    "moderator of its project": [Y, Y, Y, Y, Y, N, N, Y, Y, Y, N, Y],
    "moderator of another project": [N, Y, N, N, N, N, N, N, N, N, N, N],
    "elected official": [Y, N, N, N, N, N, N, Y, N, N, N, N],
    "resident": [N, N, N, N, N, N, N, N, N, N, N, N],
    "anonymous": [N, N, N, N, N, N, N, N, N, N, N, N],
}


@dataclass
class World:
    survey: Any
    people: dict[str, Any]


@pytest.fixture
def world(project: ProjectPage) -> World:
    department = in_department(project)
    other = another_project(project)
    in_department(other)
    survey = SurveyFactory.create(project=project, published_at=None)
    QuestionFactory.create(section__survey=survey, kind="short_text")
    people = {
        "administrator": administrator(),
        "manager of its department": manager_of(project),
        "manager of another department": department_manager(DepartmentFactory.create()),
        "moderator of its project": moderator_of(project),
        "moderator of another project": moderator_of(other),
        "elected official": role(Role.ELECTED_OFFICIAL),
        "resident": resident(),
        "anonymous": AnonymousUser(),
    }
    assert survey.project is not None
    assert survey.project.department == department
    return World(survey=survey, people=people)


def _may(person: Any, action: str, survey: Any) -> bool:
    if action == "list":
        from agora.surveys.building import surveys_followed_by

        return bool(person.has_perm("surveys.list_surveys")) and (
            surveys_followed_by(person).filter(pk=survey.pk).exists()
        )
    if action == "create":
        return bool(person.has_perm(PERMISSIONS[action]))
    return bool(person.has_perm(PERMISSIONS[action], survey))


@pytest.mark.parametrize("person", list(MATRIX))
def test_each_role_has_exactly_its_rights_on_the_survey(world: World, person: str) -> None:
    user = world.people[person]
    wrong = [
        f"{person} {'should' if expected else 'should not'} be able to: {action}"
        for action, expected in zip(ACTIONS, MATRIX[person], strict=True)
        if _may(user, action, world.survey) is not expected
    ]
    assert not wrong, "\n".join(wrong)


def _client(user: Any) -> Client:
    return Client() if isinstance(user, AnonymousUser) else client_of(user)


def _screens(survey: Any) -> dict[str, tuple[str, str]]:
    base = f"/gestion/sondages/{survey.pk}"
    return {
        "change": ("get", f"{base}/reglages/"),
        "submit": ("post", f"{base}/soumettre/"),
        "approve": ("get", f"{base}/approbation/"),
        "publish": ("post", f"{base}/publier/"),
        "view results": ("get", f"{base}/resultats/"),
    }


@pytest.mark.parametrize("person", list(MATRIX))
def test_the_screens_refuse_whoever_lacks_the_permission(world: World, person: str) -> None:
    user = world.people[person]
    client = _client(user)
    for action, (method, url) in _screens(world.survey).items():
        response = getattr(client, method)(url)
        allowed = MATRIX[person][ACTIONS.index(action)]
        if allowed:
            assert response.status_code in (200, 302), (action, response.status_code)
            if method == "get":
                assert response.status_code == 200, action
        elif user.is_authenticated:
            # A member of the team reads the staff area's refusal, a resident the public
            # site's (accounts/middleware.py).
            assert response.status_code == 403, (action, response.status_code)
        else:
            # Wagtail sends a visitor who is not signed in to its login page.
            assert response.status_code == 302, (action, response.status_code)
            assert "/login/" in response["Location"] or "connexion" in response["Location"]
    world.survey.refresh_from_db()
    assert world.survey.is_published is MATRIX[person][ACTIONS.index("publish")]


@pytest.mark.parametrize("person", list(MATRIX))
def test_the_list_shows_the_survey_to_those_who_follow_it(world: World, person: str) -> None:
    user = world.people[person]
    response = _client(user).get("/gestion/sondages/")
    listed = MATRIX[person][ACTIONS.index("list")]
    if not user.is_authenticated:
        assert response.status_code == 302
        return
    if not user.has_perm("surveys.list_surveys"):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert (world.survey.title_fr in response.content.decode()) is listed
