"""Réponses aux idées in /gestion/: a project's published ideas and the form that gives the
city's answer to one of them."""

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.accounts.tests.team_factories import client_of
from agora.core.tests.html import find, find_all, text_of
from agora.core.tests.responses import ClientResponse
from agora.ideas.models import Idea, IdeaStatus, StatusChange, Visibility
from agora.ideas.tests.factories import IdeaFactory
from agora.ideas.tests.moderation_people import (
    follower,
    moderator_of,
    moderator_of_another_project,
)
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db


def _list(project: ProjectPage) -> str:
    return f"/gestion/moderation/{project.pk}/idees/"


def _form(project: ProjectPage, idea: Idea) -> str:
    return f"/gestion/moderation/{project.pk}/idees/{idea.pk}/reponse/"


def test_the_list_shows_published_ideas_and_filters_by_answer(project: ProjectPage) -> None:
    IdeaFactory.create(project=project, title="Retenue", status=IdeaStatus.ACCEPTED)
    IdeaFactory.create(project=project, title="Reçue")
    IdeaFactory.create(project=project, title="En attente", visibility=Visibility.PENDING)
    client = client_of(moderator_of(project))

    everything = client.get(_list(project))
    accepted = client.get(f"{_list(project)}?statut=accepted")

    def titles(response: ClientResponse) -> list[str]:
        return sorted(
            find(row, "a").text
            for row in find_all(find(response.content, "table", class_="listing"), "tr")[1:]
        )

    assert titles(everything) == ["Retenue", "Reçue"]
    assert titles(accepted) == ["Retenue"]


def test_the_form_publishes_the_answer_and_followers_hear_it(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project)
    follower(idea, "suzanne@example.org")
    client = client_of(moderator_of(project))
    assert find(client.get(_form(project, idea)).content, "select", name="status")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _form(project, idea), {"status": "planned", "explanation": "Au printemps 2027."}
        )

    assert response.status_code == 302
    assert response["Location"] == _list(project)
    assert Idea.objects.get().status == IdeaStatus.PLANNED
    assert [m.to for m in mail.outbox] == [["suzanne@example.org"]]


def test_an_answer_without_explanation_shows_the_error_and_writes_nothing(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project)
    follower(idea, "suzanne@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(moderator_of(project)).post(
            _form(project, idea), {"status": "rejected", "explanation": ""}
        )

    assert response.status_code == 200
    assert "Expliquez cette réponse" in text_of(response.content)
    assert not StatusChange.objects.exists()
    assert mail.outbox == []


def test_another_projects_idea_in_the_address_is_not_found(
    project: ProjectPage, project_index: ProjectIndexPage
) -> None:
    other = ProjectPageFactory.create(parent=project_index, title="Autre", slug="autre")
    foreign = IdeaFactory.create(project=other)

    response = client_of(moderator_of(project)).post(
        _form(project, foreign), {"status": "planned", "explanation": "x"}, follow=True
    )

    assert response.status_code == 404
    assert Idea.objects.get().status == IdeaStatus.RECEIVED


def test_a_moderator_of_another_project_is_refused(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    client = client_of(moderator_of_another_project(project))

    assert client.get(_list(project)).status_code == 403
    refused = client.post(_form(project, idea), {"status": "planned", "explanation": "x"})
    assert refused.status_code == 403
    assert not StatusChange.objects.exists()
