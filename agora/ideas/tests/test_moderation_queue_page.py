"""Modération in /gestion/: a project's queues and the buttons that approve, hide, restore and
dismiss flags. Only the projects one moderates are reachable; another project's contribution
in the address leads nowhere."""

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import UserFactory, administrator, client_of, resident
from agora.core.tests.html import find, find_all, text_of
from agora.core.tests.responses import ClientResponse
from agora.ideas.models import Comment, Flag, FlagReason, Idea, ModerationEvent, Visibility
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.ideas.tests.moderation_people import (
    moderator_of,
    moderator_of_another_project,
    reachable_author,
)
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ParticipantFactory, ProjectPageFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def _queue(project: ProjectPage, queue: str = "attente") -> str:
    return f"/gestion/moderation/{project.pk}/?liste={queue}"


def _action(project: ProjectPage, contribution: Idea | Comment, action: str) -> str:
    kind = "commentaire" if isinstance(contribution, Comment) else "idee"
    return f"/gestion/moderation/{project.pk}/{kind}/{contribution.pk}/{action}/"


def _titles(response: ClientResponse) -> list[str]:
    return [h.text for h in find_all(find(response.content, "main"), "h3")]


def _refused(response: ClientResponse) -> bool:
    """The staff area answers a refused permission with its one "Accès refusé" page."""
    return response.status_code == 403 and "core/admin/forbidden.html" in [
        template.name for template in response.templates
    ]


def test_a_moderator_sees_what_waits_for_approval_oldest_first(
    project: ProjectPage, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-05-01 10:00:00-04:00", tick=False)
    first = IdeaFactory.create(project=project, title="Premier", visibility=Visibility.PENDING)
    time_machine.move_to("2026-05-02 10:00:00-04:00", tick=False)
    idea = IdeaFactory.create(project=project, title="Publiée")
    CommentFactory.create(idea=idea, body="Un commentaire à lire", visibility=Visibility.PENDING)

    response = client_of(moderator_of(project)).get(_queue(project))

    assert response.status_code == 200
    assert _titles(response) == ["Idée : Premier", "Commentaire sur l'idée « Publiée »"]
    assert "Un commentaire à lire" in text_of(response.content)
    assert find(response.content, "form", action=_action(project, first, "approuver"))
    assert find(response.content, "form", action=_action(project, first, "masquer"))


def test_the_flagged_list_shows_the_reasons_and_counts(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project, title="Signalée", flag_count=3)
    for reason in (FlagReason.SPAM, FlagReason.SPAM, FlagReason.OFF_TOPIC):
        Flag.objects.create(idea=idea, participant=ParticipantFactory.create(), reason=reason)
    IdeaFactory.create(project=project, title="Tranquille")

    response = client_of(moderator_of(project)).get(_queue(project, "signalements"))

    assert _titles(response) == ["Idée : Signalée"]
    text = text_of(response.content)
    assert "3 signalements à examiner" in text
    assert "Pourriel (2)" in text
    assert "Hors sujet (1)" in text
    assert find(response.content, "form", action=_action(project, idea, "rejeter-signalements"))


def test_the_hidden_list_shows_the_reason_and_a_restore_button(project: ProjectPage) -> None:
    idea = IdeaFactory.create(
        project=project, title="Masquée", visibility=Visibility.HIDDEN, moderation_reason="Injure"
    )

    response = client_of(moderator_of(project)).get(_queue(project, "masquees"))

    assert _titles(response) == ["Idée : Masquée"]
    assert "Injure" in text_of(response.content)
    assert find(response.content, "form", action=_action(project, idea, "retablir"))


def test_the_list_is_paginated(project: ProjectPage) -> None:
    for n in range(23):
        IdeaFactory.create(project=project, title=f"Idée {n:02}", visibility=Visibility.PENDING)
    client = client_of(moderator_of(project))

    first = client.get(_queue(project))
    second = client.get(f"{_queue(project)}&p=2")

    assert len(_titles(first)) == 20
    assert len(_titles(second)) == 3


def test_the_approve_button_publishes_and_comes_back_to_the_list(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(
        project=project, visibility=Visibility.PENDING, author=reachable_author()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(moderator_of(project)).post(
            _action(project, idea, "approuver"), {"next": _queue(project)}
        )

    assert response.status_code == 302
    assert response["Location"] == _queue(project)
    assert Idea.objects.get().visibility == Visibility.PUBLISHED
    assert len(mail.outbox) == 1


def test_hiding_without_a_reason_shows_the_error_and_writes_nothing(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    response = client_of(moderator_of(project)).post(
        _action(project, idea, "masquer"), {"reason": "  ", "next": _queue(project)}
    )

    assert response.status_code == 200
    assert find(response.content, "textarea", name="reason")
    assert "Indiquez le motif" in text_of(response.content)
    assert Idea.objects.get().visibility == Visibility.PUBLISHED
    assert not ModerationEvent.objects.exists()


def test_hiding_with_a_reason_hides(project: ProjectPage) -> None:
    comment = CommentFactory.create(idea=IdeaFactory.create(project=project))

    response = client_of(moderator_of(project)).post(
        _action(project, comment, "masquer"), {"reason": "Injure", "next": _queue(project)}
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.visibility, comment.moderation_reason) == (Visibility.HIDDEN, "Injure")


def test_restore_and_dismiss_buttons(project: ProjectPage) -> None:
    hidden = IdeaFactory.create(project=project, visibility=Visibility.HIDDEN)
    flagged = IdeaFactory.create(project=project, flag_count=1)
    Flag.objects.create(
        idea=flagged, participant=ParticipantFactory.create(), reason=FlagReason.SPAM
    )
    client = client_of(moderator_of(project))

    client.post(_action(project, hidden, "retablir"), {"reason": ""})
    client.post(_action(project, flagged, "rejeter-signalements"))

    assert Idea.objects.get(pk=hidden.pk).visibility == Visibility.PUBLISHED
    assert Idea.objects.get(pk=flagged.pk).flag_count == 0
    assert ModerationEvent.objects.count() == 2


def test_a_refused_decision_is_a_message_not_an_error_page(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)  # published: nothing to approve

    response = client_of(moderator_of(project)).post(
        _action(project, idea, "approuver"), follow=True
    )

    assert response.status_code == 200
    assert "Seule une contribution en attente" in text_of(response.content)


def test_a_next_address_outside_the_queue_is_ignored(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project, visibility=Visibility.PENDING)

    response = client_of(moderator_of(project)).post(
        _action(project, idea, "approuver"), {"next": "https://ailleurs.example/"}
    )

    assert response["Location"] == f"/gestion/moderation/{project.pk}/"


def test_another_projects_contribution_in_the_address_is_not_found(
    project: ProjectPage, project_index: ProjectIndexPage
) -> None:
    other = ProjectPageFactory.create(parent=project_index, title="Autre", slug="autre")
    foreign = IdeaFactory.create(project=other, visibility=Visibility.PENDING)
    foreign_comment = CommentFactory.create(idea=IdeaFactory.create(project=other))
    client = client_of(moderator_of(project))

    for contribution, action in ((foreign, "approuver"), (foreign_comment, "masquer")):
        response = client.post(_action(project, contribution, action), {"reason": "x"}, follow=True)
        assert response.status_code == 404

    assert Idea.objects.get(pk=foreign.pk).visibility == Visibility.PENDING
    assert Comment.objects.get().visibility == Visibility.PUBLISHED
    assert not ModerationEvent.objects.exists()


def test_an_unknown_kind_of_contribution_is_not_found(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project, visibility=Visibility.PENDING)

    response = client_of(moderator_of(project)).post(
        f"/gestion/moderation/{project.pk}/page/{idea.pk}/approuver/", follow=True
    )

    assert response.status_code == 404
    assert Idea.objects.get().visibility == Visibility.PENDING


def test_the_queue_of_a_project_one_does_not_moderate_is_refused(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project, visibility=Visibility.PENDING)
    client = client_of(moderator_of_another_project(project))

    assert _refused(client.get(_queue(project)))
    assert _refused(client.post(_action(project, idea, "approuver")))
    assert Idea.objects.get().visibility == Visibility.PENDING


def test_an_administrator_moderates_every_project(project: ProjectPage) -> None:
    response = client_of(administrator()).get(_queue(project))

    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.COMMUNICATIONS, Role.ELECTED_OFFICIAL, Role.CLERK])
def test_team_members_who_moderate_nothing_are_refused(project: ProjectPage, role: Role) -> None:
    client = client_of(UserFactory.create(roles=[role]))

    assert _refused(client.get("/gestion/moderation/"))
    assert _refused(client.get(_queue(project)))


def test_residents_are_refused(project: ProjectPage) -> None:
    response = client_of(resident()).get(_queue(project))

    assert response.status_code == 403
    assert "Espace réservé à l'équipe de la Ville" in response.content.decode()
