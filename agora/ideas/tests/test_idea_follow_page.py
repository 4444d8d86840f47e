"""The "Suivre cette idée" page under an idea: an e-mail address, and the same answer whether
or not the address already follows the idea."""

import pytest
from django.core import mail
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from agora.core.tests.html import find, find_all, text_of
from agora.ideas.models import Idea, IdeaFollower, Visibility
from agora.ideas.tests.factories import IdeaFactory
from agora.ideas.tests.moderation_people import follower
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db


def _url(idea: Idea, project_path: str = "/fr/projets/parc-riverain/") -> str:
    return f"{project_path}idees/{idea.pk}/suivre/"


def test_the_page_asks_for_an_address(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project, title="Des bancs au parc")

    response = Client().get(_url(idea))

    assert response.status_code == 200
    form = find(response.content, "form", method="post")
    assert find(form, "input", name="email")["type"] == "email"
    assert find_all(form, "input", name="site_web")  # the honeypot
    assert "Des bancs au parc" in text_of(response.content)


def test_sending_an_address_creates_an_unconfirmed_subscription_and_sends_a_link(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project)

    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(_url(idea), {"email": "suzanne@example.org"})

    assert response.status_code == 200
    subscription = IdeaFollower.objects.get()
    assert (subscription.email, subscription.is_active) == ("suzanne@example.org", False)
    assert [m.to for m in mail.outbox] == [["suzanne@example.org"]]


def test_the_answer_does_not_tell_whether_the_address_already_follows(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project)
    follower(idea, "deja@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post(_url(idea), {"email": "deja@example.org"})
        new = Client().post(_url(idea), {"email": "nouveau@example.org"})
        again = Client().post(_url(idea), {"email": "nouveau@example.org"})

    assert known.status_code == new.status_code == again.status_code == 200
    assert text_of(find(known.content, "main")) == text_of(find(new.content, "main"))
    assert text_of(find(again.content, "main")) == text_of(find(new.content, "main"))
    assert IdeaFollower.objects.count() == 2


def test_the_english_page_subscribes_in_english(
    project: ProjectPage,
    english_project: ProjectPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    idea = IdeaFactory.create(project=project)

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            _url(idea, "/en/projects/riverside-park/")
            .replace("idees", "ideas")
            .replace("suivre", "follow"),
            {"email": "john@example.org"},
        )

    assert IdeaFollower.objects.get().language == "en"


def test_an_invalid_address_is_shown_with_its_error_and_nothing_is_written(
    project: ProjectPage,
) -> None:
    idea = IdeaFactory.create(project=project)

    response = Client().post(_url(idea), {"email": "pas-une-adresse"})

    assert response.status_code == 200
    assert find_all(response.content, "div", class_="error-summary")
    assert not IdeaFollower.objects.exists()
    assert mail.outbox == []


def test_a_filled_honeypot_is_refused(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    Client().post(_url(idea), {"email": "robot@example.org", "site_web": "http://spam"})

    assert not IdeaFollower.objects.exists()


def test_too_many_requests_from_one_connection_are_refused(
    project: ProjectPage, settings: Settings
) -> None:
    idea = IdeaFactory.create(project=project)
    client = Client()
    for n in range(10):
        client.post(_url(idea), {"email": f"a{n}@example.org"})

    response = client.post(_url(idea), {"email": "encore@example.org"})

    assert response.status_code == 429
    assert not IdeaFollower.objects.filter(email="encore@example.org").exists()


@pytest.mark.parametrize("visibility", [Visibility.PENDING, Visibility.HIDDEN])
def test_an_idea_residents_cannot_see_cannot_be_followed(
    project: ProjectPage, visibility: Visibility
) -> None:
    idea = IdeaFactory.create(project=project, visibility=visibility)

    assert Client().get(_url(idea)).status_code == 404
    assert Client().post(_url(idea), {"email": "a@example.org"}).status_code == 404
    assert not IdeaFollower.objects.exists()


def test_another_projects_idea_is_not_found_under_this_project(
    project: ProjectPage, project_index: ProjectIndexPage
) -> None:
    other = ProjectPageFactory.create(parent=project_index, title="Autre", slug="autre")
    idea = IdeaFactory.create(project=other)

    assert Client().post(_url(idea), {"email": "a@example.org"}).status_code == 404
    assert not IdeaFollower.objects.exists()
